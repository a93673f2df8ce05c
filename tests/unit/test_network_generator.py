"""The network replay's generator and checks (pure: no stack). The month must be reproducible,
every HL7 message it writes must be one intake's own mapping accepts for the stay's visit, it
must hold the stories issue 14 names, and the checks must catch what they claim to."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from intake.config import DEFAULT_SENDERS
from intake.hl7 import codec
from intake.hl7.mapping import read_header, to_command
from saathi_stack.simulate.checks import Context, run_checks
from saathi_stack.simulate.driver import Journal
from saathi_stack.simulate.run import generate
from saathi_stack.simulate.snapshot import Snapshot
from saathi_stack.simulate.stories import SHORT

END = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def month():
    return generate(14, SHORT, END)


def test_the_same_seed_gives_the_same_month_and_another_seed_another(month):
    again = generate(14, SHORT, END)
    assert [(s.at, s.kind, s.hl7, s.body) for s in again.steps] == [
        (s.at, s.kind, s.hl7, s.body) for s in month.steps
    ]
    other = generate(15, SHORT, END)
    assert [s.hl7 for s in other.steps] != [s.hl7 for s in month.steps]


def test_every_hl7_message_maps_to_its_stay_through_intakes_own_mapping(month):
    for step in (s for s in month.steps if s.kind == "hl7"):
        message = codec.parse(step.hl7)
        header = read_header(message)
        command = to_command(message, header, DEFAULT_SENDERS[header.sender])
        stay = month.stays[step.stay or ""]
        if step.trigger == "A40":
            assert command.merge_from
        elif step.trigger != "A08":  # an update names the patient, not a visit
            assert command.visit is not None and command.visit.number == stay.visit
        if header.sender == "SAATHI-HIS":
            assert header.version == "2.5.1" and header.enhanced
        else:
            assert header.version == "2.3.1" and not header.enhanced


def test_vendors_write_names_and_abha_their_own_way(month):
    v1 = [s.hl7.decode() for s in month.steps if b"SAATHI-HIS" in s.hl7]
    v2 = [s.hl7.decode() for s in month.steps if b"|BEHALA|" in s.hl7]
    assert any("\u0980" <= ch <= "\u09ff" for ch in v1[0])  # Bengali script
    assert all("^^^KOLNET^PI" in m for m in v1)
    abha_v2 = [m.split("^^^ABHA")[0].rsplit("~", 1)[-1] for m in v2 if "^^^ABHA" in m]
    assert any("-" not in a for a in abha_v2) and any("-" in a for a in abha_v2)


def test_the_month_holds_the_stories_issue_14_names(month):
    triggers = Counter(s.trigger for s in month.steps if s.kind == "hl7")
    assert {"A01", "A02", "A03", "A08", "A11", "A13", "A40"} <= set(triggers)
    answers = Counter(a for stay in month.stays.values() for _, a in stay.consent)
    assert answers["given"] and answers["declined"]
    readmitted = [p for p in month.people if len(month.stays_of(p)) > 1]
    across = [p for p in readmitted if len({s.vendor for s in month.stays_of(p)}) > 1]
    assert readmitted and across
    gaps = [
        later.admitted_at - earlier.admitted_at
        for p in readmitted
        for earlier, later in zip(month.stays_of(p), month.stays_of(p)[1:], strict=False)
    ]
    assert max(gaps) < timedelta(days=30)
    mrns = Counter(r.mrn for p in month.people.values() for r in p.records.values())
    assert any(count > 1 for count in mrns.values())  # one MRN issued by two facilities
    assert any(m.person for m in month.mentors.values())  # alumni mentors
    assert {"leave_start", "rest_admit", "preferences"} <= {s.kind for s in month.steps}


def _context(month, matches: list[dict], consent_at: dict) -> Context:
    stays = list(month.stays.values())[:2]
    episodes = [
        {
            "episode_id": f"ep{n}",
            "patient_ref": f"pt{n}",
            "admitted_at": stay.admitted_at.isoformat(),
            "status": stay.status,
            "branch": stay.branch,
        }
        for n, stay in enumerate(stays)
    ]
    snapshot = Snapshot(episodes, matches, [], {}, {}, {})
    journal = Journal(consent_at={stays[0].key: END, stays[1].key: END})
    journal.consent_at.update(consent_at)
    return Context(month, journal, snapshot)


def _match(n: int, mentor: str, begins: datetime, ends: datetime | None) -> dict:
    return {
        "match_id": f"mt{n}",
        "episode_id": f"ep{n % 2}",
        "patient_ref": f"pt{n % 2}",
        "mentor_id": mentor,
        "status": "ended" if ends else "active",
        "matched_at": begins.isoformat(),
        "ended_at": ends.isoformat() if ends else None,
        "ended_reason": "discharged" if ends else None,
    }


def test_checks_catch_a_mentor_over_capacity_and_a_match_before_consent(month):
    mentor = next(m for m in month.mentors.values() if m.person is None)
    at = END + timedelta(minutes=1)
    over = [_match(n, mentor.mentor_id, at, None) for n in range(mentor.capacity + 1)]
    handed_over = [  # one ends as the next begins: never over
        _match(n, mentor.mentor_id, at + timedelta(minutes=n), at + timedelta(minutes=n + 1))
        for n in range(mentor.capacity + 3)
    ]
    early = [_match(0, mentor.mentor_id, END - timedelta(seconds=5), None)]
    results = {
        name: {r.name: r for r in run_checks(_context(month, matches, {}))}
        for name, matches in (("over", over), ("handed_over", handed_over), ("early", early))
    }
    assert not results["over"]["capacity_never_exceeded"].passed
    assert results["handed_over"]["capacity_never_exceeded"].passed
    assert results["handed_over"]["consent_per_stay"].passed
    [offence] = results["early"]["consent_per_stay"].offences
    assert "5.0s before this stay's consent" in offence
