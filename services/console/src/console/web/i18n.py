"""English and Bengali: the labels from each language's catalogue, dates and numbers by Babel
(Bengali digits and month names in Bengali)."""

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from fastapi import Request

LANGUAGES = {"en": "English", "bn": "বাংলা"}
LANGUAGE_COOKIE = "saathi_lang"
LOCALES = Path(__file__).parents[1] / "locales"
# CLDR gives Bengali dates and numbers Latin digits; people reading Bengali expect Bengali ones.
NATIVE_DIGITS = {"bn": str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")}


@cache
def catalogue(language: str) -> dict[str, str]:
    """Every label of one language, by key: the common file and each screen's own
    (`locales/<lang>.json`, `locales/<screen>/<lang>.json`)."""
    labels: dict[str, str] = {}
    for path in sorted(LOCALES.glob(f"**/{language}.json")):
        labels.update(json.loads(path.read_text(encoding="utf-8")))
    return labels


def language_of(request: Request, default: str = "en") -> str:
    """The person's choice (cookie), else the browser's first known language, else `default`."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default


class Translator:
    """Labels, dates and numbers in one language."""

    def __init__(self, language: str, zone: str) -> None:
        self.language = language
        self._zone = ZoneInfo(zone)
        self._labels = catalogue(language)
        self._fallback = catalogue("en")

    def __call__(self, key: str, **values: object) -> str:
        """The label for `key`, its `{name}` placeholders filled (English if untranslated)."""
        text = self._labels.get(key) or self._fallback.get(key) or key
        return text.format(**values) if values else text

    def event(self, event_type: str) -> str:
        """What an event means in words (`matching.match.made` → its label, or "match made")."""
        label = self._labels.get(f"event.{event_type}") or self._fallback.get(f"event.{event_type}")
        return label or " ".join(event_type.split(".")[1:]).replace("_", " ")

    def when(self, moment: datetime | str | None, style: str = "medium") -> str:
        """A moment in the branch's zone, in this language's words and digits."""
        if moment is None or moment == "":
            return "—"
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        text = format_datetime(moment, style, tzinfo=self._zone, locale=self.language)
        return text.translate(NATIVE_DIGITS.get(self.language, {}))

    def day(self, value: date | str | None) -> str:
        """A calendar date (no time, no zone: a target or expiry day) in this language."""
        if value is None or value == "":
            return "—"
        found = date.fromisoformat(value) if isinstance(value, str) else value
        text = format_date(found, "medium", locale=self.language)
        return text.translate(NATIVE_DIGITS.get(self.language, {}))

    def number(self, value: float | int | None) -> str:
        """A number in this language's digits and grouping."""
        if value is None:
            return "—"
        text = format_decimal(value, locale=self.language)
        return text.translate(NATIVE_DIGITS.get(self.language, {}))
