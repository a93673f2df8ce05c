"""The CSV behind each chart: a header row, then the chart's own numbers, counts as plain ASCII
digits whatever the page's language."""

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from console.aftercare.view import COUNTS, Choice

COLUMNS = ("month", "branch", *COUNTS)
FORMULA_STARTS = ("=", "+", "-", "@")  # a spreadsheet would run such a cell as a formula


def _cell(key: str, value: Any) -> str:
    if key in COUNTS:
        return str(int(value))  # int() refuses anything but a count; str() writes ASCII
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows under a header row, one line each, in COLUMNS order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(key, row[key]) for key in COLUMNS])
    return out.getvalue()


def filename(chart: str, choice: Choice) -> str:
    """The download's name: the chart, the month, the branch."""
    return f"saathi-aftercare-{chart}-{choice.month}-{choice.branch_column}.csv"
