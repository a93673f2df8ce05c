"""The vectorised pool gives exactly what the one-mentor-at-a-time rules give."""

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.matching_strategies import TODAY, mentor_ids, needs, pools
from matching.matches import domain
from matching.pool.arrays import PoolArrays

WEIGHTS = domain.Weights()


@settings(max_examples=400, deadline=None)
@given(pools, needs, st.frozensets(mentor_ids, max_size=2), st.frozensets(mentor_ids, max_size=2))
def test_vectorised_ranking_equals_the_rules(mentors, need, previous, excluded):
    eligible = [
        m for m in mentors if m.mentor_id not in excluded and domain.is_eligible(m, need, TODAY)
    ]
    expected = domain.best_first(eligible, need, previous, WEIGHTS, TODAY)

    arrays = PoolArrays(mentors)
    ranked, totals = arrays.best_first(need, WEIGHTS, TODAY, previous, excluded)

    assert [mentors[i].mentor_id for i in ranked] == [s.mentor.mentor_id for s in expected]
    assert [float(totals[i]) for i in ranked] == [s.total for s in expected]


def test_an_empty_pool_ranks_nobody():
    ranked, _ = PoolArrays([]).best_first(
        domain.Need(branch="kol-behala", language="bn"), WEIGHTS, TODAY
    )
    assert list(ranked) == []
