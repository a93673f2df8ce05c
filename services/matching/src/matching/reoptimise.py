"""Re-optimising the waitlist: every waiting patient against the whole pool at once.

Patients who need the same thing (branch and language, no earlier mentor, no declined mentor)
are one group, so the flow network stays small however long the waitlist is: source → group
(as many as wait) → mentor (the group's score for that mentor) → sink (the mentor's free
places). A min-cost flow (OR-Tools) matches as many patients as the pool can take and, among
those assignments, the highest total score. Within a group the longest waiting go first.
Established matches are never touched: only free places are offered.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from ortools.graph.python import min_cost_flow

from matching import domain

MATCH_VALUE = 1_000_000  # one more patient matched outweighs any difference in score
SCALE = 1000  # scores to integer costs (three decimals)


@dataclass(frozen=True)
class Waiting:
    """A waitlisted patient, as re-optimisation sees them."""

    episode_id: str
    branch: str
    language: str
    previous_mentors: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Assignment:
    """A waiting patient and the mentor chosen for them, with the score that decided it."""

    episode_id: str
    scored: domain.Scored


def assign(
    waiting: list[Waiting],
    mentors: list[domain.MentorProfile],
    weights_for: Callable[[str], domain.Weights],
    today: date,
) -> list[Assignment]:
    """The best assignment of `waiting` (longest waiting first) to the mentors' free places."""
    by_language: dict[str, list[domain.MentorProfile]] = defaultdict(list)
    for mentor in mentors:
        if mentor.active_mentees < mentor.capacity:
            for language in mentor.languages:
                by_language[language].append(mentor)
    network = _Network(mentors, weights_for, today, by_language)
    for order, patient in enumerate(waiting):
        network.add_patient(order, patient)
    return network.solve(len(waiting))


