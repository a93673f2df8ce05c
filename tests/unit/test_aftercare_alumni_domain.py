"""Alumni rules: when the path to mentorship opens, which course counts, what is missing."""

from datetime import UTC, date, datetime, timedelta

from aftercare.alumni import domain

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
COURSES = ("active_listening", "boundaries")


def test_the_path_opens_a_minimum_time_after_the_last_discharge() -> None:
    assert domain.why_the_path_is_closed(None, NOW, 365) is None
    assert domain.why_the_path_is_closed(NOW - timedelta(days=365), NOW, 365) is None

    closed = domain.why_the_path_is_closed(NOW - timedelta(days=300), NOW, 365)

    assert closed == "300 days since the last discharge; the path opens after 365 (in 65 days)"


def test_a_course_counts_when_known_done_by_today_and_expiring_after() -> None:
    today = NOW.date()
    done, expires = today - timedelta(days=3), today + timedelta(days=700)

    assert domain.why_the_course_does_not_count("boundaries", done, expires, today, COURSES) is None
    unknown = domain.why_the_course_does_not_count("juggling", done, expires, today, COURSES)
    assert unknown == "unknown course 'juggling'; courses: active_listening, boundaries"
    assert domain.why_the_course_does_not_count("boundaries", done, done, today, COURSES)
    tomorrow = today + timedelta(days=1)
    assert domain.why_the_course_does_not_count("boundaries", tomorrow, expires, today, COURSES)


def test_missing_courses_are_those_not_done_or_expired() -> None:
    today = date(2026, 12, 2)
    done = {
        "active_listening": {"completed_on": "2026-11-01", "expires_on": "2028-11-01"},
        "boundaries": {"completed_on": "2024-11-01", "expires_on": "2026-12-02"},
    }

    assert domain.missing_courses(COURSES, done, today) == ["boundaries"]
    assert domain.missing_courses(COURSES, {}, today) == list(COURSES)
