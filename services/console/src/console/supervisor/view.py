"""Pure shaping of the services' answers for the supervisor's screen: each mentor's load joined
to their pool record, certification state, who asks for support, notes oldest first."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

CERTIFICATION_NOTICE = timedelta(days=30)
LOW_WELLBEING = 2


def certification_state(certified_until: date | str | None, today: date) -> str:
    """`missing` (no valid core certification), `expired`, `expires_soon` (within 30 days)
    or `valid`."""
    if certified_until is None:
        return "missing"
    until = certified_until
    if isinstance(until, str):
        until = date.fromisoformat(until)
    if until < today:
        return "expired"
    return "expires_soon" if until <= today + CERTIFICATION_NOTICE else "valid"


def needs_support(load: Mapping[str, Any]) -> bool:
    """The mentor asked for support, or their latest wellbeing score is low."""
    score = load.get("latest_wellbeing")
    return bool(load.get("wants_support")) or (score is not None and score <= LOW_WELLBEING)


def mentor_rows(
    loads: Iterable[Mapping[str, Any]], profiles: Mapping[str, Mapping[str, Any]], today: date
) -> list[dict[str, Any]]:
    """Each overseen mentor's load with their name and certification from the pool; those who
    need support first, then by name."""
    rows = []
    for load in loads:
        profile = profiles.get(load["mentor_id"], {})
        rows.append(
            {
                **load,
                "name": profile.get("display_name") or load["mentor_id"],
                "certified_until": profile.get("certified_until"),
                "certification": certification_state(profile.get("certified_until"), today),
                "needs_support": needs_support(load),
            }
        )
    return sorted(rows, key=lambda row: (not row["needs_support"], row["name"], row["mentor_id"]))


def notes_oldest_first(
    notes: Iterable[Mapping[str, Any]], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Peer notes waiting to be read, the longest waiting first, each with its mentor's name."""
    rows = [
        {**note, "mentor_name": names.get(note["mentor_id"], note["mentor_id"])} for note in notes
    ]
    return sorted(rows, key=lambda row: (str(row.get("completed_at") or ""), row["session_id"]))
