"""The seeded month of a hospital network: who is admitted where, what happens in each stay,
and what the platform must end up holding. The same seed and start give the same month."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from saathi_stack.simulate import people, vendors
from saathi_stack.simulate.mentors import ALUMNUS_PREFIX, mentor_pool, mentor_steps
from saathi_stack.simulate.model import (
    Decision,
    Mentor,
    Merge,
    Person,
    Record,
    Scenario,
    Step,
)
from saathi_stack.simulate.stay_story import StayStory

BRANCHES = ("kol-salt-lake", "kol-park-street", "kol-behala")
MRN_BASE = {"SLK": 1_000_000, "PKS": 2_000_000, "BEHALA": 3_000_000}
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Size:
    """How big a replay is: its length, its admissions and its mentor pool."""

    days: float
    admissions_per_day: float
    mentors: int
    alumni: int
    stay_hours: tuple[float, float]  # how long a stay lasts
    readmit_days: tuple[float, float]  # how soon after a discharge a readmission comes


LONG = Size(30, 22, mentors=120, alumni=3, stay_hours=(18, 192), readmit_days=(1, 20))
SHORT = Size(4, 16, mentors=24, alumni=2, stay_hours=(8, 30), readmit_days=(0.2, 1.2))
MERGE_EVERY = 40  # one admission in 40 is a duplicate registration merged later


class Month:
    """Writes the stories of one replay into a Scenario."""

    def __init__(self, seed: int, size: Size, start: datetime) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.start, self.end = start, start + timedelta(days=size.days)
        self.scenario = Scenario(seed, start, self.end, {}, {}, {}, [], [])
        self._counters: dict[str, int] = {}
        self._admitted_at: set[datetime] = set()
        self._collide_next = True  # one Behala MRN equal to a Salt Lake one, at least

    def number(self, kind: str) -> int:
        """The next number of a kind (visits, MRNs, control ids …)."""
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return self._counters[kind]

    def hours(self, low: float, high: float) -> timedelta:
        """A random span between `low` and `high` hours."""
        return timedelta(hours=self.rng.uniform(low, high))

    def person(self, language: str | None = None) -> Person:
        """A new fictional person."""
        latin, bengali, sex = self.rng.choice(people.GIVEN)
        family, family_bn = self.rng.choice(people.FAMILY)
        wanted = None
        if self.rng.random() < 0.25:
            wanted = "female" if sex == "F" else self.rng.choice(("male", "female"))
        chosen = self.rng.choices(("bn", "en", "hi"), (85, 10, 5))[0]
        found = Person(
            key=f"P{self.number('person'):05d}",
            given=latin,
            family=family,
            given_bn=bengali,
            family_bn=family_bn,
            birth_date=people.birth_date(self.rng),
            sex=sex,  # type: ignore[arg-type]
            language=language or chosen,
            abha=people.abha_number(self.rng) if self.rng.random() < 0.85 else None,
            mentor_gender=wanted,
        )
        self.scenario.people[found.key] = found
        return found

    def record(self, person: Person, branch: str, duplicate: bool = False) -> str:
        """The key of the person's registration at this branch's EHR (made on first use)."""
        facility = vendors.FACILITY[branch]
        key = f"{facility}-dup" if duplicate else facility
        if key in person.records:
            return key
        mrn = str(MRN_BASE[facility] + self.number(f"mrn-{facility}"))
        enterprise = None
        if vendors.VENDOR_OF[branch] == "v1":
            shared = [r.enterprise_id for k, r in person.records.items() if r.enterprise_id]
            enterprise = shared[0] if shared and not duplicate else f"E{self.number('ent'):07d}"
        elif self._collide_next or self.rng.random() < 0.02:
            taken = [
                r.mrn
                for p in self.scenario.people.values()
                for r in p.records.values()
                if r.mrn_authority == "SLK" and p.key != person.key
            ]
            if taken:  # another hospital's numbering happens to give the same MRN
                mrn, self._collide_next = self.rng.choice(taken), False
        person.records[key] = Record(mrn, facility, enterprise)
        return key

    def unique_moment(self, at: datetime) -> datetime:
        """`at` to the second, moved on until no other stay was admitted then."""
        at = at.replace(microsecond=0)
        while at in self._admitted_at:
            at += timedelta(seconds=1)
        self._admitted_at.add(at)
        return at

    def add(self, step: Step) -> None:
        """Schedule a step (only inside the replayed month)."""
        if step.at < self.end:
            self.scenario.steps.append(step)

    def build(self) -> Scenario:
        """The whole month, steps in time order."""
        for mentor in mentor_pool(self.rng, self.size.mentors, self.size.alumni):
            self.scenario.mentors[mentor.mentor_id] = mentor
            if mentor.mentor_id.startswith(ALUMNUS_PREFIX):
                self._alumnus(mentor)
        count = int(self.size.days * self.size.admissions_per_day)
        for n in range(count):
            at = self.start + timedelta(days=self.rng.uniform(0, self.size.days * 0.9))
            branch = self.rng.choice(BRANCHES[:2] if n % MERGE_EVERY == 3 else BRANCHES)
            story = StayStory(self, self.person(), branch, at)
            if n % MERGE_EVERY == 3:
                story.merge_story()
            else:
                story.tell(rest=self.rng.random() < 0.12)
        for alumnus in self.scenario.mentors.values():
            if alumnus.person is None:
                continue
            StayStory(
                self,
                self.scenario.people[alumnus.person],
                alumnus.branches[0],
                self.start + self.hours(2, self.size.days * 24 * 0.4),
            ).alumnus_stay()
        for step in mentor_steps(self.rng, self.scenario.mentors, self.start, self.end):
            self.add(step)
        self.scenario.steps.sort(key=lambda s: s.at)
        return self.scenario

    def _alumnus(self, mentor: Mentor) -> None:
        """The mentor's own identity: a Hindi speaker, so at their branch only they (among
        the mentors) speak their language and matching would choose them for themselves."""
        person = self.person("hi")
        person.mentor_gender, person.mentor_id = None, mentor.mentor_id
        person.abha = person.abha or people.abha_number(self.rng)
        mentor.person, mentor.gender = person.key, "female" if person.sex == "F" else "male"

    def merge(self, person: Person, at: datetime) -> None:
        """Note an A40 in the truth."""
        self.scenario.merges.append(Merge(person.key, at))

    def decision(self, readmission: bool) -> Decision:
        """A consent answer: a readmitted patient declines more often."""
        declined = 0.35 if readmission else 0.2
        return "declined" if self.rng.random() < declined else "given"
