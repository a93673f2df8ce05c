"""HL7 acknowledgements: original mode (AA/AE/AR) and enhanced mode (CA/CE/CR, then AA/AE/AR)."""

import secrets
from dataclasses import dataclass
from typing import Literal

import hl7

from intake.hl7.mapping import Header
from intake.hl7.problems import Hl7Problem

APPLICATION = "SAATHI"
FACILITY = "SAATHI-INTAKE"
_LEGACY_ERR = ("2.3", "2.3.1", "2.4")  # before 2.5 the error goes in ERR-1 (ELD)


@dataclass(frozen=True)
class Outcome:
    """What intake did with a message: AA (applied and committed), AE, AR, or a transient
    failure (nothing stored; the sender should resend)."""

    code: Literal["AA", "AE", "AR", "transient"]
    text: str
    problem: Hl7Problem | None = None

    @classmethod
    def refused(cls, problem: Hl7Problem) -> "Outcome":
        """AE or AR for a problem found in the message."""
        return cls(problem.ack, problem.text, problem)


TRANSIENT = Outcome(
    "transient",
    "intake could not store the message just now; nothing was applied, resend it",
    Hl7Problem("AR", 207, "temporarily unable to store the message; resend"),
)


def _control_id() -> str:
    return f"SA{secrets.token_hex(9)}"


def _wanted(condition: str, ok: bool) -> bool:
    """MSH-15/16 condition (HL7 table 0155): AL always, NE never, SU on success, ER on error."""
    return {"NE": False, "SU": ok, "ER": not ok}.get(condition, True)


def _one(message: hl7.Message, header: Header, code: str, outcome: Outcome) -> str:
    try:
        text = str(message.create_ack(code, _control_id(), APPLICATION, FACILITY)).rstrip("\r")
    except Exception:  # an odd MSH (say MSH-9 without components) still gets an answer
        return _plain_ack(code, header.control_id, outcome.problem)
    problem = outcome.problem
    if problem is None or code in ("AA", "CA"):
        return text + "\r"
    reason = message.escape(problem.text)
    text += f"{message.separators[1]}{reason}"
    field, component = message.separators[1], message.separators[3]
    sub = message.separators[4]
    location = problem.location.replace("^", component)
    error_code = f"{problem.code}{component}{reason}{component}HL70357"
    if header.version in _LEGACY_ERR:
        err = f"ERR{field}{location}{component}{problem.code}{sub}{reason}{sub}HL70357"
    else:
        severity = "E"
        err = f"ERR{field}{field}{location}{field}{error_code}{field}{severity}{field * 4}{reason}"
    return f"{text}\r{err}\r"


def acknowledgements(message: hl7.Message, header: Header, outcome: Outcome) -> list[str]:
    """The ACK messages to send back, in order, as MSH-15/16 ask."""
    application = "AR" if outcome.code == "transient" else outcome.code
    if not header.enhanced:
        return [_one(message, header, application, outcome)]
    commit = {"AA": "CA", "AE": "CA", "AR": "CR", "transient": "CE"}[outcome.code]
    acks = []
    if _wanted(header.accept_ack, commit == "CA"):
        acks.append(_one(message, header, commit, outcome))
    if commit == "CA" and _wanted(header.application_ack, application == "AA"):
        acks.append(_one(message, header, application, outcome))
    return acks


def _plain_ack(code: str, control_id: str, problem: Hl7Problem | None) -> str:
    """An ACK in the default delimiters, for input whose own header cannot be echoed."""

    def clean(text: str) -> str:
        return "".join(" " if c in "|^~\\&\r\n" else c for c in text)

    ack = (
        f"MSH|^~\\&|{APPLICATION}|{FACILITY}|||||ACK|{_control_id()}|P|2.5.1\r"
        f"MSA|{code}|{clean(control_id)}"
    )
    if problem is None or code in ("AA", "CA"):
        return ack + "\r"
    reason = clean(problem.text)
    location = problem.location or "MSH^1"
    return f"{ack}|{reason}\rERR||{location}|{problem.code}^{reason}^HL70357|E\r"


def unparseable_ack(problem: Hl7Problem) -> str:
    """An AR for bytes that are not an HL7 message (nothing in them can be echoed back)."""
    return _plain_ack("AR", "", problem)


def msa_field(ack: str, number: int) -> str:
    """MSA-`number` of an acknowledgement ('' if it has none)."""
    for segment in ack.replace("\n", "\r").split("\r"):
        if segment.startswith("MSA") and len(segment) > 3:
            fields = segment.split(segment[3])
            return fields[number] if len(fields) > number else ""
    return ""


def ack_code(ack: str) -> str:
    """MSA-1 of an acknowledgement: AA, AE, AR, CA, CE or CR ('' if it has none)."""
    return msa_field(ack, 1)[:2]
