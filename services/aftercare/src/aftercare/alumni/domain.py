"""Alumni rules: when an alumnus may start training as a peer mentor, which course record
counts, and which courses still stand between a candidate and certification."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime


def why_the_path_is_closed(
    last_discharge: datetime | None, now: datetime, min_days: int
) -> str | None:
    """Training starts long enough after the last discharge (None if it may start now)."""
    if last_discharge is None:
        return None
    days = (now - last_discharge).days
    if days >= min_days:
        return None
    return (
        f"{days} days since the last discharge; the path opens after {min_days} "
        f"(in {min_days - days} days)"
    )


def why_the_course_does_not_count(
    course: str, completed_on: date, expires_on: date, today: date, courses: Sequence[str]
) -> str | None:
    """A course on the record is one of the configured courses, completed by today and
    expiring after it was completed (None if it counts)."""
    if course not in courses:
        return f"unknown course {course!r}; courses: {', '.join(courses)}"
    if expires_on <= completed_on or completed_on > today:
        return "a course is completed by today and expires after it was completed"
    return None


def missing_courses(
    required: Sequence[str], done: Mapping[str, Mapping[str, str]], today: date
) -> list[str]:
    """The required courses not on the record, or no longer valid today."""
    return [
        course
        for course in required
        if course not in done or date.fromisoformat(done[course]["expires_on"]) <= today
    ]
