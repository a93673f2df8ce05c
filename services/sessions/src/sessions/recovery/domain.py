"""Standard questionnaires defined as data (items, scale, reverse-scored items, scoring rule,
bands, re-measurement interval), and their scoring (pure)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.errors import Invalid


@dataclass(frozen=True)
class Item:
    """One question; a reverse-scored item counts `min + max - answer`."""

    item_id: str
    text: str
    reverse: bool = False


@dataclass(frozen=True)
class Band:
    """Scores up to `up_to` (inclusive) read as `label`."""

    up_to: float
    label: str


@dataclass(frozen=True)
class Questionnaire:
    """A questionnaire as shipped in `sessions/recovery/questionnaires/*.json`."""

    questionnaire_id: str
    title: str
    licence: str
    scale_min: int
    scale_max: int
    items: tuple[Item, ...]
    rule: str  # "sum" or "mean"
    multiply: float
    bands: tuple[Band, ...]
    remeasure_every_days: int
    alert_items: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    """A scored response: the raw total, the reported score, its band, and items that call for
    attention (e.g. thoughts of self-harm: consider flagging a crisis)."""

    raw: float
    score: float
    band: str
    alerts: tuple[str, ...]


def from_data(data: Mapping[str, object]) -> Questionnaire:
    """A questionnaire from its JSON definition."""
    scale = data["scale"]
    scoring = data["scoring"]
    assert isinstance(scale, Mapping) and isinstance(scoring, Mapping)
    items = data["items"]
    assert isinstance(items, list)
    return Questionnaire(
        questionnaire_id=str(data["questionnaire_id"]),
        title=str(data["title"]),
        licence=str(data["licence"]),
        scale_min=int(scale["min"]),
        scale_max=int(scale["max"]),
        items=tuple(Item(i["item_id"], i["text"], bool(i.get("reverse", False))) for i in items),
        rule=str(scoring["rule"]),
        multiply=float(scoring.get("multiply", 1)),
        bands=tuple(Band(float(b["up_to"]), str(b["label"])) for b in scoring["bands"]),
        remeasure_every_days=int(str(data["remeasure_every_days"])),
        alert_items=dict(data.get("alert_items", {})),  # type: ignore[call-overload]
    )


def score(questionnaire: Questionnaire, answers: Mapping[str, int]) -> Score:
    """Score a complete set of answers; refuse a missing, unknown or out-of-scale answer."""
    expected = {item.item_id for item in questionnaire.items}
    if missing := sorted(expected - answers.keys()):
        raise Invalid(f"answers missing for {', '.join(missing)}")
    if unknown := sorted(answers.keys() - expected):
        raise Invalid(f"no such items in {questionnaire.questionnaire_id}: {', '.join(unknown)}")
    low, high = questionnaire.scale_min, questionnaire.scale_max
    values = []
    for item in questionnaire.items:
        answer = answers[item.item_id]
        if not low <= answer <= high:
            raise Invalid(f"{item.item_id} must be between {low} and {high}")
        values.append(low + high - answer if item.reverse else answer)
    raw = float(sum(values)) if questionnaire.rule == "sum" else sum(values) / len(values)
    reported = round(raw * questionnaire.multiply, 2)
    band = next((b.label for b in questionnaire.bands if reported <= b.up_to), "out of range")
    alerts = tuple(
        item_id
        for item_id, threshold in questionnaire.alert_items.items()
        if answers.get(item_id, low) >= threshold
    )
    return Score(raw, reported, band, alerts)


def next_due(questionnaire: Questionnaire, last_taken: datetime | None, now: datetime) -> datetime:
    """When the questionnaire is next due: now for a baseline, else the interval after the last."""
    if last_taken is None:
        return now
    return last_taken + timedelta(days=questionnaire.remeasure_every_days)
