"""Request payloads for tests (marker identities, never real people)."""

import itertools
from datetime import date, timedelta

_counter = itertools.count(1)


def admission(branch: str = "kol-salt-lake", language: str = "bn", **overrides: object) -> dict:
    """An admission request with a unique MRN and visit number."""
    n = next(_counter)
    body: dict[str, object] = {
        "mrn": f"MRN-T{n:06d}",
        "given_name": "Testpatient",
        "family_name": f"Marker{n}",
        "branch": branch,
        "ward": "ward-a",
        "visit_number": f"V-T{n:06d}",
        "language": language,
    }
    body.update(overrides)
    return body


def consent(status: str = "given") -> dict:
    """A consent decision."""
    return {
        "status": status,
        "text_version": "v1",
        "text_language": "bn",
        "recorded_by": "coord-test",
    }


def mentor(
    branches: list[str] | None = None,
    languages: list[str] | None = None,
    capacity: int = 3,
    **overrides: object,
) -> dict:
    """A mentor registration with valid certification."""
    body: dict[str, object] = {
        "display_name": "Test Mentor",
        "languages": ["bn", "en"] if languages is None else languages,
        "branches": ["kol-salt-lake"] if branches is None else branches,
        "lived_experience": ["depression"],
        "capacity": capacity,
        "certifications": certifications(),
    }
    body.update(overrides)
    return body


CORE_CERTIFICATIONS = ("active_listening", "boundaries", "crisis_response", "ethics")


def certifications(
    expires: date | None = None, kinds: tuple[str, ...] = CORE_CERTIFICATIONS
) -> list:
    """Certifications of the given kinds, issued a year before they expire (default: in a year)."""
    expires = expires or date.today() + timedelta(days=365)
    issued = expires - timedelta(days=365)
    return [
        {"kind": kind, "issued_on": issued.isoformat(), "expires_on": expires.isoformat()}
        for kind in kinds
    ]


def group(
    branch: str = "kol-salt-lake",
    facilitator: str = "mn-1",
    language: str = "bn",
    capacity: int = 10,
) -> dict:
    """An outpatient group as sessions sets it up (aftercare fills it at discharge)."""
    return {
        "title": "Test circle",
        "branch": branch,
        "setting": "outpatient",
        "focus": "general_recovery",
        "language": language,
        "capacity": capacity,
        "weekday": 2,
        "start_time": "17:30",
        "starts_on": "2026-01-01",
        "facilitator_ids": [facilitator],
    }
