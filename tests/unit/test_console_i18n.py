"""The console's two languages: the same labels in both, Bengali digits in dates and numbers,
and the person's choice before the browser's."""

import json
from pathlib import Path

import pytest
from starlette.requests import Request

from console.web.i18n import LOCALES, Translator, language_of

PAIRS = sorted({path.parent for path in LOCALES.glob("**/en.json")})


@pytest.mark.parametrize("folder", PAIRS, ids=lambda folder: folder.name)
def test_every_label_exists_in_english_and_bengali(folder: Path):
    english = json.loads((folder / "en.json").read_text(encoding="utf-8"))
    bengali = json.loads((folder / "bn.json").read_text(encoding="utf-8"))
    assert set(english) == set(bengali)
    assert all(value.strip() for value in [*english.values(), *bengali.values()])


def test_bengali_dates_and_numbers_use_bengali_digits_and_the_branch_zone():
    bengali, english = Translator("bn", "Asia/Kolkata"), Translator("en", "Asia/Kolkata")
    assert bengali.number(1234) == "১,২৩৪" and english.number(1234) == "1,234"
    assert english.when("2026-12-05T04:26:49+00:00") == "Dec 5, 2026, 9:56:49\u202fAM"
    assert "ডিসে" in bengali.when("2026-12-05T04:26:49+00:00")
    assert "২০২৬" in bengali.when("2026-12-05T04:26:49+00:00")
    assert bengali("duty.title") == "ডিউটিতে" and english("duty.title") == "On duty"
    assert english("no.such.label") == "no.such.label"  # visible, not a crash
    assert english.event("matching.match.made") == "match made"
    assert english.event("intake.episode.transferred") == "episode transferred"


def _request(cookie: str | None, accept: str) -> Request:
    headers = [(b"accept-language", accept.encode())]
    if cookie:
        headers.append((b"cookie", f"saathi_lang={cookie}".encode()))
    return Request({"type": "http", "headers": headers})


def test_the_persons_choice_wins_then_the_browsers_language():
    assert language_of(_request("bn", "en-GB,en")) == "bn"
    assert language_of(_request(None, "bn-IN,bn;q=0.9,en;q=0.5")) == "bn"
    assert language_of(_request(None, "fr-FR")) == "en"
    assert language_of(_request("xx", "fr-FR")) == "en"
