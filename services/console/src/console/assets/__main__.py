"""`python -m console.assets`: install the locked browser assets (one line when up to date)."""

from rich.console import Console

from console.assets.errors import AssetsError
from console.assets.install import install_assets


def main() -> int:
    """Install the assets; exit 1 with the reason and the next step on any failure."""
    output = Console(stderr=True)
    try:
        report = install_assets(output=output)
    except AssetsError as error:
        output.print(f"console assets: {error}", style="bold red", markup=False, highlight=False)
        return 1
    if report.fetched:
        output.print(f"installed {', '.join(report.fetched)} into {report.target}", markup=False)
    else:
        output.print("assets up to date", markup=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
