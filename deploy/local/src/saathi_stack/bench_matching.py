"""Matching benchmark: the online decision for one admission with a 2,000-mentor pool (on a
real database), and re-optimising a 10,000-patient waitlist over the whole pool."""

import random
import time
from datetime import date, timedelta
from pathlib import Path

from rich.progress import Progress
from sqlalchemy import insert

from matching import domain, handlers
from matching.models import (
    ConsentProjection,
    EpisodeProjection,
    Mentor,
    MentorBranch,
    MentorLanguage,
)
from matching.reoptimise import Waiting, assign, greedy, objective
from saathi_stack.bench_stats import LatencyRecorder
from saathi_stack.demo import BRANCHES
from shared import db
from shared.migrations import upgrade

LANGUAGES = ("bn", "hi", "en")


def pool(size: int, capacity: int, seed: int = 7) -> list[domain.MentorProfile]:
    """A random pool: one to two languages, one branch in person, a fifth remote as well."""
    rng = random.Random(seed)
    today = date.today()
    return [
        domain.MentorProfile(
            mentor_id=f"mn_{n:05d}",
            status="active",
            languages=frozenset(rng.sample(LANGUAGES, rng.choice((1, 2)))),
            branches=frozenset({rng.choice(BRANCHES)}),
            capacity=capacity,
            active_mentees=0,
            certified_until=today + timedelta(days=365),
            remote_ok=rng.random() < 0.2,
        )
        for n in range(size)
    ]


def waitlist(size: int, seed: int = 11) -> list[Waiting]:
    """Random waiting patients; one in ten has an earlier mentor to prefer."""
    rng = random.Random(seed)
    return [
        Waiting(
            episode_id=f"ep_{n:06d}",
            branch=rng.choice(BRANCHES),
            language=rng.choice(LANGUAGES),
            previous_mentors=frozenset({f"mn_{rng.randrange(2000):05d}"})
            if rng.random() < 0.1
            else frozenset(),
        )
        for n in range(size)
    ]


def reoptimisation(patients: int, mentors: int, capacity: int) -> dict:
    """Seconds to re-optimise the waitlist with the flow, and with greedy (the baseline)."""
    mentor_pool, waiting = pool(mentors, capacity), waitlist(patients)
    today = date.today()
    started = time.perf_counter()
    flow = assign(waiting, mentor_pool, lambda branch: domain.Weights(), today)
    flow_s = time.perf_counter() - started
    started = time.perf_counter()
    base = greedy(waiting, mentor_pool, lambda branch: domain.Weights(), today)
    greedy_s = time.perf_counter() - started
    return {
        "flow_s": flow_s,
        "greedy_s": greedy_s,
        "flow_objective": objective(flow),
        "greedy_objective": objective(base),
    }


async def online_decisions(
    data_dir: Path, mentors: int, decisions: int, progress: Progress
) -> dict:
    """Each admission matched in its own transaction on SQLite with `mentors` in the pool; the
    baseline is the same decision on the same candidates in memory (no database)."""
    url = f"sqlite+aiosqlite:///{data_dir / 'matching-bench.db'}"
    await upgrade("matching", url)
    engine = db.make_engine(url)
    sessions = db.make_sessionmaker(engine)
    profiles = pool(mentors, capacity=5)
    task = progress.add_task(f"matching: seeding {mentors:,} mentors", total=None)
    async with db.transaction(sessions) as session:
        await session.execute(
            insert(Mentor),
            [
                {
                    "mentor_id": p.mentor_id,
                    "display_name": "Bench mentor",
                    "lived_experience": [],
                    "capacity": p.capacity,
                    "active_mentees": 0,
                    "certified_until": p.certified_until,
                    "status": "active",
                    "remote_ok": p.remote_ok,
                    "interests": [],
                    "version": 1,
                }
                for p in profiles
            ],
        )
        await session.execute(
            insert(MentorLanguage),
            [
                {"mentor_id": p.mentor_id, "language": lang}
                for p in profiles
                for lang in p.languages
            ],
        )
        await session.execute(
            insert(MentorBranch),
            [{"mentor_id": p.mentor_id, "branch": b} for p in profiles for b in p.branches],
        )
    progress.update(task, total=1, completed=1)
    policy = domain.Policy()
    rng = random.Random(5)
    ours, floor = LatencyRecorder(), LatencyRecorder()
    task = progress.add_task(f"matching: {decisions:,} online decisions", total=decisions)
    for n in range(decisions):
        branch, language = rng.choice(BRANCHES), rng.choice(LANGUAGES)
        episode_id = f"ep_{n:06d}"
        episode = {
            "episode_id": episode_id,
            "patient_ref": f"pt_{n:06d}",
            "branch": branch,
            "language": language,
            "status": "admitted",
            "version": 1,
        }
        async with db.transaction(sessions) as session:
            await session.execute(insert(EpisodeProjection), [episode])
            await session.execute(
                insert(ConsentProjection),
                [{"patient_ref": episode["patient_ref"], "status": "given", "version": 1}],
            )
        started = time.perf_counter()
        async with db.transaction(sessions) as session:
            await handlers.reconcile(session, episode_id, None, policy)
        ours.add(time.perf_counter() - started)
        need = domain.Need(branch=branch, language=language)
        started = time.perf_counter()
        eligible = [p for p in profiles if domain.is_eligible(p, need, date.today())]
        domain.best_first(eligible[: policy.candidates], need.branch, frozenset(), policy.weights)
        floor.add(time.perf_counter() - started)
        progress.advance(task)
    await engine.dispose()
    return {
        "p50_ms": ours.percentile_ms(50),
        "p99_ms": ours.percentile_ms(99),
        "baseline_p50_ms": floor.percentile_ms(50),
        "baseline_p99_ms": floor.percentile_ms(99),
    }
