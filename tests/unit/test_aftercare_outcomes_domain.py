"""Outcome arithmetic: rates, the median wait, the period's instants, first matches, and
calendar months in the branches' time zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from aftercare.outcomes import domain


def test_rates_round_to_three_places_and_nothing_to_count_is_none() -> None:
    assert domain.rate(1, 3) == 0.333
    assert domain.rate(0, 0) is None


def test_the_median_wait_is_in_hours_to_one_place() -> None:
    waits = [timedelta(hours=1), timedelta(hours=2, minutes=3), timedelta(hours=30)]

    assert domain.median_hours(waits) == 2.0
    assert domain.median_hours([]) is None


def test_a_period_runs_from_the_first_days_start_to_the_last_days_end() -> None:
    start, end = domain.period_bounds(date(2026, 11, 1), date(2026, 11, 30))

    assert start == datetime(2026, 11, 1, tzinfo=UTC)
    assert end == datetime(2026, 12, 1, tzinfo=UTC)


def test_the_earliest_moment_is_kept_per_key() -> None:
    early, late = datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 5, tzinfo=UTC)

    assert domain.earliest_by_key([("ep_a", late), ("ep_b", late), ("ep_a", early)]) == {
        "ep_a": early,
        "ep_b": late,
    }


KOLKATA = ZoneInfo("Asia/Kolkata")


def test_a_discharge_late_on_the_last_day_counts_in_the_branch_s_next_month() -> None:
    # 20:00 UTC on 31 January is 01:30 on 1 February in Kolkata.
    assert domain.month_of(datetime(2026, 1, 31, 20, 0, tzinfo=UTC), KOLKATA) == "2026-02"
    assert domain.month_of(datetime(2026, 1, 31, 18, 0, tzinfo=UTC), KOLKATA) == "2026-01"


def test_months_run_across_the_year_end_both_ends_included() -> None:
    assert domain.months_from("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert domain.months_from("2026-03", "2026-03") == ["2026-03"]
    assert domain.months_from("2026-04", "2026-03") == []
    assert domain.next_month("2026-12") == "2027-01"


def test_months_bounds_are_the_branch_s_midnights_in_utc() -> None:
    start, end = domain.months_bounds("2026-01", "2026-02", KOLKATA)
    assert start == datetime(2025, 12, 31, 18, 30, tzinfo=UTC)
    assert end == datetime(2026, 2, 28, 18, 30, tzinfo=UTC)
