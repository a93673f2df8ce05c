"""The chart rendered once per session for every values set in deploy/helm/saathi/ci/."""

from importlib.util import find_spec
from typing import Any

import pytest

from chart.render import VALUE_SETS, render

pytestmark = pytest.mark.chart

# The chart's checkers are in the `chart` dependency group (make chart-check installs it); a
# plain `make test` neither has them nor runs these tests.
if find_spec("cloudcoil") is None:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict[str, Any]]]:
    """Each values set's name (file name without -values.yaml) → its rendered objects."""
    return {
        path.name.removesuffix("-values.yaml"): render("--values", str(path)) for path in VALUE_SETS
    }


@pytest.fixture(scope="session")
def all_objects(rendered: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """Every rendered object of every values set, with the set's name."""
    return [(name, obj) for name, objects in rendered.items() for obj in objects]
