"""Shaping aftercare's funnel rows for the screen, pure: the month and branch asked for, the
twelve months up to it, sums over branches, and figures in the person's own digits."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from console.web.i18n import Translator

MONTH = re.compile(r"^2\d{3}-(0[1-9]|1[0-2])$")
BRANCH = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")  # the services' branch codes
WINDOW = 12  # months in the month-by-month chart
COUNTS = (
    "discharged",
    "enrolled",
    "waitlisted",
    "first_attended",
    "follow_up_7_day_completed",
    "follow_up_7_day_missed",
    "follow_up_7_day_due",
    "follow_up_30_day_completed",
    "follow_up_30_day_missed",
    "follow_up_30_day_due",
    "readmitted_30_day",
)
FUNNEL_STEPS = (
    "discharged",
    "enrolled",
    "waitlisted",
    "first_attended",
    "follow_up_7_day_completed",
    "follow_up_30_day_completed",
)
MONTH_SERIES = ("discharged", "readmitted_30_day")
BRANCH_STEPS = ("discharged", "enrolled", "first_attended", "readmitted_30_day")
EVERY_BRANCH = "all"  # the branch column of a sum over every branch in reach


class BadChoice(ValueError):
    """A month or branch the screen cannot ask for; the message says what to give instead."""


def month_before(key: str) -> str:
    """The month before `key` (`YYYY-MM`)."""
    year, month = (int(part) for part in key.split("-"))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class Choice:
    """What the person asked to see: a month, and one branch or every branch they reach."""

    month: str
    branch: str | None

    @property
    def months(self) -> list[str]:
        """The twelve months up to and including the chosen one, oldest first."""
        found = [self.month]
        while len(found) < WINDOW:
            found.insert(0, month_before(found[0]))
        return found

    @property
    def branch_column(self) -> str:
        """The branch as the CSV names it (`all` for every branch in reach)."""
        return self.branch or EVERY_BRANCH

    def query(self) -> str:
        """The choice as a query string for the panels and downloads."""
        return urlencode({"branch": self.branch or "", "month": self.month})


def choose(month: str | None, branch: str | None, today: date) -> Choice:
    """The choice from the query, this month by default; BadChoice for what cannot be asked."""
    month = month or today.strftime("%Y-%m")
    if not MONTH.match(month):
        raise BadChoice(f"the month must look like {today.strftime('%Y-%m')} (year-month)")
    if branch and not BRANCH.match(branch):
        raise BadChoice("the branch must be a branch code such as kol-salt-lake")
    return Choice(month, branch or None)


def summed(rows: Iterable[Mapping[str, Any]], month: str, branch: str) -> dict[str, Any]:
    """Every count of the rows of one month added up, under one branch name."""
    total: dict[str, Any] = {"month": month, "branch": branch, **dict.fromkeys(COUNTS, 0)}
    for row in rows:
        if row["month"] == month:
            for key in COUNTS:
                total[key] += int(row[key])
    return total


def by_month(rows: Sequence[Mapping[str, Any]], choice: Choice) -> list[dict[str, Any]]:
    """One sum per month of the window, oldest first."""
    return [summed(rows, month, choice.branch_column) for month in choice.months]


def by_branch(rows: Sequence[Mapping[str, Any]], choice: Choice) -> list[dict[str, Any]]:
    """Each branch's counts for the chosen month, branches in order."""
    branches = sorted({str(row["branch"]) for row in rows})
    return [
        summed((r for r in rows if r["branch"] == name), choice.month, name) for name in branches
    ]


def percent(part: int, whole: int) -> int | None:
    """`part` as a whole percentage of `whole`; None when there is no whole."""
    return round(100 * part / whole) if whole else None


class Figures:
    """Numbers, shares and month names in the person's language (Bengali digits in Bengali,
    from the shared translator)."""

    def __init__(self, t: Translator) -> None:
        self._t = t

    def number(self, value: int | None) -> str:
        """A count."""
        return self._t.number(value)

    def share(self, part: int, whole: int) -> str:
        """`part` of `whole` as a percentage ("—" when nothing to count)."""
        found = percent(part, whole)
        return "—" if found is None else f"{self._t.number(found)}%"

    def month(self, key: str, pattern: str = "LLLL y") -> str:
        """A month's name (`2026-03` → "March 2026", "মার্চ ২০২৬")."""
        return self._t.when(f"{key}-15T12:00:00+00:00", pattern)
