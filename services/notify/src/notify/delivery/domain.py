"""Pure rules of delivery: retry timing and the text a person receives (no patient data)."""

from dataclasses import dataclass
from datetime import datetime


def backoff_s(attempts: int, base_s: float, cap_s: float) -> float:
    """Delay before the next try after `attempts` sends: base, 2 x base, 4 x base ... up to cap."""
    return float(min(cap_s, base_s * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Notice:
    """What a message may say: the alert's own words, kind, severity, branch and reference."""

    kind: str
    title: str
    severity: str | None
    branch: str | None
    reference: str
    deadline_at: datetime | None


FRAME = {
    "en": {
        "prefix": "Saathi alert",
        "kind": "Kind",
        "severity": "Severity",
        "branch": "Branch",
        "reference": "Reference",
        "deadline": "Escalates if not acknowledged by",
        "ack": "Acknowledge",
        "console": "Open the Saathi console to respond.",
    },
    "bn": {
        "prefix": "সাথী সতর্কবার্তা",
        "kind": "ধরন",
        "severity": "গুরুত্ব",
        "branch": "শাখা",
        "reference": "সূত্র",
        "deadline": "স্বীকার না করলে পরবর্তী জনকে জানানো হবে",
        "ack": "স্বীকার করুন",
        "console": "উত্তর দিতে সাথী কনসোল খুলুন।",
    },
}


def compose(notice: Notice, language: str, ack_url: str | None) -> tuple[str, str]:
    """Subject and body in the person's language (English when it has no frame)."""
    words = FRAME.get(language.split("-")[0], FRAME["en"])
    subject = f"{words['prefix']}: {notice.title}"
    lines = [notice.title, "", f"{words['kind']}: {notice.kind}"]
    if notice.severity:
        lines.append(f"{words['severity']}: {notice.severity}")
    if notice.branch:
        lines.append(f"{words['branch']}: {notice.branch}")
    lines.append(f"{words['reference']}: {notice.reference}")
    if notice.deadline_at:
        lines.append(f"{words['deadline']}: {notice.deadline_at:%Y-%m-%d %H:%M} UTC")
    lines.append("")
    lines.append(f"{words['ack']}: {ack_url}" if ack_url else words["console"])
    return subject, "\n".join(lines)
