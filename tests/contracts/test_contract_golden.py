"""Committed examples of every v1 subject must keep decoding: a failure is a breaking change.

A breaking change needs a new subject version (`.v2`) with its own contract, never an edit of
a v1 contract. Golden files are written once and only added to, not rewritten to make this pass.
"""

import json
from pathlib import Path

import pytest

from shared.contracts.registry import BY_SUBJECT, decode

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))
# Events about mentors, supervisors, groups and their meetings' staffing, and a person's
# acknowledgement of an alert (it names the crisis, not the patient) name no patient at all.
ABOUT_NO_PATIENT = {
    "notify.alert.acknowledged.v1",
    "matching.mentor.changed.v1",
    "matching.mentor.certification_lapsing.v1",
    "matching.supervisor.over_ratio.v1",
    "sessions.wellbeing.support_requested.v1",
    "sessions.group.changed.v1",
    "sessions.group_meeting.staffed.v1",
    "sessions.group_meeting.cancelled.v1",
}


def test_every_subject_has_a_golden_example() -> None:
    on_disk = {path.stem for path in GOLDEN_FILES}

    assert sorted(set(BY_SUBJECT) - on_disk) == []


def test_no_golden_subject_was_dropped_from_the_registry() -> None:
    on_disk = {path.stem for path in GOLDEN_FILES}

    assert sorted(on_disk - set(BY_SUBJECT)) == []


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda path: path.stem)
def test_golden_example_still_decodes_to_the_same_values(path: Path) -> None:
    subject = path.stem
    raw = path.read_bytes()

    event = decode(subject, raw)

    assert type(event) is BY_SUBJECT[subject]
    assert event.model_dump(mode="json") == json.loads(raw)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda path: path.stem)
def test_golden_example_carries_only_pseudonymous_refs(path: Path) -> None:
    data = json.loads(path.read_bytes())["data"]

    refs = [value for key, value in data.items() if key.endswith("patient_ref")]
    # A group meeting's attendance lists patients; a session's `attended` is a yes or no.
    lists = [data[key] for key in ("attended", "absent") if isinstance(data.get(key), list)]
    refs += [ref for listed in lists for ref in listed]
    assert refs or path.stem in ABOUT_NO_PATIENT
    assert all(ref.startswith("pt_") for ref in refs)
    assert data.get("episode_id", "ep_").startswith("ep_")
    assert not {"name", "given_name", "family_name", "mrn"} & set(data)