class _Network:
    """The flow network. Patients who need the same (branch, language) share a hub node with
    one arc per fitting mentor; a patient with an earlier mentor also gets an arc straight to
    them (continuity), and one who declined mentors gets arcs of their own."""

    def __init__(
        self,
        mentors: list[domain.MentorProfile],
        weights_for: Callable[[str], domain.Weights],
        today: date,
        by_language: dict[str, list[domain.MentorProfile]],
    ) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.weights_for = weights_for
        self.today = today
        self.by_language = by_language
        self.mentor_node = {m.mentor_id: 2 + i for i, m in enumerate(mentors)}
        self.mentors = mentors
        self.next_node = 2 + len(mentors)
        self.hubs: dict[tuple[str, str], int] = {}
        self.hub_members: dict[int, list[tuple[int, str]]] = defaultdict(list)  # via the hub
        self.hub_supply: dict[int, int] = defaultdict(int)
        self.own_arcs: list[tuple[int, int, str, domain.Scored]] = []  # arc, order, episode
        self.hub_inputs: list[tuple[int, int, str, int]] = []  # arc, order, episode, hub

    def _node(self) -> int:
        self.next_node += 1
        return self.next_node - 1

    def _fitting(
        self, branch: str, language: str, excluded: frozenset[str]
    ) -> Iterator[domain.MentorProfile]:
        need = domain.Need(branch=branch, language=language)
        for mentor in self.by_language.get(language, []):
            if mentor.mentor_id not in excluded and domain.is_eligible(mentor, need, self.today):
                yield mentor

    def _hub(self, branch: str, language: str) -> int:
        if (branch, language) not in self.hubs:
            self.hubs[(branch, language)] = self._node()
        return self.hubs[(branch, language)]

    def add_patient(self, order: int, patient: Waiting) -> None:
        """Plain patients feed their hub from the source; the others get a node of their own."""
        if not patient.previous_mentors and not patient.excluded:
            hub = self._hub(patient.branch, patient.language)
            self.hub_supply[hub] += 1
            self.hub_members[hub].append((order, patient.episode_id))
            return
        node = self._node()
        cost = self.flow.add_arc_with_capacity_and_unit_cost
        cost(0, node, 1, 0)
        cost(node, 1, 1, 0)  # stays waiting
        weights = self.weights_for(patient.branch)
        if patient.excluded:
            targets = list(self._fitting(patient.branch, patient.language, patient.excluded))
        else:
            targets = [
                m
                for m in self._fitting(patient.branch, patient.language, frozenset())
                if m.mentor_id in patient.previous_mentors
            ]
            hub = self._hub(patient.branch, patient.language)
            arc = cost(node, hub, 1, 0)
            self.hub_inputs.append((arc, order, patient.episode_id, hub))
        for mentor in targets:
            scored = domain.score(mentor, patient.branch, patient.previous_mentors, weights)
            arc = cost(node, self.mentor_node[mentor.mentor_id], 1, _cost(scored))
            self.own_arcs.append((arc, order, patient.episode_id, scored))

    def solve(self, supply: int) -> list[Assignment]:
        """Solve and turn the flow back into one mentor per matched patient."""
        cost = self.flow.add_arc_with_capacity_and_unit_cost
        hub_arcs: dict[int, list[tuple[int, domain.Scored]]] = defaultdict(list)
        for (branch, language), hub in self.hubs.items():
            plain = self.hub_supply[hub]
            if plain:
                cost(0, hub, plain, 0)
                cost(hub, 1, plain, 0)
            weights = self.weights_for(branch)
            for mentor in self._fitting(branch, language, frozenset()):
                scored = domain.score(mentor, branch, frozenset(), weights)
                arc = cost(hub, self.mentor_node[mentor.mentor_id], supply, _cost(scored))
                hub_arcs[hub].append((arc, scored))
        for mentor in self.mentors:
            free = max(0, mentor.capacity - mentor.active_mentees)
            cost(self.mentor_node[mentor.mentor_id], 1, free, 0)
        self.flow.set_node_supply(0, supply)
        self.flow.set_node_supply(1, -supply)
        status = self.flow.solve()
        if status != self.flow.OPTIMAL:
            raise RuntimeError(f"waitlist re-optimisation found no optimal flow (status {status})")
        chosen = [
            (order, Assignment(episode, scored))
            for arc, order, episode, scored in self.own_arcs
            if self.flow.flow(arc)
        ]
        for arc, order, episode, hub in self.hub_inputs:
            if self.flow.flow(arc):
                self.hub_members[hub].append((order, episode))
        for hub, arcs in hub_arcs.items():
            members = sorted(self.hub_members[hub])
            # The longest waiting plain patients go first; the rest of the hub stays waiting.
            slots = [
                scored
                for arc, scored in sorted(arcs, key=lambda a: (-a[1].total, a[1].mentor.mentor_id))
                for _ in range(self.flow.flow(arc))
            ]
            routed = {episode for _, _, episode, h in self.hub_inputs if h == hub}
            ordered = [m for m in members if m[1] in routed] + [
                m for m in members if m[1] not in routed
            ]
            chosen.extend(
                (order, Assignment(episode, scored))
                for (order, episode), scored in zip(ordered, slots, strict=False)
            )
        return [assignment for _, assignment in sorted(chosen, key=lambda c: c[0])]


def _cost(scored: domain.Scored) -> int:
    return -(MATCH_VALUE + round(scored.total * SCALE))


def greedy(
    waiting: list[Waiting],
    mentors: list[domain.MentorProfile],
    weights_for: Callable[[str], domain.Weights],
    today: date,
) -> list[Assignment]:
    """One patient at a time, longest waiting first, each taking the best mentor left: the
    baseline re-optimisation must never do worse than."""
    load = {m.mentor_id: m.active_mentees for m in mentors}
    chosen = []
    for patient in waiting:
        need = domain.Need(branch=patient.branch, language=patient.language)
        options = [
            m
            for m in mentors
            if m.mentor_id not in patient.excluded
            and load[m.mentor_id] < m.capacity
            and domain.is_eligible(m, need, today)
        ]
        ranked = domain.best_first(
            options, patient.branch, patient.previous_mentors, weights_for(patient.branch)
        )
        if ranked:
            load[ranked[0].mentor.mentor_id] += 1
            chosen.append(Assignment(patient.episode_id, ranked[0]))
    return chosen


def objective(assignments: list[Assignment]) -> tuple[int, float]:
    """What re-optimisation maximises: patients matched, then their total score."""
    return len(assignments), round(sum(a.scored.total for a in assignments), 4)
