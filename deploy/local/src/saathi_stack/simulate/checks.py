"""The replay's ground truth checked against what the services hold: each check is named,
and a failure lists the offending cases by pseudonymous keys only (stay S…, person P…,
patient_ref, episode_id, match_id, mentor_id: never a name, MRN, ABHA or birth date)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from saathi_stack.simulate.driver import Journal
from saathi_stack.simulate.model import Scenario, Stay
from saathi_stack.simulate.snapshot import Snapshot

HOLDING = ("active", "proposed")


@dataclass
class Context:
    """The truth, the journal and the snapshot, with the stays found among the episodes."""

    scenario: Scenario
    journal: Journal
    snapshot: Snapshot
    episode_of: dict[str, dict] = field(default_factory=dict)  # stay key → episode
    stay_of: dict[str, Stay] = field(default_factory=dict)  # episode_id → stay

    def __post_init__(self) -> None:
        for stay in self.scenario.stays.values():
            episode = self.snapshot.episode_at(stay.admitted_at)
            if episode is not None:
                self.episode_of[stay.key] = episode
                self.stay_of[episode["episode_id"]] = stay

    def note(self, stay: Stay) -> str:
        """Why a stay may be affected by another's data: a readmission, a merged patient, or
        a patient_ref that holds another person's stays too (one MRN, two facilities)."""
        notes = []
        if self.scenario.stays_of(stay.person)[0] != stay:
            notes.append("a readmission")
        if any(m.person == stay.person for m in self.scenario.merges):
            notes.append("a merged patient")
        episode = self.episode_of.get(stay.key)
        ref = episode["patient_ref"] if episode else None
        if any(
            e["patient_ref"] == ref and self.scenario.stays[key].person != stay.person
            for key, e in self.episode_of.items()
        ):
            notes.append("shares a patient_ref with another person")
        return f" ({'; '.join(notes)})" if notes else ""

    def refs_of(self, person: str) -> set[str]:
        """The patient_refs a person's stays ended up under."""
        return {
            self.episode_of[s.key]["patient_ref"]
            for s in self.scenario.stays_of(person)
            if s.key in self.episode_of
        }

    def matches_of(self, stay: Stay) -> list[dict]:
        """Every match ever made for this stay."""
        episode = self.episode_of.get(stay.key)
        if episode is None:
            return []
        return [m for m in self.snapshot.matches if m["episode_id"] == episode["episode_id"]]


@dataclass
class CheckResult:
    """One named check: what it asserts and the cases that break it."""

    name: str
    asserts: str
    offences: list[str]

    @property
    def passed(self) -> bool:
        """No offending case."""
        return not self.offences

    def message(self, show: int = 15) -> str:
        """A failure message listing the offending cases."""
        listed = "\n  ".join(self.offences[:show])
        more = f"\n  … and {len(self.offences) - show} more" if len(self.offences) > show else ""
        return f"{self.name} ({self.asserts}): {len(self.offences)} case(s)\n  {listed}{more}"


Check = Callable[[Context], list[str]]
REGISTRY: list[tuple[str, str, Check]] = []


def check(name: str, asserts: str) -> Callable[[Check], Check]:
    """Register a check under a name, with what it asserts."""

    def register(function: Check) -> Check:
        REGISTRY.append((name, asserts, function))
        return function

    return register


def run_checks(context: Context) -> list[CheckResult]:
    """Every registered check, in the order they were defined."""
    from saathi_stack.simulate import checks_identity, checks_matching  # noqa: F401

    return [CheckResult(name, asserts, function(context)) for name, asserts, function in REGISTRY]
