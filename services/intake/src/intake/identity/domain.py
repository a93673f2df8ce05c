"""Identity rules, pure (no I/O): who a patient is as the EHR sends it, patient identifiers in
one canonical form whatever the channel wrote (keyed by assigning authority, type, value; an
ABHA number is 14 digits, hyphens and spaces being presentation; an ABHA address `name@abdm` is
another kind of identifier), pseudonymous patient references and birth dates."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from shared.errors import Invalid

ABDM = "ABDM"  # the national authority that issues ABHA numbers and addresses
ABHA = "ABHA"
ABHA_ADDRESS = "ABHA-ADDRESS"
MEDICAL_RECORD = "MR"
ABHA_AUTHORITIES = frozenset({"ABHA", "NDHM", "ABDM"})
AUTHORITY_LENGTH, TYPE_LENGTH, VALUE_LENGTH = 128, 32, 64
_SEPARATORS = re.compile(r"[ -]+")
_ABHA_DIGITS = re.compile(r"[0-9]{14}")
_ABHA_ADDRESS = re.compile(r"[a-z0-9._-]+@[a-z0-9.-]+")
# What an ABHA field accepts, for request schemas: 14 digits with hyphens or spaces, or an address.
ABHA_PATTERN = r"^([ -]*[0-9]){14}[ -]*$|^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+$"
# The first time zone to reach a new day: no birth anywhere is later than its date.
_FIRST_ZONE = timezone(timedelta(hours=14))


@dataclass(frozen=True)
class Identifier:
    """A patient identifier, keyed by who assigned it, its type and its value, in the canonical
    form `make` gives it (e.g. `KOL-SL`/`MR`/`12345`, `ABDM`/`ABHA`/14 digits)."""

    authority: str
    type: str
    value: str


@dataclass(frozen=True)
class PatientDetails:
    """Identity as the EHR sent it; only intake ever stores it."""

    identifiers: tuple[Identifier, ...]
    family_name: str = ""
    given_name: str = ""
    birth_date: date | None = None
    sex: str | None = None
    phone: str | None = None
    language: str | None = None


def new_patient_ref() -> str:
    """A random pseudonymous patient reference (no link to identity outside intake)."""
    return f"pt_{secrets.token_hex(10)}"


def check_birth_date(born: date | None, today: date) -> None:
    """A birth date is a calendar date; one after `today` (at the sender) is refused."""
    if born is not None and born > today:
        raise Invalid("the date of birth is in the future")


def latest_today(now: datetime) -> date:
    """Today where it is latest on Earth: "today" for a sender whose time zone is unknown
    (REST, FHIR), so a baby born today anywhere is never refused."""
    return now.astimezone(_FIRST_ZONE).date()


def canonical_authority(text: str) -> str:
    """An assigning authority: a code is compared without case (kept upper case), a URI
    (`urn:oid:…`, `https://…`) exactly as sent."""
    text = text.strip()
    return text if ":" in text else text.upper()


def make(authority: str, kind: str, value: str) -> Identifier:
    """The canonical identifier; a type not sent is the authority's medical record number (MR).

    Raises Invalid (naming no value) when it cannot be one.
    """
    authority = canonical_authority(authority)
    kind = kind.strip().upper() or MEDICAL_RECORD
    if kind == ABHA_ADDRESS:
        return _abha_address(value)
    if authority in ABHA_AUTHORITIES or kind == ABHA:
        return abha(value)
    value = value.strip()
    if not value:
        raise Invalid("an identifier has no value")
    if not authority:
        raise Invalid("an identifier has no assigning authority")
    if len(authority) > AUTHORITY_LENGTH or len(kind) > TYPE_LENGTH or len(value) > VALUE_LENGTH:
        raise Invalid(
            f"an identifier is too long (authority ≤ {AUTHORITY_LENGTH}, type ≤ {TYPE_LENGTH}, "
            f"value ≤ {VALUE_LENGTH} characters)"
        )
    return Identifier(authority, kind, value)


def abha(value: str) -> Identifier:
    """An ABHA number (14 digits, whatever hyphens or spaces were written) or, with `@`, an
    ABHA address (compared without case)."""
    if "@" in value:
        return _abha_address(value)
    digits = _SEPARATORS.sub("", value)
    if len(value) > VALUE_LENGTH or not _ABHA_DIGITS.fullmatch(digits):
        raise Invalid("an ABHA number has 14 digits (hyphens and spaces aside)")
    return Identifier(ABDM, ABHA, digits)


def _abha_address(value: str) -> Identifier:
    address = value.lower()
    if len(address) > VALUE_LENGTH or not _ABHA_ADDRESS.fullmatch(address):
        raise Invalid("an ABHA address is written name@domain, e.g. name@abdm")
    return Identifier(ABDM, ABHA_ADDRESS, address)


def display(identifier: Identifier) -> str:
    """How people write the identifier: an ABHA number as 91-4443-4293-4402."""
    if identifier.type != ABHA:
        return identifier.value
    digits = identifier.value
    return f"{digits[:2]}-{digits[2:6]}-{digits[6:10]}-{digits[10:]}"
