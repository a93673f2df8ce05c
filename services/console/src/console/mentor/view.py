"""Pure shaping of the services' answers for the mentor's screen: the week in the branch's time
zone, the sessions to show, how due a questionnaire or goal is, each mentee's open crisis."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SOON = timedelta(days=7)
OPEN_CRISES = ("open", "acknowledged")


def moment(value: datetime | str) -> datetime:
    """A moment from the API's ISO text (naive moments are UTC, as the services store them)."""
    found = datetime.fromisoformat(value) if isinstance(value, str) else value
    return found if found.tzinfo else found.replace(tzinfo=ZoneInfo("UTC"))


def week_of(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """This week, Monday 00:00 to the next Monday 00:00 in the branch's zone (as aware moments)."""
    local = moment(now).astimezone(ZoneInfo(zone))
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=ZoneInfo(zone))
    following = monday + timedelta(days=7)
    return start, datetime(following.year, following.month, following.day, tzinfo=ZoneInfo(zone))


def sessions_this_week(
    sessions: Iterable[dict[str, Any]], now: datetime, zone: str
) -> list[dict[str, Any]]:
    """The sessions to show: every one this week, and any earlier one still waiting to be logged
    (scheduled but never recorded), soonest first."""
    start, end = week_of(now, zone)
    shown = [
        row
        for row in sessions
        if start <= moment(row["scheduled_for"]) < end
        or (row["status"] == "scheduled" and moment(row["scheduled_for"]) < start)
    ]
    return sorted(shown, key=lambda row: (moment(row["scheduled_for"]), row["session_id"]))


def due_state(due_at: datetime | str | date | None, now: datetime) -> str:
    """`overdue` (past), `due` (within a day), `soon` (within a week) or `later`; a calendar
    date (a goal's target) is due until that day is over."""
    if due_at is None or due_at == "":
        return "later"
    if isinstance(due_at, str) and len(due_at) == len("2026-12-05"):
        due_at = date.fromisoformat(due_at)
    if isinstance(due_at, date) and not isinstance(due_at, datetime):
        day_after = due_at + timedelta(days=1)
        due_at = datetime(day_after.year, day_after.month, day_after.day, tzinfo=ZoneInfo("UTC"))
    left = moment(due_at) - moment(now)
    if left < timedelta(0):
        return "overdue"
    if left <= timedelta(days=1):
        return "due"
    return "soon" if left <= SOON else "later"


def questionnaires_due(
    schedule: Iterable[dict[str, Any]], now: datetime, titles: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """A mentee's questionnaires due within a week (or overdue), soonest first, each with its
    state, last band and title (the id in capitals when the title is unknown)."""
    rows = []
    for entry in schedule:
        state = due_state(entry["due_at"], now)
        if state != "later":
            last = entry.get("last") or {}
            title = (titles or {}).get(entry["questionnaire_id"], entry["questionnaire_id"].upper())
            rows.append({**entry, "state": state, "last_band": last.get("band"), "title": title})
    return sorted(rows, key=lambda row: moment(row["due_at"]))


def open_goals(goals: Iterable[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """A mentee's goals still being worked on, the nearest target date first (none last)."""
    rows = [
        {**goal, "state": due_state(goal.get("target_date"), now)}
        for goal in goals
        if goal["status"] == "active"
    ]
    return sorted(
        rows, key=lambda goal: (not goal.get("target_date"), str(goal.get("target_date")))
    )


def crises_by_match(crises: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest crisis not yet resolved of each match."""
    found: dict[str, dict[str, Any]] = {}
    for crisis in sorted(crises, key=lambda row: moment(row["flagged_at"])):
        if crisis["status"] in OPEN_CRISES:
            found[crisis["match_id"]] = crisis
    return found


def flag_outcome(crisis: dict[str, Any]) -> str:
    """`alerted` when someone on the duty chain was alerted at once, else `nobody_on_duty`."""
    alerted = any(alert.get("person_id") for alert in crisis.get("alerts", []))
    return "alerted" if alerted else "nobody_on_duty"
