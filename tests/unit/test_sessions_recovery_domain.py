"""Questionnaires as data: scoring rules, reverse-scored items, bands, alerts, the schedule."""

from datetime import UTC, datetime, timedelta

import pytest

from sessions.recovery import domain as rules
from sessions.recovery.handlers import shipped
from shared.errors import Invalid


def test_the_shipped_questionnaires_are_free_to_use_and_complete() -> None:
    assert set(shipped()) == {"gad7", "phq9", "who5"}
    for questionnaire in shipped().values():
        assert questionnaire.licence and questionnaire.items and questionnaire.bands


def test_who5_is_the_raw_sum_times_four() -> None:
    who5 = shipped()["who5"]
    answers = dict.fromkeys((i.item_id for i in who5.items), 3)
    scored = rules.score(who5, answers)
    assert (scored.raw, scored.score, scored.band) == (15.0, 60.0, "good well-being")
    low = rules.score(who5, dict.fromkeys(answers, 1))
    assert (low.score, low.band) == (20.0, "poor well-being")


@pytest.mark.parametrize(
    ("each", "band"), [(0, "minimal"), (1, "mild"), (2, "moderately severe"), (3, "severe")]
)
def test_phq9_bands(each: int, band: str) -> None:
    phq9 = shipped()["phq9"]
    assert rules.score(phq9, {i.item_id: each for i in phq9.items}).band == band


def test_thoughts_of_self_harm_raise_an_alert() -> None:
    phq9 = shipped()["phq9"]
    answers = {i.item_id: 0 for i in phq9.items}
    assert rules.score(phq9, answers).alerts == ()
    assert rules.score(phq9, {**answers, "self_harm": 1}).alerts == ("self_harm",)


def test_reverse_scored_items_count_from_the_other_end() -> None:
    mixed = rules.from_data(
        {
            "questionnaire_id": "mixed",
            "title": "t",
            "licence": "test only",
            "scale": {"min": 1, "max": 4},
            "items": [
                {"item_id": "a", "text": "a"},
                {"item_id": "b", "text": "b", "reverse": True},
            ],
            "scoring": {"rule": "mean", "bands": [{"up_to": 4, "label": "any"}]},
            "remeasure_every_days": 7,
        }
    )
    assert rules.score(mixed, {"a": 4, "b": 1}).raw == 4.0  # b=1 counts as 4
    assert rules.score(mixed, {"a": 1, "b": 4}).raw == 1.0


def test_incomplete_unknown_or_out_of_scale_answers_are_refused() -> None:
    gad7 = shipped()["gad7"]
    answers = {i.item_id: 1 for i in gad7.items}
    with pytest.raises(Invalid, match="missing for nervous"):
        rules.score(gad7, {k: v for k, v in answers.items() if k != "nervous"})
    with pytest.raises(Invalid, match="no such items"):
        rules.score(gad7, {**answers, "extra": 1})
    with pytest.raises(Invalid, match="between 0 and 3"):
        rules.score(gad7, {**answers, "nervous": 4})


def test_the_first_response_is_due_now_then_every_interval() -> None:
    who5, now = shipped()["who5"], datetime(2026, 12, 1, tzinfo=UTC)
    assert rules.next_due(who5, None, now) == now
    assert rules.next_due(who5, now, now) == now + timedelta(days=14)
