"""The roster form, both ways: shifts into form fields, and posted fields into the body the
sessions API takes. Pure, so every odd input is tested without a browser."""

from collections.abc import Mapping, Sequence
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHAIN_ROLES = ("clinician", "supervisor", "branch_lead")


class RosterFormProblem(ValueError):
    """A field the person must correct; `key` names the label, `values` fill it."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def chain_text(chain: Sequence[Mapping[str, str]]) -> str:
    """`dr-a (clinician), sup-b (supervisor)` as one editable line."""
    return ", ".join(f"{link['person_id']} ({link['role']})" for link in chain)


def parse_chain(text: str, shift: str) -> list[dict[str, str]]:
    """The chain line back into links; a person without a role is a clinician."""
    links = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        person, _, role = part.partition("(")
        role = role.rstrip(")").strip() or "clinician"
        if role not in CHAIN_ROLES or not person.strip():
            raise RosterFormProblem("rosters.bad_chain", shift=shift, part=part)
        links.append({"person_id": person.strip(), "role": role})
    if not links:
        raise RosterFormProblem("rosters.empty_chain", shift=shift)
    return links


def _field(form: Mapping[str, Sequence[str]], index: int, name: str) -> str:
    return (form.get(f"shift-{index}-{name}") or [""])[0].strip()


def shifts_from_form(form: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """The posted shifts (`shift-N-name`, `-days`, `-starts`, `-ends`, `-chain`, `-remove`),
    in order, skipping removed ones and a blank new row."""
    indexes = sorted({int(key.split("-")[1]) for key in form if key.startswith("shift-")})
    shifts = []
    for index in indexes:
        name, chain = _field(form, index, "name"), _field(form, index, "chain")
        if _field(form, index, "remove") or not (name or chain):
            continue
        if not name:
            raise RosterFormProblem("rosters.unnamed_shift")
        days = [day for day in form.get(f"shift-{index}-days", []) if day in DAYS]
        if not days:
            raise RosterFormProblem("rosters.no_days", shift=name)
        shifts.append(
            {
                "name": name,
                "days": days,
                "starts": _field(form, index, "starts") or "00:00",
                "ends": _field(form, index, "ends") or "00:00",
                "chain": parse_chain(chain, name),
            }
        )
    if not shifts:
        raise RosterFormProblem("rosters.no_shifts")
    return shifts
