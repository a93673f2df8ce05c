"""HL7 v2 ADT → an intake command (the field table is in the README, "HL7 field mapping")."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import hl7

from intake.config import Hl7Sender
from intake.ehr.domain import EhrAction, EhrMessage, Visit
from intake.hl7.codec import field_text, repetitions, value
from intake.hl7.problems import Hl7Problem
from intake.identity import domain as identity
from intake.identity.domain import Identifier, PatientDetails
from shared.errors import Invalid

ACTIONS: dict[str, EhrAction] = {
    "A01": "admit",
    "A04": "admit",
    "A02": "transfer",
    "A03": "discharge",
    "A08": "update",
    "A11": "cancel_admission",
    "A13": "cancel_discharge",
    "A40": "merge",
}
VERSIONS = ("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2")
_NEEDS_VISIT = {"admit", "transfer", "discharge", "cancel_admission", "cancel_discharge"}
_DTM = re.compile(
    r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d{1,4})?(?:([+-])(\d{2})(\d{2}))?$"
)
_ISO_639_2 = {
    "ben": "bn",
    "eng": "en",
    "hin": "hi",
    "urd": "ur",
    "ori": "or",
    "asm": "as",
    "nep": "ne",
    "tam": "ta",
    "tel": "te",
    "mar": "mr",
}
_SEX = {"F", "M", "O", "U", "A", "N"}


@dataclass(frozen=True)
class Header:
    """What MSH says about a message: who sent it, what it is, how to acknowledge it."""

    sender: str
    control_id: str
    message_code: str
    trigger: str
    version: str
    accept_ack: str  # MSH-15: empty in original mode
    application_ack: str  # MSH-16

    @property
    def enhanced(self) -> bool:
        """Enhanced acknowledgement mode is asked for by MSH-15 or MSH-16."""
        return bool(self.accept_ack or self.application_ack)


def read_header(message: hl7.Message) -> Header:
    """The MSH fields intake needs; a message without a control id is refused (AR)."""
    header = Header(
        sender=value(message, "MSH", 4) or value(message, "MSH", 3),
        control_id=field_text(message, "MSH", 10),
        message_code=value(message, "MSH", 9, 1),
        trigger=value(message, "MSH", 9, 2),
        version=value(message, "MSH", 12),
        accept_ack=value(message, "MSH", 15).upper(),
        application_ack=value(message, "MSH", 16).upper(),
    )
    if not header.control_id:
        raise Hl7Problem("AR", 101, "MSH-10 (message control id) is required", "MSH^1^10")
    if len(header.control_id) > 199 or len(header.sender) > 199:
        raise Hl7Problem("AR", 102, "MSH-10 or MSH-4 is longer than 199 characters", "MSH^1^10")
    if not (header.control_id + header.sender).isprintable():
        raise Hl7Problem("AR", 102, "MSH-10 or MSH-4 holds control characters", "MSH^1^10")
    return header


def check_supported(header: Header) -> EhrAction:
    """The action of an ADT trigger this listener takes, or AR."""
    if header.version not in VERSIONS:
        raise Hl7Problem(
            "AR", 203, f"HL7 version {header.version or '(none)'} is not supported (2.3 to 2.8)"
        )
    if header.message_code != "ADT" or header.trigger not in ACTIONS:
        raise Hl7Problem(
            "AR",
            200 if header.message_code != "ADT" else 201,
            f"message type {header.message_code}^{header.trigger} is not supported; "
            f"ADT {', '.join(ACTIONS)} are",
            "MSH^1^9",
        )
    return ACTIONS[header.trigger]


def to_command(
    message: hl7.Message, header: Header, sender: Hl7Sender, now: datetime | None = None
) -> EhrMessage:
    """The intake command for a supported ADT message; content errors raise AE problems.
    `now` (default: the clock) decides what is "in the future" at the sender."""
    action = check_supported(header)
    zone = ZoneInfo(sender.timezone)
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    authority = sender.default_identifier_authority(header.sender)
    patient = _patient(message, today, authority)
    recorded_at = _time(message, "EVN", 2, zone, "EVN-2 (recorded date/time)")
    if action == "merge":
        prior = _identifiers(message, "MRG", 1, authority)
        if not prior:
            raise Hl7Problem("AE", 101, "MRG-1 (prior patient identifier) is required", "MRG^1^1")
        return EhrMessage(action, patient, merge_from=prior, recorded_at=recorded_at)
    visit = _visit(message, header, sender, zone) if action in _NEEDS_VISIT else None
    return EhrMessage(action, patient, visit=visit, recorded_at=recorded_at)


def _patient(message: hl7.Message, today: date, default_authority: str) -> PatientDetails:
    found = _identifiers(message, "PID", 3, default_authority)
    if not found:
        raise Hl7Problem("AE", 101, "PID-3 (patient identifier list) is required", "PID^1^3")
    birth = _date(message, "PID", 7, "PID-7 (date of birth)")
    try:
        identity.check_birth_date(birth, today)
    except Invalid:
        raise Hl7Problem("AE", 102, "PID-7 (date of birth) is in the future", "PID^1^7") from None
    sex = value(message, "PID", 8).upper()
    return PatientDetails(
        identifiers=found,
        family_name=value(message, "PID", 5, 1)[:200],
        given_name=value(message, "PID", 5, 2)[:200],
        birth_date=birth,
        sex=sex if sex in _SEX else None,
        phone=_phone(message),
        language=_language(value(message, "PID", 15, 1)),
    )


def _phone(message: hl7.Message) -> str | None:
    """PID-13: the number as sent (XTN-1 or XTN-12), else country, area and local parts."""
    whole = value(message, "PID", 13, 1) or value(message, "PID", 13, 12)
    parts = "".join(value(message, "PID", 13, component) for component in (5, 6, 7))
    return (whole or parts)[:64] or None


def _identifiers(
    message: hl7.Message, segment: str, field: int, default_authority: str
) -> tuple[Identifier, ...]:
    """Each CX repetition keyed by its authority (CX-4), type (CX-5) and value (CX-1)."""
    found = []
    for repetition in range(1, repetitions(message, segment, field) + 1):
        number = value(message, segment, field, 1, repetition)
        if not number:
            continue
        authority = _authority(message, segment, field, repetition) or default_authority
        kind = value(message, segment, field, 5, repetition)
        try:
            found.append(identity.make(authority, kind, number))
        except Invalid as error:
            raise Hl7Problem(
                "AE", 102, f"{segment}-{field}: {error.reason}", f"{segment}^1^{field}"
            ) from None
    return tuple(found)


def _authority(message: hl7.Message, segment: str, field: int, repetition: int) -> str:
    """CX-4 (HD): its namespace id, else its universal id (an ISO OID as `urn:oid:…`)."""
    namespace = value(message, segment, field, 4, repetition)
    universal = value(message, segment, field, 4, repetition, subcomponent=2)
    if namespace or not universal:
        return namespace
    iso = value(message, segment, field, 4, repetition, subcomponent=3).upper() == "ISO"
    return f"urn:oid:{universal}" if iso else universal


def _language(code: str) -> str | None:
    code = code.strip().lower()
    if len(code) == 2 and code.isalpha():
        return code
    return _ISO_639_2.get(code)


def _visit(message: hl7.Message, header: Header, sender: Hl7Sender, zone: ZoneInfo) -> Visit:
    number = value(message, "PV1", 19, 1)
    if not number:
        raise Hl7Problem("AE", 101, "PV1-19 (visit number) is required", "PV1^1^19")
    facility = value(message, "PV1", 3, 4)
    if sender.facilities:
        branch = sender.facilities.get(facility)
        if branch is None:
            raise Hl7Problem(
                "AE",
                103,
                "PV1-3.4 (facility) is not a branch this sender is mapped to",
                "PV1^1^3",
            )
    elif sender.branch:
        branch = sender.branch
    else:
        raise Hl7Problem("AE", 103, "no branch is configured for this sender", "PV1^1^3")
    return Visit(
        authority=value(message, "PV1", 19, 4) or sender.visit_authority or header.sender,
        number=number[:64],
        branch=branch,
        ward=(value(message, "PV1", 3, 1) or "unassigned")[:64],
        admitted_at=_time(message, "PV1", 44, zone, "PV1-44 (admit date/time)"),
        discharged_at=_time(message, "PV1", 45, zone, "PV1-45 (discharge date/time)"),
        disposition=value(message, "PV1", 36, 1)[:64] or None,
    )


def _date(message: hl7.Message, segment: str, field: int, name: str) -> date | None:
    """The calendar date of an HL7 DT/DTM exactly as written: a date is never moved by a time
    zone (19950724 is 24 July 1995 wherever it is read). Bad → AE."""
    text = value(message, segment, field, 1)
    if not text:
        return None
    match = _DTM.match(text)
    if match is None:
        raise Hl7Problem("AE", 102, f"{name} is not an HL7 date", f"{segment}^1^{field}")
    year, month, day = match.groups()[:3]
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise Hl7Problem("AE", 102, f"{name} is not a real date", f"{segment}^1^{field}") from None


def _time(
    message: hl7.Message, segment: str, field: int, zone: ZoneInfo, name: str
) -> datetime | None:
    """An HL7 DTM; without an offset it is the sender's local time. Bad → AE."""
    text = value(message, segment, field, 1)
    if not text:
        return None
    match = _DTM.match(text)
    if match is None:
        raise Hl7Problem("AE", 102, f"{name} is not an HL7 date/time", f"{segment}^1^{field}")
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    try:
        tz: timezone | ZoneInfo = zone
        if sign:
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            tz = timezone(offset if sign == "+" else -offset)
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        raise Hl7Problem("AE", 102, f"{name} is not a real date", f"{segment}^1^{field}") from None
    return moment.astimezone(UTC)
