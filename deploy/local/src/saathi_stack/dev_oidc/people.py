"""Who one may sign in as: the demo people (notify's directory, the duty rosters) and the
demo mentors, grouped by the role each holds."""

from dataclasses import dataclass

from saathi_stack import demo, demo_people

ROLE_ORDER = (
    "coordinator",
    "clinician",
    "supervisor",
    "mentor",
    "privacy_officer",
    "ops",
    "ehr_feed",
)
# Roles no demo person holds get one person id, so each role can be tried at once.
_STAND_INS = {"privacy_officer": "dpo-1", "ehr_feed": "ehr-feed", "clinician": "dr-sen"}


@dataclass(frozen=True)
class Person:
    """A person one may sign in as."""

    person_id: str
    label: str


def people_by_role() -> dict[str, list[Person]]:
    """The demo people for each role, in a stable order."""
    found: dict[str, list[Person]] = {role: [] for role in ROLE_ORDER}
    for person_id, entry in demo_people.people().items():
        branches = list(entry["branches"]) if isinstance(entry["branches"], list) else []
        where = ", ".join(branches) or "every branch"
        for role in entry["roles"] if isinstance(entry["roles"], list) else []:
            found.setdefault(role, []).append(Person(person_id, f"{person_id} ({where})"))
    for branch in demo.BRANCHES:
        for shift in ("day", "weekend", "night"):
            person_id = f"dr-{branch.removeprefix('kol-')}-{shift}"
            found["clinician"].append(Person(person_id, f"{person_id} ({branch}, {shift} duty)"))
    for mentor_id, (name, served) in demo.mentors().items():
        found["mentor"].append(Person(mentor_id, f"{name} — {mentor_id} ({', '.join(served)})"))
    for role, person_id in _STAND_INS.items():
        found[role].append(Person(person_id, person_id))
    return found


def display_name(person_id: str) -> str:
    """The name to put in the ID token: a demo mentor's name, else the person id."""
    named = demo.mentors().get(person_id)
    return named[0] if named else person_id
