"""One person's story in the month: an admission and what follows it (consent hours later,
preferences, updates, transfers, a cancel, a discharge and its cancel, a readmission), a
duplicate registration merged by A40, or an alumnus mentor's own stay."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from saathi_stack.simulate import vendors
from saathi_stack.simulate.model import Decision, Person, Stay, Step
from saathi_stack.simulate.people import AREAS

if TYPE_CHECKING:
    from saathi_stack.simulate.stories import Month

HOUR = timedelta(hours=1)
WARDS = ("ward-a", "ward-b", "ward-c", "ward-d")
OTHER_V1 = {"kol-salt-lake": "kol-park-street", "kol-park-street": "kol-salt-lake"}


def age_band(person: Person, on: datetime) -> str:
    """The person's age band on a day (as matching's preferences name them)."""
    age = on.year - person.birth_date.year
    for top, band in ((25, "18-25"), (35, "26-35"), (50, "36-50"), (65, "51-65")):
        if age <= top:
            return band
    return "65+"


class StayStory:
    """Writes the steps of one stay (and any readmission) into the month."""

    def __init__(self, month: "Month", person: Person, branch: str, at: datetime) -> None:
        self.m, self.person, self.branch, self.at = month, person, branch, at
        self.ward = month.rng.choice(WARDS)
        self.record_key = ""
        self.abha: str | None = None

    def _hours(self, low: float, high: float) -> timedelta:
        return self.m.hours(low, high)

    def _chance(self, p: float) -> bool:
        return self.m.rng.random() < p

    def tell(self, rest: bool = False, readmission: bool = False) -> None:
        """A stay from admission to wherever the month leaves it, maybe readmitted after."""
        stay = self._admit(rest)
        discharged_at = self._live(stay, readmission)
        if discharged_at is not None and self._chance(0.3):
            self._readmit(discharged_at)

    def _admit(self, rest: bool, duplicate: bool = False) -> Stay:
        vendor = "rest" if rest else vendors.VENDOR_OF[self.branch]
        self.record_key = self.m.record(self.person, self.branch, duplicate)
        number = self.m.number(f"visit-{vendor}")
        visit = {"v1": f"HV{number:07d}", "v2": f"BV{number:06d}", "rest": f"RV{number:06d}"}
        stay = Stay(
            key=f"S{self.m.number('stay'):05d}",
            person=self.person.key,
            vendor=vendor,  # type: ignore[arg-type]
            branch=self.branch,
            ward=self.ward,
            visit=visit[vendor],
            admitted_at=self.m.unique_moment(self.at),
            record=self.record_key,
        )
        self.m.scenario.stays[stay.key] = stay
        spelling = vendors.VENDOR_OF[self.branch] if vendor != "rest" else "v2"
        hyphens = self._chance(0.5 if rest else 0.25)
        self.abha = None if duplicate else vendors.abha_as_written(self.person, spelling, hyphens)
        if rest:
            self.m.add(Step(stay.admitted_at, "rest_admit", stay=stay.key, body=self._rest(stay)))
        else:
            self._send(stay, "A01", stay.admitted_at)
        return stay

    def _rest(self, stay: Stay) -> dict[str, object]:
        person, record = self.person, self.person.records[self.record_key]
        return {
            "mrn": record.mrn,
            "mrn_authority": record.mrn_authority,
            "abha": self.abha,
            "given_name": person.given,
            "family_name": person.family,
            "birth_date": person.birth_date.isoformat(),
            "sex": person.sex,
            "branch": stay.branch,
            "ward": stay.ward,
            "visit_number": stay.visit,
            "language": person.language,
            "admitted_at": stay.admitted_at.isoformat(),
        }

    def _send(
        self, stay: Stay, trigger: str, at: datetime, discharged_at: datetime | None = None
    ) -> None:
        vendor = vendors.VENDOR_OF[self.branch]
        visit = vendors.Visit(stay.visit, self.branch, self.ward, stay.admitted_at, discharged_at)
        phone = f"+9198{self.m.rng.randrange(10**8):08d}" if trigger == "A08" else ""
        raw = vendors.adt(
            trigger,
            f"{vendor.upper()}-{self.m.number('control'):07d}",
            at,
            self.person,
            self.person.records[self.record_key],
            visit,
            self.abha,
            phone,
        )
        self.m.add(Step(at, "hl7", stay=stay.key, hl7=raw, trigger=trigger))

    def _live(self, stay: Stay, readmission: bool) -> datetime | None:
        """Consent, moves and the end of the stay; the discharge time if it was discharged."""
        cancelled = self._chance(0.04)
        ends = stay.admitted_at + (
            self._hours(2, 30) if cancelled else self._hours(*self.m.size.stay_hours)
        )
        self._consent(stay, min(ends, self.m.end), readmission)
        span = ends - stay.admitted_at
        for share in sorted(self.m.rng.uniform(0.1, 0.9) for _ in range(self.m.rng.randrange(3))):
            self._event(stay, stay.admitted_at + span * share)
        if ends >= self.m.end:
            return None
        if cancelled:
            self._end(stay, "A11", "rest_cancel", ends, "cancelled")
            return None
        self._end(stay, "A03", "rest_discharge", ends, "discharged")
        if stay.vendor == "rest" or not self._chance(0.06):
            return ends
        undone = ends + self._hours(1, 6)
        if undone >= self.m.end:
            return ends
        self._send(stay, "A13", undone)
        stay.status = "admitted"
        again = undone + self._hours(24, 72)
        if again >= self.m.end:
            return None
        self._end(stay, "A03", "rest_discharge", again, "discharged")
        return again

    def _end(self, stay: Stay, trigger: str, kind: str, at: datetime, status: str) -> None:
        if stay.vendor == "rest":
            body = (
                {"discharged_at": at.isoformat(), "disposition": "01"} if trigger == "A03" else {}
            )
            self.m.add(Step(at, kind, stay=stay.key, body=body))  # type: ignore[arg-type]
        else:
            self._send(stay, trigger, at, at if trigger == "A03" else None)
        stay.status = status  # type: ignore[assignment]

    def _event(self, stay: Stay, at: datetime) -> None:
        """An update (A08), a ward move or a move to another branch (inside the month)."""
        roll = self.m.rng.random()
        if at >= self.m.end:
            return
        if stay.vendor == "rest":
            if roll < 0.3:
                self.branch = self.m.rng.choice([b for b in vendors.FACILITY if b != self.branch])
                moved: dict[str, object] = {"branch": self.branch, "ward": self.ward}
                self.m.add(Step(at, "rest_transfer", stay=stay.key, body=moved))
                stay.branch = self.branch
            return
        if roll < 0.5:
            self._send(stay, "A08", at)
            return
        self.ward = self.m.rng.choice([w for w in WARDS if w != self.ward])
        if roll > 0.8 and self.branch in OTHER_V1:
            self.branch = stay.branch = OTHER_V1[self.branch]
        self._send(stay, "A02", at)

    def _consent(self, stay: Stay, until: datetime, readmission: bool) -> datetime | None:
        """This stay's consent conversation, hours after admission (if before `until`)."""
        asked = stay.admitted_at + self._hours(1, 8)
        if asked >= until:
            return None
        decision = self.m.decision(readmission)
        stay.consent.append((asked, decision))
        self.m.add(Step(asked, "consent", stay=stay.key, body={"decision": decision}))
        if decision != "given":
            return asked
        noted = asked + self._hours(0.5, 3)
        if noted < until and (self.person.mentor_gender or self._chance(0.3)):
            body = self._wishes(stay, self.person.mentor_gender)
            self.m.add(Step(noted, "preferences", stay=stay.key, body=body))
        withdrawn = asked + self._hours(12, 72)
        if withdrawn < until and self._chance(0.05):
            stay.consent.append((withdrawn, "withdrawn"))
            body = {"decision": "withdrawn"}
            self.m.add(Step(withdrawn, "consent", stay=stay.key, body=body))
        return asked

    def _wishes(self, stay: Stay, gender: str | None) -> dict[str, object]:
        """What the patient asks for in a mentor (the body matching takes)."""
        return {
            "mentor_gender": gender,
            "lived_experience": self.m.rng.sample(AREAS, 1),
            "age_band": age_band(self.person, stay.admitted_at),
            "recorded_by": "coord-sim",
        }

    def _readmit(self, discharged_at: datetime) -> None:
        """Back within 30 days, at the same branch or another (another EHR only with ABHA)."""
        at = discharged_at + timedelta(days=self.m.rng.uniform(*self.m.size.readmit_days))
        if at >= self.m.end - timedelta(hours=3):
            return
        branch = self.branch
        if self._chance(0.4):
            branch = self.m.rng.choice([b for b in vendors.FACILITY if b != self.branch])
        if not self._known_at(branch):
            # Nothing the EHR there sends could name this person (a REST transfer may have
            # moved the stay to another EHR's branch): they come back where they are known.
            branch = next(b for b, f in vendors.FACILITY.items() if f in self.person.records)
        StayStory(self.m, self.person, branch, at).tell(readmission=True)

    def _known_at(self, branch: str) -> bool:
        """Whether a branch's EHR sends an identifier the person already holds: their ABHA,
        a record of that facility, or (vendor 1) the network-wide enterprise id."""
        records = self.person.records
        if self.person.abha is not None or vendors.FACILITY[branch] in records:
            return True
        shared = any(record.enterprise_id for record in records.values())
        return vendors.VENDOR_OF[branch] == "v1" and shared

    def merge_story(self) -> None:
        """An earlier stay, then an admission under a duplicate registration (no ABHA found),
        consent and preferences on it, and an A40 folding the duplicate into the person."""
        earlier = StayStory(self.m, self.person, self.branch, self.at - timedelta(days=6))
        first = earlier._admit(rest=False)
        # Every other merged person had declined at the earlier stay (on the surviving record).
        answer: Decision = "declined" if self.m.number("merge") % 2 else "given"
        first.consent.append((first.admitted_at + HOUR, answer))
        told: dict[str, object] = {"decision": answer}
        self.m.add(Step(first.admitted_at + HOUR, "consent", stay=first.key, body=told))
        if answer == "given":  # preferences on the surviving record too (no gender asked)
            noted = first.admitted_at + 2 * HOUR
            self.m.add(Step(noted, "preferences", stay=first.key, body=self._wishes(first, None)))
        earlier._end(
            first, "A03", "rest_discharge", first.admitted_at + self._hours(30, 80), "discharged"
        )
        stay = self._admit(rest=False, duplicate=True)
        asked = stay.admitted_at + self._hours(1, 4)
        stay.consent.append((asked, "given"))
        self.m.add(Step(asked, "consent", stay=stay.key, body={"decision": "given"}))
        wanted = self.person.mentor_gender or ("female" if self.person.sex == "F" else "male")
        self.person.mentor_gender = wanted
        body = self._wishes(stay, wanted)
        self.m.add(Step(asked + HOUR, "preferences", stay=stay.key, body=body))
        merged_at = asked + self._hours(2, 24)
        survivor = self.m.record(self.person, self.branch)
        raw = vendors.merge(
            f"V1-{self.m.number('control'):07d}",
            merged_at,
            self.person,
            self.person.records[survivor],
            self.person.records[self.record_key],
        )
        self.m.add(
            Step(merged_at, "hl7", stay=stay.key, person=self.person.key, hl7=raw, trigger="A40")
        )
        if merged_at >= self.m.end:
            return
        self.m.merge(self.person, merged_at)
        self.record_key, self.abha = survivor, vendors.abha_as_written(self.person, "v1", True)
        ends = merged_at + self._hours(*self.m.size.stay_hours)
        if ends < self.m.end:
            self._end(stay, "A03", "rest_discharge", ends, "discharged")

    def alumnus_stay(self) -> None:
        """An alumnus mentor admitted as a patient, consenting, still admitted at the end."""
        self.person.mentor_gender = None
        stay = self._admit(rest=False)
        asked = stay.admitted_at + self._hours(1, 3)
        stay.consent.append((asked, "given"))
        self.m.add(Step(asked, "consent", stay=stay.key, body={"decision": "given"}))
