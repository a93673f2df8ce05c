"""The house rules a newcomer relies on: no module over 300 lines, no function over 60
(migrations and tests aside), so every file can be read in one sitting."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "intake": ROOT / "services/intake/src/intake",
    "matching": ROOT / "services/matching/src/matching",
    "sessions": ROOT / "services/sessions/src/sessions",
    "aftercare": ROOT / "services/aftercare/src/aftercare",
    "notify": ROOT / "services/notify/src/notify",
    "console": ROOT / "services/console/src/console",
    "shared": ROOT / "shared/src/shared",
    "saathi_stack": ROOT / "deploy/local/src/saathi_stack",
}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60


def _sources(package: Path) -> list[Path]:
    return [path for path in sorted(package.rglob("*.py")) if "migrations" not in path.parts]


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} has {length} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_module_is_longer_than_a_sitting(package: str) -> None:
    too_long = [
        f"{path.relative_to(ROOT)} has {lines} lines"
        for path in _sources(PACKAGES[package])
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not too_long, f"split these by role or feature (limit {MAX_MODULE_LINES}): {too_long}"


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_function_is_longer_than_a_screen(package: str) -> None:
    too_long = [line for path in _sources(PACKAGES[package]) for line in _long_functions(path)]
    assert not too_long, f"split these into named steps (limit {MAX_FUNCTION_LINES}): {too_long}"
