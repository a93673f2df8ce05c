"""The only facts a notification text may carry, and the shape each must have. An allow-list: a
caller cannot put a name, an MRN or a phone number into a message by passing it as a fact, and
a value that does not look like a code, a ref, a number, a time or a URL is refused too. Errors
name the key, never the value (the value may be the very thing that must not leak)."""

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SEVERITIES = ("moderate", "high", "critical")
TASKS = {
    "coordinator_task": ("waitlist", "no_group", "consent_pending"),
    "outreach": ("missed_first_meeting", "missed_session", "follow_up_due"),
}
REQUIRED = {
    "crisis": ("severity", "branch"),
    "proposal": ("branch",),
    "coordinator_task": ("branch", "task"),
    "outreach": ("task",),  # a missed session's event does not say the branch
    "dead_letter": (),
    "certification": ("certification", "expires_on", "days"),
    "supervision": ("count", "ratio"),
    "wellbeing": (),
}
KINDS = tuple(REQUIRED)

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_REF = re.compile(r"[a-z]{2,4}_[A-Za-z0-9]{4,64}")
_NUMBER = re.compile(r"[0-9]{1,4}")
_URL = re.compile(r"https?://[^\s<>\"']{1,2000}")


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


def _is_moment(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_day(value: str) -> bool:
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _is_zone(value: str) -> bool:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


SHAPES: dict[str, Callable[[str], bool]] = {
    "severity": lambda value: value in SEVERITIES,
    "branch": _matches(_CODE),
    "ward": _matches(_CODE),
    "ref": _matches(_REF),  # pseudonymous: pt_…, cr_…, a mentor, supervisor or match id
    "task": lambda value: any(value in tasks for tasks in TASKS.values()),
    "source": _matches(_CODE),  # the service or stream a dead letter came from
    "deadline": _is_moment,  # ISO 8601 with an offset; shown in `zone`
    "zone": _is_zone,  # the branch's IANA time zone
    "ack_within_min": _matches(_NUMBER),
    "step": _matches(_NUMBER),  # level in the duty chain; 2 and up means escalated
    "count": _matches(_NUMBER),
    "days": _matches(_NUMBER),
    "ratio": _matches(_NUMBER),  # mentors one supervisor may oversee
    "certification": _matches(_CODE),  # a certification's kind, e.g. crisis_response
    "expires_on": _is_day,  # a calendar day, YYYY-MM-DD
    "console_url": _matches(_URL),
}
ALLOWED = frozenset(SHAPES)


class FactError(ValueError):
    """A fact the text may not carry, or one of the wrong shape (the message says which key)."""


def checked(kind: str, facts: Mapping[str, str]) -> dict[str, str]:
    """The facts, if every key is allowed, every value has its shape and none is missing."""
    if kind not in REQUIRED:
        raise FactError(f"unknown kind of notification {kind!r}; known: {', '.join(KINDS)}")
    unknown = sorted(set(facts) - ALLOWED)
    if unknown:
        raise FactError(f"facts not allowed in a message: {', '.join(unknown)}")
    for key, value in facts.items():
        if not isinstance(value, str) or not SHAPES[key](value):
            raise FactError(f"fact {key!r} does not have the shape of a {key}")
    missing = [key for key in REQUIRED[kind] if key not in facts]
    if missing:
        raise FactError(f"a {kind} message needs: {', '.join(missing)}")
    if "task" in facts and facts["task"] not in TASKS.get(kind, ()):
        raise FactError(f"fact 'task' is not a task of a {kind} message")
    if "deadline" in facts and "zone" not in facts:
        raise FactError("a deadline is shown in the branch's zone: pass 'zone' too")
    return dict(facts)
