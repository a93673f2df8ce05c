"""Pool rules: when core certifications lapse, what supervisors must act on, whether an active
mentor may stay active, and the supervision ratio."""

from datetime import date, timedelta

from matching.pool import domain

TODAY = date(2026, 3, 14)


# certifications

CORE = ["active_listening", "boundaries", "crisis_response", "ethics"]


def test_certified_until_is_the_first_core_expiry_and_none_while_one_is_missing() -> None:
    expiries = {kind: TODAY + timedelta(days=n) for n, kind in enumerate(CORE, start=10)}
    expiries["first_aid"] = TODAY  # not core: does not count
    assert domain.certified_until(expiries, CORE) == TODAY + timedelta(days=10)
    del expiries["ethics"]
    assert domain.certified_until(expiries, CORE) is None


def test_notices_name_missing_expired_and_soon_expiring_core_certifications() -> None:
    expiries = {
        "active_listening": TODAY - timedelta(days=1),
        "boundaries": TODAY + timedelta(days=10),
        "crisis_response": TODAY + timedelta(days=200),
    }
    notices = domain.certification_notices("mn_a", expiries, CORE, TODAY, notice_days=30)
    assert [(n.kind, n.state) for n in notices] == [
        ("ethics", "missing"),
        ("active_listening", "expired"),
        ("boundaries", "expires_soon"),
    ]


def test_an_active_mentor_needs_every_core_certification_valid() -> None:
    valid = dict.fromkeys(CORE, TODAY)
    assert domain.check_active_certifications("active", valid, CORE, TODAY) is None
    assert domain.check_active_certifications("trainee", {}, CORE, TODAY) is None
    lapsed = {**valid, "ethics": TODAY - timedelta(days=1)}
    reason = domain.check_active_certifications("active", lapsed, CORE, TODAY)
    assert reason is not None and "expired ethics" in reason


def test_a_supervisor_over_the_ratio_is_flagged() -> None:
    assert domain.SupervisionLoad("sup", mentors=9, limit=8).over_limit
    assert not domain.SupervisionLoad("sup", mentors=8, limit=8).over_limit


def test_the_notice_window_runs_from_today_to_its_last_day() -> None:
    assert domain.in_notice_window(TODAY, TODAY, 30)
    assert domain.in_notice_window(TODAY + timedelta(days=30), TODAY, 30)
    assert not domain.in_notice_window(TODAY + timedelta(days=31), TODAY, 30)
    assert not domain.in_notice_window(TODAY - timedelta(days=1), TODAY, 30)  # lapsed already


def test_only_going_over_the_ratio_or_back_within_it_is_news() -> None:
    assert domain.crossing(False, 9, 8) == "over"
    assert domain.crossing(True, 10, 8) is None  # staying over
    assert domain.crossing(True, 8, 8) == "under"  # at the ratio is within it
    assert domain.crossing(False, 8, 8) is None
