"""Re-optimising the waitlist: every waiting patient against the whole pool at once.

The flow network: source → branch (one unit per waiting patient of the branch) → hub → mentor
(the score for that mentor) → sink (the mentor's free places), and source → sink for those
who stay waiting. Patients with the same hard needs (branch, language, gender asked for,
risk level) share a hub node, so the network stays small however long the waitlist is. A
patient with an earlier mentor, their own preferences or excluded mentors also gets a node of
their own with arcs to their best mentors (scored with everything they asked for).

A min-cost flow (OR-Tools) matches as many patients as the pool can take and, among those
assignments, the highest total of score plus **fairness**: the k-th patient matched at a
branch with n waiting earns `fairness * (1 - k/n)`, so when places are scarce each branch
gets a share in proportion to its waitlist rather than the branch with the best-scoring
mentors taking them all. Within a hub the longest waiting go first. Established matches are
never touched: only free places are offered.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from matching.matches import domain
from matching.pool.arrays import Floats, Mask, PoolArrays, Positions

MATCH_VALUE = 10_000_000  # one more patient matched outweighs any score and fairness
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
    fairness: float = 0.0,
) -> list[Assignment]:
    """The best assignment of `waiting` (longest waiting first) to the mentors' free places."""
    network = _Network(PoolArrays(mentors), weights_for, today, fairness)
    for order, patient in enumerate(waiting):
        network.add_patient(order, patient)
    return network.solve(len(waiting))


class _Network:
    """The flow network: source 0, sink 1, one node per mentor, one hub per hard need, and a
    node for each patient who is not plain. Arcs are added a patient (or hub) at a time."""

    def __init__(
        self,
        pool: PoolArrays,
        weights_for: Callable[[str], domain.Weights],
        today: date,
        fairness: float,
    ) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.pool = pool
        self.weights_for = weights_for
        self.today = today
        self.fairness = fairness
        self.next_node = 2 + len(pool.mentors)
        self.branches: dict[str, int] = {}
        self.branch_waiting: dict[str, int] = defaultdict(int)
        self.hubs: dict[tuple[str, str, str | None, str], int] = {}
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

    def _branch(self, branch: str) -> int:
        if branch not in self.branches:
            self.branches[branch] = self._node()
        self.branch_waiting[branch] += 1
        return self.branches[branch]

    def _hub(self, need: domain.Need) -> int:
        if need.hard_key not in self.hubs:
            hub = self._node()
            self.hubs[need.hard_key] = hub
            self.hub_need[hub] = domain.Need(
                branch=need.branch,
                language=need.language,
                mentor_gender=need.mentor_gender,
                risk=need.risk,
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
        branch = self._branch(patient.need.branch)
        if patient.plain:
            hub = self._hub(patient.need)
            self.hub_supply[hub] += 1
            self.hub_members[hub].append((order, patient))
            return
        node = self._node()
        add = self.flow.add_arc_with_capacity_and_unit_cost
        add(branch, node, 1, 0)
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
        arc_costs = costs[targets]
        if earlier:
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
        add(0, 1, supply, 0)  # those who stay waiting
        for branch, node in self.branches.items():
            bonuses = fairness_bonuses(self.fairness, self.branch_waiting[branch])
            count = len(bonuses)
            self.flow.add_arcs_with_capacity_and_unit_cost(
                np.zeros(count, dtype=np.int32),
                np.full(count, node, dtype=np.int32),
                np.ones(count, dtype=np.int64),
                -(MATCH_VALUE + bonuses),
            )
        hub_arcs: list[tuple[int, Positions, Positions]] = []
        for hub, need in self.hub_need.items():
            plain = self.hub_supply[hub]
            if plain:
                add(self.branches[need.branch], hub, plain, 0)
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
            domain.score(mentor, patient.need, patient.previous_mentors, weights, self.today),
        )


def _costs(totals: Floats) -> Costs:
    return -np.rint(totals * SCALE).astype(np.int64)


def fairness_bonuses(fairness: float, waiting: int) -> Costs:
    """The fairness bonus (in cost units) of the 1st, 2nd … patient matched at a branch where
    `waiting` wait: it shrinks as the branch's share of places grows."""
    shares = 1.0 - np.arange(waiting, dtype=np.float64) / max(waiting, 1)
    return np.rint(fairness * shares * SCALE).astype(np.int64)


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
                    domain.score(mentor, patient.need, patient.previous_mentors, weights, today),
                )
            )
    return chosen


def objective(
    assignments: list[Assignment], waiting: list[Waiting], fairness: float = 0.0
) -> tuple[int, float]:
    """What re-optimisation maximises: patients matched, then their total score plus the
    fairness bonus of each branch's share (see the module docstring)."""
    branch_of = {w.episode_id: w.need.branch for w in waiting}
    waiting_at = Counter(branch_of.values())
    matched_at = Counter(branch_of[a.episode_id] for a in assignments)
    bonus = sum(
        int(fairness_bonuses(fairness, waiting_at[branch])[:matched].sum())
        for branch, matched in matched_at.items()
    )
    total = sum(round(a.scored.total * SCALE) for a in assignments) + bonus
    return len(assignments), total / SCALE
