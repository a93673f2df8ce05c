"""`saathi audit`: one patient's audit trail from all four services, oldest first (each
service keeps its own; a privacy officer's token reads them)."""

import argparse
import asyncio
import os

import httpx
from rich.console import Console
from rich.table import Table

SERVICE_PORTS = {
    "intake": 8101,
    "matching": 8102,
    "sessions": 8103,
    "aftercare": 8104,
    "notify": 8105,
}


def default_urls() -> dict[str, str]:
    """The local stack's service URLs (SAATHI_<SERVICE>_PORT, else the defaults)."""
    return {
        name: f"http://127.0.0.1:{os.environ.get(f'SAATHI_{name.upper()}_PORT', port)}"
        for name, port in SERVICE_PORTS.items()
    }


async def gather(urls: dict[str, str], token: str, patient_ref: str) -> list[dict[str, object]]:
    """Every service's trail for the patient, merged oldest first; each row names its service."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=15, headers=headers) as client:

        async def trail(service: str, url: str) -> list[dict[str, object]]:
            rows: list[dict[str, object]] = []
            after = 0
            while True:
                params: dict[str, str | int] = {
                    "patient_ref": patient_ref,
                    "after_id": after,
                    "limit": 5000,
                }
                response = await client.get(f"{url}/audit", params=params)
                response.raise_for_status()
                page = response.json()
                rows += [{"service": service, **row} for row in page]
                if len(page) < 5000:
                    return rows
                after = page[-1]["audit_id"]

        found = await asyncio.gather(*(trail(name, url) for name, url in urls.items()))
    return sorted((row for rows in found for row in rows), key=lambda row: str(row["at"]))


def show(rows: list[dict[str, object]], console: Console) -> None:
    """The trail as a table."""
    table = Table(title=f"{len(rows)} entries")
    for column in ("at", "service", "subject", "role", "branch", "action", "operation"):
        table.add_column(column)
    table.add_column("purpose / basis")
    table.add_column("outcome")
    for row in rows:
        basis = f"{row['purpose']}" + (f" ({row['legal_basis']})" if row["legal_basis"] else "")
        table.add_row(
            str(row["at"])[:19],
            str(row["service"]),
            str(row["subject"]),
            str(row["role"]),
            str(row["branch"] or "all"),
            str(row["action"]),
            str(row["operation"]),
            basis,
            str(row["outcome"]),
        )
    console.print(table)


def run(args: argparse.Namespace, token: str, console: Console) -> int:
    """`saathi audit`: print the trail, or say what to do when a service cannot be asked."""
    try:
        rows = asyncio.run(gather(default_urls(), token, args.patient_ref))
    except httpx.HTTPStatusError as error:
        console.print(
            f"[red]{error.request.url.host}:{error.request.url.port} answered "
            f"{error.response.status_code}[/]: the token must be a privacy officer's "
            "(--token, or the local dev issuer's with --data-dir)"
        )
        return 2
    except httpx.HTTPError as error:
        console.print(
            f"[red]cannot reach a service ({type(error).__name__})[/]; is the platform running "
            "(make run)? Set SAATHI_<SERVICE>_PORT if it runs elsewhere."
        )
        return 2
    show(rows, console)
    return 0
