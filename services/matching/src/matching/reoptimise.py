"""Re-optimising the waitlist: every waiting patient against the whole pool at once.

Patients with the same hard needs (branch, language, gender asked for, high-risk) share a hub
node, so the flow network stays small however long the waitlist is: source → hub (as many as
wait) → mentor (the score for that mentor) → sink (the mentor's free places). A patient with
an earlier mentor, their own preferences or excluded mentors also gets arcs of their own to
their best mentors (scored with everything they asked for). A min-cost flow (OR-Tools)
matches as many patients as the pool can take and, among those assignments, the highest
total score. Within a hub the longest waiting go first. Established matches are never
touched: only free places are offered.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from matching import domain
from matching.pool_arrays import Floats, Mask, PoolArrays, Positions

MATCH_VALUE = 1_000_000  # one more patient matched outweighs any difference in score
SCALE = 10_000  # scores to integer costs (four decimals, as scores are rounded)
OWN_ARCS = 40  # best mentors a patient with preferences or exclusions gets arcs to

Costs = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Waiting:
    """A waitlisted patient, as re-optimisation sees them."""

    episode_id: str
    need: domain.Need
    previous_mentors: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()

    @property
    def plain(self) -> bool:
        """Scored like everyone else with the same hard needs."""
        return not (self.previous_mentors or self.excluded or self.need.has_soft_preferences)


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
    network = _Network(PoolArrays(mentors), weights_for, today)
    for order, patient in enumerate(waiting):
        network.add_patient(order, patient)
    return network.solve(len(waiting))


class _Network:
    """The flow network: source 0, sink 1, one node per mentor, one hub per hard need, and a
    node for each patient who is not plain. Arcs are added a patient (or hub) at a time."""

    def __init__(
        self, pool: PoolArrays, weights_for: Callable[[str], domain.Weights], today: date
    ) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.pool = pool
        self.weights_for = weights_for
        self.today = today
        self.next_node = 2 + len(pool.mentors)
        self.hubs: dict[tuple[str, str, str | None, bool], int] = {}
        self.hub_need: dict[int, domain.Need] = {}
        self.hub_members: dict[int, list[tuple[int, Waiting]]] = defaultdict(list)
        self.hub_supply: dict[int, int] = defaultdict(int)
        self.own_arcs: list[tuple[Positions, int, Waiting, Positions]] = []
        self.hub_inputs: list[tuple[int, int, Waiting, int]] = []  # arc, order, patient, hub
        self.ranked: dict[tuple[object, ...], tuple[Positions, Costs, Mask]] = {}

    def _node(self) -> int:
        self.next_node += 1
        return self.next_node - 1

    def _arcs(self, tail: int, positions: Positions, capacity: int, costs: Costs) -> Positions:
        count = len(positions)
        arcs: Positions = self.flow.add_arcs_with_capacity_and_unit_cost(
            np.full(count, tail, dtype=np.int32),
            (positions + 2).astype(np.int32),
            np.full(count, capacity, dtype=np.int64),
            costs,
        )
        return arcs

    def _hub(self, need: domain.Need) -> int:
        if need.hard_key not in self.hubs:
            hub = self._node()
            self.hubs[need.hard_key] = hub
            self.hub_need[hub] = domain.Need(
                branch=need.branch,
                language=need.language,
                mentor_gender=need.mentor_gender,
                high_risk=need.high_risk,
            )
        return self.hubs[need.hard_key]

    def _best(self, need: domain.Need) -> tuple[Positions, Costs, Mask]:
        """Fitting mentors for this need, best first without continuity, with every mentor's
        arc cost and the fitting mask (shared by everyone with the same needs and wishes)."""
        key = (need.hard_key, need.lived_experience, need.interests, need.age_band)
        if key not in self.ranked:
            weights = self.weights_for(need.branch)
            ranked, totals = self.pool.best_first(need, weights, self.today)
            fitting = np.zeros(len(self.pool.mentors), dtype=np.bool_)
            fitting[ranked] = True
            self.ranked[key] = (ranked, _costs(totals), fitting)
        return self.ranked[key]

    def add_patient(self, order: int, patient: Waiting) -> None:
        """Plain patients feed their hub from the source; the others get a node of their own
        with arcs to their best mentors (and to their hub, unless they excluded someone)."""
        if patient.plain:
            hub = self._hub(patient.need)
            self.hub_supply[hub] += 1
            self.hub_members[hub].append((order, patient))
            return
        node = self._node()
        add = self.flow.add_arc_with_capacity_and_unit_cost
        add(0, node, 1, 0)
        add(node, 1, 1, 0)  # stays waiting
        ranked, costs, fitting = self._best(patient.need)
        index = self.pool.index
        excluded = [index[m] for m in patient.excluded if m in index]
        targets = ranked[: OWN_ARCS + len(excluded)]
        if excluded:
            targets = targets[~np.isin(targets, excluded)][:OWN_ARCS]
        earlier = [
            index[m]
            for m in sorted(patient.previous_mentors)
            if m in index and fitting[index[m]] and index[m] not in excluded
        ]
        targets = np.union1d(targets, np.array(earlier, dtype=np.intp)).astype(np.intp)
        arc_costs = costs[targets].copy()
        bonus = round(self.weights_for(patient.need.branch).continuity * SCALE)
        arc_costs[np.isin(targets, earlier)] -= bonus
        arcs = self._arcs(node, targets, 1, arc_costs)
        self.own_arcs.append((arcs, order, patient, targets))
        if not excluded:
            hub = self._hub(patient.need)
            arc = add(node, hub, 1, 0)
            self.hub_inputs.append((arc, order, patient, hub))

    def solve(self, supply: int) -> list[Assignment]:
        """Solve and turn the flow back into one mentor per matched patient."""
        add = self.flow.add_arc_with_capacity_and_unit_cost
        hub_arcs: list[tuple[int, Positions, Positions]] = []
        for hub, need in self.hub_need.items():
            plain = self.hub_supply[hub]
            if plain:
                add(0, hub, plain, 0)
                add(hub, 1, plain, 0)
            ranked, costs, _ = self._best(need)
            hub_arcs.append((hub, ranked, self._arcs(hub, ranked, supply, costs[ranked])))
        self._sink_arcs(np.maximum(0, self.pool.capacity - self.pool.load))
        self.flow.set_node_supply(0, supply)
        self.flow.set_node_supply(1, -supply)
        status = self.flow.solve()
        if status != self.flow.OPTIMAL:
            raise RuntimeError(f"waitlist re-optimisation found no optimal flow (status {status})")
        chosen = []
        for arcs, order, patient, targets in self.own_arcs:
            used = targets[self.flow.flows(arcs) > 0]
            if len(used):
                chosen.append((order, self._assignment(patient, int(used[0]))))
        routed: dict[int, list[tuple[int, Waiting]]] = defaultdict(list)
        for arc, order, patient, hub in self.hub_inputs:
            if self.flow.flow(arc):
                routed[hub].append((order, patient))
        for hub, ranked, arcs in hub_arcs:
            # Patients routed in from their own node come first (the flow sent them); then
            # the longest waiting plain patients; the rest of the hub stays waiting.
            members = sorted(routed[hub], key=lambda m: m[0]) + self.hub_members[hub]
            slots = np.repeat(ranked, self.flow.flows(arcs))
            chosen.extend(
                (order, self._assignment(patient, int(position)))
                for (order, patient), position in zip(members, slots, strict=False)
            )
        return [assignment for _, assignment in sorted(chosen, key=lambda c: c[0])]

    def _sink_arcs(self, free: npt.NDArray[np.int64]) -> None:
        count = len(free)
        self.flow.add_arcs_with_capacity_and_unit_cost(
            (np.arange(count) + 2).astype(np.int32),
            np.ones(count, dtype=np.int32),
            free.astype(np.int64),
            np.zeros(count, dtype=np.int64),
        )

    def _assignment(self, patient: Waiting, position: int) -> Assignment:
        weights = self.weights_for(patient.need.branch)
        mentor = self.pool.mentors[position]
        return Assignment(
            patient.episode_id,
            domain.score(mentor, patient.need, patient.previous_mentors, weights),
        )


def _costs(totals: Floats) -> Costs:
    return -(MATCH_VALUE + np.rint(totals * SCALE)).astype(np.int64)


def greedy(
    waiting: list[Waiting],
    mentors: list[domain.MentorProfile],
    weights_for: Callable[[str], domain.Weights],
    today: date,
) -> list[Assignment]:
    """One patient at a time, longest waiting first, each taking the best mentor left: the
    baseline re-optimisation must never do worse than."""
    pool = PoolArrays(mentors)
    chosen = []
    for patient in waiting:
        weights = weights_for(patient.need.branch)
        ranked, _ = pool.best_first(
            patient.need, weights, today, patient.previous_mentors, patient.excluded, limit=1
        )
        if len(ranked):
            pool.take(int(ranked[0]))
            mentor = pool.mentors[int(ranked[0])]
            chosen.append(
                Assignment(
                    patient.episode_id,
                    domain.score(mentor, patient.need, patient.previous_mentors, weights),
                )
            )
    return chosen


def objective(assignments: list[Assignment]) -> tuple[int, float]:
    """What re-optimisation maximises: patients matched, then their total score."""
    return len(assignments), round(sum(a.scored.total for a in assignments), 4)
