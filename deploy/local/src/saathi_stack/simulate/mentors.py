"""The replay's mentor pool, and what happens to mentors during the month (leave, lapsing
certificates)."""

import random
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta

from saathi_stack.simulate.model import Mentor, Step
from saathi_stack.simulate.people import AREAS

BRANCHES = ("kol-salt-lake", "kol-park-street", "kol-behala")
ALUMNUS_PREFIX = "mn-alum-"


def mentor_pool(rng: random.Random, count: int, alumni: int) -> list[Mentor]:
    """`count` mentors spread over the branches (some serve two), `alumni` of them former
    patients who speak Hindi (nobody else does)."""
    pool = []
    for n in range(count - alumni):
        branches = [BRANCHES[n % 3]]
        if rng.random() < 0.15:
            branches.append(BRANCHES[(n + 1) % 3])
        pool.append(
            Mentor(
                mentor_id=f"mn-{n + 1:03d}",
                branches=branches,
                languages=["bn", "en"] if rng.random() < 0.7 else ["bn"],
                gender="female" if rng.random() < 0.55 else "male",
                capacity=rng.randint(2, 4),
                lived_experience=rng.sample(AREAS, 2),
            )
        )
    for n in range(alumni):
        pool.append(
            Mentor(
                mentor_id=f"{ALUMNUS_PREFIX}{n + 1}",
                branches=[BRANCHES[n % 3]],
                languages=["hi", "bn"],
                gender="female",
                capacity=4,
                lived_experience=rng.sample(AREAS, 2),
            )
        )
    return pool


def mentor_steps(
    rng: random.Random, mentors: Mapping[str, Mentor], start: datetime, end: datetime
) -> Iterator[Step]:
    """One mentor in ten takes a few days' leave; one in twenty lets a certificate lapse."""
    span = (end - start).total_seconds()
    for mentor in mentors.values():
        if mentor.person is not None:
            continue
        if rng.random() < 0.1:
            begins = start + timedelta(seconds=rng.uniform(0, span * 0.8))
            yield Step(begins, "leave_start", mentor=mentor.mentor_id)
            yield Step(
                begins + timedelta(days=rng.uniform(0.5, 4)), "leave_end", mentor=mentor.mentor_id
            )
        elif rng.random() < 0.05:
            lapses = start + timedelta(seconds=rng.uniform(0, span))
            yield Step(lapses, "certificate_lapse", mentor=mentor.mentor_id)
