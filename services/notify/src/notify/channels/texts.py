"""The subject and body of a notification, per kind and language, from non-PHI facts only.

`render(kind, language, facts, ack_url)` refuses a fact that is not on the allow-list (facts.py)
or that does not have its shape, so a caller cannot slip a name or an MRN into a message. The
subject never carries a ref; the body may carry a pseudonymous ref, ward, branch, severity, the
deadline in the branch's zone, and the links. Bengali texts use Bengali digits for numbers and
times (codes, refs and links stay as they are)."""

import string
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from notify.channels.catalogue import CATALOGUE, Line, Phrases
from notify.channels.facts import KINDS, FactError, checked

LANGUAGES = tuple(CATALOGUE)
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_FORMATTER = string.Formatter()

__all__ = ["KINDS", "LANGUAGES", "FactError", "render", "spoken"]


def _digits(text: str, language: str) -> str:
    return text.translate(_BENGALI_DIGITS) if language == "bn" else text


def _when(kind: str, deadline: str, zone: str, language: str) -> str:
    local = datetime.fromisoformat(deadline).astimezone(ZoneInfo(zone))
    shown = local.strftime("%H:%M %Z" if kind == "crisis" else "%Y-%m-%d %H:%M %Z")
    return _digits(shown, language)


def _view(kind: str, language: str, facts: dict[str, str], words: Phrases) -> dict[str, str]:
    """The facts as the text shows them, plus what the texts derive from them."""
    view = {key: value for key, value in facts.items() if key not in ("deadline", "zone")}
    for key in ("ack_within_min", "count", "days", "ratio", "step"):
        if key in view:
            view[key] = _digits(str(int(view[key])), language)
    if "severity" in view:
        view["severity"] = words.severity[view["severity"]]
    if "step" in facts and int(facts["step"]) >= 2:
        view["escalated"] = view["step"]
    if "certification" in facts:
        code = facts["certification"]
        view["certification_text"] = words.certifications.get(code, code)
    if "expires_on" in facts:
        view["expires_on"] = _digits(facts["expires_on"], language)
    if "deadline" in facts:
        view["deadline"] = _when(kind, facts["deadline"], facts["zone"], language)
    if "task" in facts:
        view["task_text"] = _pick(words.tasks[facts["task"]], view) or ""
    return view


def _pick(line: Line, view: Mapping[str, str]) -> str | None:
    """The first alternative whose placeholders are all known, filled in; None if there is none."""
    for template in line:
        names = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
        if names <= view.keys():
            return template.format_map(view)
    return None


def spoken(language: str | None) -> str:
    """The texts' language for a person's language tag ("bn-IN" → "bn"); English when there
    are no texts in theirs."""
    base = (language or "en").split("-")[0].lower()
    return base if base in CATALOGUE else "en"


def render(
    kind: str, language: str, facts: Mapping[str, str], ack_url: str | None
) -> tuple[str, str]:
    """(subject, body) of a `kind` notification in `language` ("en" or "bn")."""
    if language not in CATALOGUE:
        raise ValueError(f"no texts in language {language!r}; known: {', '.join(LANGUAGES)}")
    if ack_url is not None and not ack_url.startswith(("https://", "http://")):
        raise ValueError("the acknowledgement link must be an http(s) URL")
    words = CATALOGUE[language]
    view = _view(kind, language, checked(kind, facts), words)
    template = words.kinds[kind]
    subject = "".join(part for line in template.subject if (part := _pick(line, view)))
    lines = [part for line in template.body if (part := _pick(line, view))]
    if ack_url:
        lines.append(words.ack.format(ack_url=ack_url))
    if "console_url" in view:
        lines.append(words.console.format(console_url=view["console_url"]))
    lines.append(words.footer)
    return subject, "\n\n".join(lines)
