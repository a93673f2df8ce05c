"""The two EHRs of the network, as they write HL7 v2.

Vendor 1 is the network's shared hospital information system (MSH-4 `SAATHI-HIS`, Salt Lake
and Park Street by PV1-3.4): HL7 2.5.1 with enhanced acknowledgement (MSH-15/16 `AL`), UTF-8
Bengali names, a network-wide enterprise id (`KOLNET`, type PI), a facility MRN and the ABHA
number with hyphens. Vendor 2 is Behala's own system (MSH-4 `BEHALA`): HL7 2.3.1 in original
acknowledgement mode, upper-case Latin names, its own MRNs and the ABHA mostly without hyphens.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from saathi_stack.simulate.model import Person, Record
from saathi_stack.simulate.people import hyphenated

KOLKATA = ZoneInfo("Asia/Kolkata")
FACILITY = {"kol-salt-lake": "SLK", "kol-park-street": "PKS", "kol-behala": "BEHALA"}
VENDOR_OF = {"kol-salt-lake": "v1", "kol-park-street": "v1", "kol-behala": "v2"}
STRUCTURE = {"A01": "ADT_A01", "A02": "ADT_A02", "A03": "ADT_A03", "A08": "ADT_A01"}
STRUCTURE |= {"A11": "ADT_A09", "A13": "ADT_A01", "A40": "ADT_A39"}


@dataclass
class Visit:
    """What PV1 says about a stay at the moment of a message."""

    number: str
    branch: str
    ward: str
    admitted_at: datetime
    discharged_at: datetime | None = None


def _ts(moment: datetime, offset: bool) -> str:
    local = moment.astimezone(KOLKATA)
    return local.strftime("%Y%m%d%H%M%S%z" if offset else "%Y%m%d%H%M%S")


def _msh(vendor: str, trigger: str, control_id: str, at: datetime) -> str:
    if vendor == "v1":
        return (
            f"MSH|^~\\&|NETHIS|SAATHI-HIS|SAATHI|SAATHI-INTAKE|{_ts(at, True)}||"
            f"ADT^{trigger}^{STRUCTURE[trigger]}|{control_id}|P|2.5.1|||AL|AL|IND|UNICODE UTF-8"
        )
    return (
        f"MSH|^~\\&|MEDIX|BEHALA|SAATHI|SAATHI-INTAKE|{_ts(at, False)}||"
        f"ADT^{trigger}|{control_id}|P|2.3.1"
    )


def abha_as_written(person: Person, vendor: str, hyphens: bool) -> str | None:
    """The ABHA number as this vendor writes it (vendor 1 always with hyphens)."""
    if person.abha is None:
        return None
    return hyphenated(person.abha) if vendor == "v1" or hyphens else person.abha


def identifiers(record: Record, abha: str | None) -> str:
    """PID-3 (or MRG-1): enterprise id, facility MRN and ABHA."""
    ids = []
    if record.enterprise_id:
        ids.append(f"{record.enterprise_id}^^^KOLNET^PI")
    ids.append(f"{record.mrn}^^^{record.mrn_authority}^MR")
    if abha:
        ids.append(f"{abha}^^^ABHA^ABHA")
    return "~".join(ids)


def _pid(person: Person, record: Record, vendor: str, abha: str | None, phone: str) -> str:
    if vendor == "v1":
        name, language = f"{person.family_bn}^{person.given_bn}", "ben"
    else:
        name, language = f"{person.family.upper()}^{person.given.upper()}", "BEN"
    if person.language != "bn":
        language = {"hi": "hin", "en": "eng"}[person.language]
    return (
        f"PID|1||{identifiers(record, abha)}||{name}||"
        f"{person.birth_date:%Y%m%d}|{person.sex}|||||{phone}||{language}"
    )


def _pv1(vendor: str, visit: Visit, disposition: str = "") -> str:
    location = f"{visit.ward}^^^{FACILITY[visit.branch]}" if vendor == "v1" else visit.ward
    number = f"{visit.number}^^^NETHIS" if vendor == "v1" else visit.number
    admitted = _ts(visit.admitted_at, vendor == "v1")
    discharged = _ts(visit.discharged_at, vendor == "v1") if visit.discharged_at else ""
    return (
        f"PV1|1|I|{location}||||||||||||||||{number}"
        + "|" * 17
        + disposition
        + "|" * 8
        + f"{admitted}|{discharged}"
    )


def adt(
    trigger: str,
    control_id: str,
    at: datetime,
    person: Person,
    record: Record,
    visit: Visit,
    abha: str | None,
    phone: str = "",
) -> bytes:
    """An ADT message about a stay (A01, A02, A03, A08, A11, A13); `abha` as written."""
    vendor = VENDOR_OF[visit.branch]
    segments = [
        _msh(vendor, trigger, control_id, at),
        f"EVN|{trigger}|{_ts(at, vendor == 'v1')}",
        _pid(person, record, vendor, abha, phone),
        _pv1(vendor, visit, "01" if trigger == "A03" else ""),
    ]
    return "\r".join(segments).encode("utf-8")


def merge(
    control_id: str, at: datetime, person: Person, survivor: Record, duplicate: Record
) -> bytes:
    """A40 from vendor 1: the duplicate registration is folded into the surviving one."""
    segments = [
        _msh("v1", "A40", control_id, at),
        f"EVN|A40|{_ts(at, True)}",
        _pid(person, survivor, "v1", abha_as_written(person, "v1", True), ""),
        f"MRG|{identifiers(duplicate, None)}",
    ]
    return "\r".join(segments).encode("utf-8")
