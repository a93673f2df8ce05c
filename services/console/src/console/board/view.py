"""Pure shaping of the services' answers for the coordinator's board: a proposal's explanation
as a table, why nobody fits a waiting patient, mentors' caseload and certification, open tasks
(one per task, not one per coordinator alerted) and what happens today."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

TASK_KINDS = ("proposal", "coordinator_task", "outreach")
OPEN_STATES = ("queued", "sent", "delivered", "failed")
CERTIFICATION_NOTICE = timedelta(days=30)
Row = dict[str, Any]


def explanation_rows(explanation: dict[str, Any] | None) -> list[Row]:
    """One row per criterion of the chosen mentor: its weight, its score (0-1) and the points
    it earned (weight times score), in the order matching weighed them."""
    if not explanation:
        return []
    chosen = explanation.get("chosen") or {}
    return [
        {
            "criterion": name,
            "weight": weight,
            "score": chosen.get(name),
            "points": None if chosen.get(name) is None else round(weight * chosen[name], 2),
        }
        for name, weight in (explanation.get("weights") or {}).items()
    ]


def runners_up(explanation: dict[str, Any] | None) -> list[Row]:
    """Who came next, with their totals (best first)."""
    if not explanation:
        return []
    return [
        {"mentor_id": row.get("mentor_id"), "total": row.get("total")}
        for row in explanation.get("runners_up") or []
    ]


def proposal_rows(matches: Iterable[Row]) -> list[Row]:
    """Proposed matches, each with its explanation table; the coordinator's own to review
    first, oldest first (the review deadline runs from the proposal)."""
    rows = [
        {
            **match,
            "criteria": explanation_rows(match.get("explanation")),
            "total": ((match.get("explanation") or {}).get("chosen") or {}).get("total"),
            "next": runners_up(match.get("explanation")),
            "for_coordinator": "coordinator" in (match.get("awaiting") or []),
        }
        for match in matches
        if match.get("status") == "proposed"
    ]
    return sorted(rows, key=lambda row: (not row["for_coordinator"], row["matched_at"]))


def _free(mentor: Row) -> bool:
    return int(mentor.get("active_mentees", 0)) < int(mentor.get("capacity", 0))


def _certified(mentor: Row, today: date) -> bool:
    until = mentor.get("certified_until")
    return until is not None and date.fromisoformat(str(until)) >= today


def _reason(name: str, entry: Row, count: int | None = None) -> Row:
    return {
        "key": f"board.why.{name}",
        "count": count,
        "language": entry["language"],
        "branch": entry["branch"],
    }


def why_nobody_fits(entry: Row, mentors: list[Row], today: date) -> list[Row]:
    """Why no mentor in the pool takes this waiting patient, as label keys with their values:
    nobody speaks the language, nobody serves the branch, or how many of those who could
    are full, on leave, not certified or not active. When some would fit on these counts,
    the reason lies in what the pool does not show (preferences, risk, conflicts)."""
    language, branch = entry["language"], entry["branch"]
    speakers = [m for m in mentors if language in m.get("languages", [])]
    if not speakers:
        return [_reason("language", entry)]
    serving = [m for m in speakers if branch in m.get("branches", []) or m.get("remote_ok")]
    if not serving:
        return [_reason("branch", entry)]
    counts = {"not_active": 0, "on_leave": 0, "certification": 0, "full": 0, "could_fit": 0}
    for mentor in serving:
        if mentor.get("on_leave_today"):
            counts["on_leave"] += 1
        elif mentor.get("status") != "active":
            counts["not_active"] += 1
        elif not _certified(mentor, today):
            counts["certification"] += 1
        elif not _free(mentor):
            counts["full"] += 1
        else:
            counts["could_fit"] += 1
    return [_reason(name, entry, n) for name, n in counts.items() if n]


def waitlist_rows(entries: Iterable[Row], mentors: list[Row], today: date) -> list[Row]:
    """Waiting patients (longest waiting first) with the reasons nobody fits."""
    rows = [{**entry, "why": why_nobody_fits(entry, mentors, today)} for entry in entries]
    return sorted(rows, key=lambda row: row["since"])


def certification_state(until: str | None, today: date) -> str:
    """`missing`, `expired`, `expires_soon` (within 30 days) or `valid`."""
    if until is None:
        return "missing"
    day = date.fromisoformat(str(until))
    if day < today:
        return "expired"
    return "expires_soon" if day - today <= CERTIFICATION_NOTICE else "valid"


def mentor_rows(mentors: Iterable[Row], branch: str | None, today: date) -> list[Row]:
    """Mentors serving `branch` (every mentor when None): caseload against capacity, leave and
    certification; those needing attention (full, on leave, certification due) first."""
    rows = []
    for mentor in mentors:
        if branch and branch not in mentor.get("branches", []):
            continue
        state = certification_state(mentor.get("certified_until"), today)
        attention = (not _free(mentor)) or bool(mentor.get("on_leave_today")) or state != "valid"
        rows.append(
            {**mentor, "certification": state, "full": not _free(mentor), "attention": attention}
        )
    return sorted(rows, key=lambda row: (not row["attention"], row["mentor_id"]))


def open_tasks(notifications: Iterable[Row]) -> list[Row]:
    """Open coordinator tasks, one per task (every coordinator alerted gets a notification of
    the same task), newest first."""
    tasks: dict[tuple[str, str], Row] = {}
    for row in notifications:
        if row.get("kind") not in TASK_KINDS or row.get("state") not in OPEN_STATES:
            continue
        key = (row["kind"], row["subject_id"])
        if key not in tasks or row["created_at"] > tasks[key]["created_at"]:
            tasks[key] = row
    return sorted(tasks.values(), key=lambda row: row["created_at"], reverse=True)


def local_day(moment: str, zone: ZoneInfo) -> date:
    """The calendar day of an ISO moment in the branch's zone."""
    return datetime.fromisoformat(moment).astimezone(zone).date()


def todays_sessions(sessions: Iterable[Row], today: date, zone: ZoneInfo) -> list[Row]:
    """Sessions scheduled for today in the branch's zone, soonest first."""
    found = [s for s in sessions if local_day(str(s["scheduled_for"]), zone) == today]
    return sorted(found, key=lambda s: s["scheduled_for"])


def meets_today(group: Row, today: date) -> bool:
    """Whether an active group's weekly meeting falls on `today` (0 = Monday)."""
    ends = group.get("ends_on")
    return (
        group.get("weekday") == today.weekday()
        and date.fromisoformat(str(group["starts_on"])) <= today
        and (ends is None or date.fromisoformat(str(ends)) >= today)
    )


def todays_meeting(meetings: Iterable[Row], today: date, zone: ZoneInfo) -> Row | None:
    """Today's meeting among a group's meetings, if one is planned."""
    for meeting in meetings:
        if local_day(str(meeting["starts_at"]), zone) == today:
            return meeting
    return None


def branches_of(mentors: Iterable[Row]) -> list[str]:
    """The network's branches, as the shared pool's mentors serve them (for the filter)."""
    return sorted({branch for mentor in mentors for branch in mentor.get("branches", [])})
