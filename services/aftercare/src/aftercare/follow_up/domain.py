"""Follow-up rules: when a new patient's first meeting is, and which contact counts as a
follow-up."""

from datetime import datetime, time, timedelta, tzinfo

from aftercare.enrolment.domain import days_until


def next_meeting(weekday: int, start_time: str, tz: tzinfo, after: datetime) -> datetime:
    """The first weekly meeting (weekday, HH:MM local) that starts after `after`."""
    local = after.astimezone(tz)
    day = local.date() + timedelta(days=days_until(weekday, local.date()))
    start = datetime.combine(day, time.fromisoformat(start_time), tzinfo=tz)
    if start <= after:
        start += timedelta(days=7)
    return start.astimezone(after.tzinfo)


def why_contact_does_not_count(
    at: datetime, discharged_at: datetime, due_by: datetime, tz: tzinfo, now: datetime
) -> str | None:
    """A follow-up contact counts after the discharge day and by the end of the window, and
    not in the future (None if it counts)."""
    if at > now:
        return "a contact cannot be recorded ahead of time"
    if at.astimezone(tz).date() <= discharged_at.astimezone(tz).date():
        return "a contact on the discharge day (or before) does not count as follow-up"
    if at > due_by:
        return "the window closed before this contact; the follow-up was missed"
    return None
