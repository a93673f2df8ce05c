"""Fictional HL7 v2 ADT messages for the simulated EHR and the benchmark (no real people)."""

from datetime import datetime
from zoneinfo import ZoneInfo

KOLKATA = ZoneInfo("Asia/Kolkata")
# Sender (MSH-4) of each branch, as configured in intake's default HL7 senders.
SENDERS = {"kol-salt-lake": "SALTLAKE", "kol-park-street": "PARKST", "kol-behala": "BEHALA"}
LANGUAGE_CODES = {"bn": "ben", "hi": "hin", "en": "eng"}


def _now() -> str:
    return datetime.now(KOLKATA).strftime("%Y%m%d%H%M%S%z")


def _msh(branch: str, trigger: str, control_id: str, structure: str) -> str:
    return (
        f"MSH|^~\\&|SIM-EHR|{SENDERS[branch]}|SAATHI|SAATHI-INTAKE|{_now()}||"
        f"ADT^{trigger}^{structure}|{control_id}|P|2.5.1|||||IND|UNICODE UTF-8"
    )


def admission(
    *,
    control_id: str,
    mrn: str,
    visit: str,
    branch: str,
    ward: str,
    family: str,
    given: str,
    language: str,
) -> bytes:
    """An A01 for a new stay."""
    now = _now()
    segments = [
        _msh(branch, "A01", control_id, "ADT_A01"),
        f"EVN|A01|{now}",
        f"PID|1||{mrn}^^^SAATHI^MR||{family}^{given}||||||||||"
        f"{LANGUAGE_CODES.get(language, language)}",
        f"PV1|1|I|{ward}||||||||||||||||{visit}" + "|" * 25 + now,
    ]
    return "\r".join(segments).encode("utf-8")


def discharge(*, control_id: str, mrn: str, visit: str, branch: str, ward: str) -> bytes:
    """An A03 ending a stay, discharged home (disposition 01)."""
    now = _now()
    segments = [
        _msh(branch, "A03", control_id, "ADT_A03"),
        f"EVN|A03|{now}",
        f"PID|1||{mrn}^^^SAATHI^MR",
        f"PV1|1|I|{ward}||||||||||||||||{visit}" + "|" * 17 + "01" + "|" * 9 + now,
    ]
    return "\r".join(segments).encode("utf-8")


def cancel_admission(*, control_id: str, mrn: str, visit: str, branch: str, ward: str) -> bytes:
    """An A11: the admission was entered in error."""
    now = _now()
    segments = [
        _msh(branch, "A11", control_id, "ADT_A09"),
        f"EVN|A11|{now}",
        f"PID|1||{mrn}^^^SAATHI^MR",
        f"PV1|1|I|{ward}||||||||||||||||{visit}",
    ]
    return "\r".join(segments).encode("utf-8")
