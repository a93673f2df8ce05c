"""Matching benchmark: the online decision for one admission with a 2,000-mentor pool (on a
real database), and re-optimising a 10,000-patient waitlist over the whole pool."""

import random
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rich.progress import Progress
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from matching.matches import claim, domain
from matching.matches import reconcile as reconciling
from matching.matches.needs import need_of
from matching.matches.reoptimise import Waiting, assign, greedy, objective
from matching.patients.models import (
    ConsentProjection,
    EpisodeProjection,
    EpisodeRisk,
    PatientPreferences,
)
from matching.pool.arrays import PoolArrays
from matching.pool.index import PoolIndex
from matching.pool.models import Mentor, MentorBranch, MentorLanguage
from saathi_stack.bench_stats import LatencyRecorder
from saathi_stack.demo import BRANCHES
from shared import db
from shared.contracts.envelope import utcnow
from shared.migrations import upgrade

LANGUAGES = ("bn", "hi", "en")
AREAS = ("depression", "anxiety", "bipolar", "schizophrenia", "substance_use", "psychosis")
INTERESTS = ("music", "cricket", "cooking", "art", "reading", "gardening", "films", "walking")
GENDERS = ("female", "male")


def pool(size: int, capacity: int, seed: int = 7) -> list[domain.MentorProfile]:
    """A random pool: one to two languages, one branch in person, a fifth remote as well,
    lived experience, interests, gender, age band, a supervisor for every eight; four in five
    certified in crisis response."""
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
            gender=rng.choice(GENDERS),
            age_band=rng.choice(domain.AGE_BANDS),
            lived_experience=frozenset(rng.sample(AREAS, rng.choice((1, 2, 3)))),
            interests=frozenset(rng.sample(INTERESTS, rng.choice((0, 1, 2, 3)))),
            crisis_certified_until=today + timedelta(days=365) if rng.random() < 0.8 else None,
            supervisor_id=f"sup_{n % 250:03d}",
        )
        for n in range(size)
    ]


def need(rng: random.Random) -> domain.Need:
    """A random patient: half name lived-experience areas, a third interests, a tenth ask for
    a mentor's gender, one in ten is medium-risk and one in twenty high-risk."""
    return domain.Need(
        branch=rng.choice(BRANCHES),
        language=rng.choice(LANGUAGES),
        mentor_gender=rng.choice(GENDERS) if rng.random() < 0.1 else None,
        risk=rng.choices(domain.RISK_LEVELS, (0.85, 0.10, 0.05))[0],
        lived_experience=frozenset(rng.sample(AREAS, rng.choice((1, 2))))
        if rng.random() < 0.5
        else frozenset(),
        interests=frozenset(rng.sample(INTERESTS, 2)) if rng.random() < 0.3 else frozenset(),
        age_band=rng.choice(domain.AGE_BANDS) if rng.random() < 0.4 else None,
    )


def waitlist(size: int, seed: int = 11) -> list[Waiting]:
    """Random waiting patients (see `need`); one in ten has an earlier mentor to prefer, one
    in fifty declined a mentor."""
    rng = random.Random(seed)
    return [
        Waiting(
            episode_id=f"ep_{n:06d}",
            need=need(rng),
            previous_mentors=frozenset({f"mn_{rng.randrange(2000):05d}"})
            if rng.random() < 0.1
            else frozenset(),
            excluded=frozenset({f"mn_{rng.randrange(2000):05d}"})
            if rng.random() < 0.02
            else frozenset(),
        )
        for n in range(size)
    ]


def reoptimisation(patients: int, mentors: int, capacity: int) -> dict:
    """Seconds and peak memory to re-optimise the waitlist with the flow, and seconds with
    greedy (the baseline)."""
    mentor_pool, waiting = pool(mentors, capacity), waitlist(patients)
    today = date.today()
    fairness = domain.Policy().fairness
    started = time.perf_counter()
    flow = assign(waiting, mentor_pool, lambda branch: domain.Weights(), today, fairness)
    flow_s = time.perf_counter() - started
    tracemalloc.start()
    assign(waiting, mentor_pool, lambda branch: domain.Weights(), today, fairness)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    started = time.perf_counter()
    base = greedy(waiting, mentor_pool, lambda branch: domain.Weights(), today)
    greedy_s = time.perf_counter() - started
    return {
        "flow_s": flow_s,
        "flow_peak_mib": peak / 2**20,
        "greedy_s": greedy_s,
        "flow_objective": objective(flow, waiting, fairness),
        "greedy_objective": objective(base, waiting, fairness),
    }


async def online_decisions(
    data_dir: Path, mentors: int, decisions: int, progress: Progress
) -> dict:
    """Each admission matched in its own transaction on SQLite with `mentors` in the pool.
    Measured: the decision itself (the index ranks the pool and explains the choice), and the
    whole transaction (read the patient's needs, decide, claim, record, commit). The baseline
    is the same decision by the one-mentor-at-a-time rules over the pool (no index)."""
    url = f"sqlite+aiosqlite:///{data_dir / 'matching-bench.db'}"
    await upgrade("matching", url)
    engine = db.make_engine(url)
    sessions = db.make_sessionmaker(engine)
    profiles = pool(mentors, capacity=5)
    task = progress.add_task(f"matching: seeding {mentors:,} mentors", total=None)
    async with db.transaction(sessions) as session:
        await _seed_mentors(session, profiles)
    progress.update(task, total=1, completed=1)
    policy, rng = domain.Policy(), random.Random(5)
    timings = _DecisionTimings(LatencyRecorder(), LatencyRecorder(), LatencyRecorder())
    task = progress.add_task(f"matching: {decisions:,} online decisions", total=decisions)
    for n in range(decisions):
        await _time_one_admission(sessions, profiles, policy, n, need(rng), timings)
        progress.advance(task)
    await engine.dispose()
    return {
        "decision_p50_ms": timings.decision.percentile_ms(50),
        "decision_p99_ms": timings.decision.percentile_ms(99),
        "p50_ms": timings.whole.percentile_ms(50),
        "p99_ms": timings.whole.percentile_ms(99),
        "baseline_p50_ms": timings.floor.percentile_ms(50),
        "baseline_p99_ms": timings.floor.percentile_ms(99),
        "index_mib": _index_mib(profiles),
    }


@dataclass(frozen=True)
class _DecisionTimings:
    """Latencies of the whole transaction, the indexed decision and the no-index baseline."""

    whole: LatencyRecorder
    decision: LatencyRecorder
    floor: LatencyRecorder


async def _time_one_admission(
    sessions: db.SessionMaker,
    profiles: list[domain.MentorProfile],
    policy: domain.Policy,
    n: int,
    wanted: domain.Need,
    timings: _DecisionTimings,
) -> None:
    """Admit patient `n`, then time the whole reconcile, the indexed decision and the rules."""
    episode_id, patient_ref = f"ep_{n:06d}", f"pt_{n:06d}"
    async with db.transaction(sessions) as session:
        await _admit(session, episode_id, patient_ref, wanted)
    started = time.perf_counter()
    async with db.transaction(sessions) as session:
        await reconciling.reconcile(session, episode_id, None, policy)
    timings.whole.add(time.perf_counter() - started)
    async with db.transaction(sessions) as session:
        episode = await session.get(EpisodeProjection, episode_id)
        assert episode is not None
        patient = await need_of(session, episode, policy, utcnow())
        index = await PoolIndex.of(session).fresh(session)
    weights, today = policy.weights_for(wanted.branch), date.today()
    started = time.perf_counter()
    next(claim.ranked_choices(index, patient, weights, today), None)
    timings.decision.add(time.perf_counter() - started)
    started = time.perf_counter()
    eligible = [p for p in profiles if domain.is_eligible(p, wanted, today)]
    domain.best_first(eligible, wanted, frozenset(), weights, today)
    timings.floor.add(time.perf_counter() - started)


async def _seed_mentors(session: AsyncSession, profiles: list[domain.MentorProfile]) -> None:
    """The pool as matching's tables hold it: mentors, their languages and their branches."""
    await session.execute(
        insert(Mentor),
        [
            {
                "mentor_id": p.mentor_id,
                "display_name": "Bench mentor",
                "lived_experience": sorted(p.lived_experience),
                "capacity": p.capacity,
                "active_mentees": 0,
                "certified_until": p.certified_until,
                "crisis_certified_until": p.crisis_certified_until,
                "status": "active",
                "remote_ok": p.remote_ok,
                "gender": p.gender,
                "age_band": p.age_band,
                "interests": sorted(p.interests),
                "supervisor_id": p.supervisor_id,
                "version": 1,
            }
            for p in profiles
        ],
    )
    await session.execute(
        insert(MentorLanguage),
        [{"mentor_id": p.mentor_id, "language": lang} for p in profiles for lang in p.languages],
    )
    await session.execute(
        insert(MentorBranch),
        [{"mentor_id": p.mentor_id, "branch": b} for p in profiles for b in p.branches],
    )


def _index_mib(profiles: list[domain.MentorProfile]) -> float:
    """Memory the pool index takes for these profiles (allocations while it is built)."""
    tracemalloc.start()
    index = PoolArrays(profiles)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del index
    return size / 2**20


async def _admit(
    session: AsyncSession, episode_id: str, patient_ref: str, wanted: domain.Need
) -> None:
    """An admitted, consenting patient with their preferences and risk, as intake and the
    coordinator would have recorded them."""
    await session.execute(
        insert(EpisodeProjection),
        [
            {
                "episode_id": episode_id,
                "patient_ref": patient_ref,
                "branch": wanted.branch,
                "ward": "ward-1",
                "language": wanted.language,
                "status": "admitted",
                "version": 1,
            }
        ],
    )
    consent = {"episode_id": episode_id, "patient_ref": patient_ref, "status": "given"}
    await session.execute(
        insert(ConsentProjection), [{**consent, "recorded_at": utcnow(), "version": 1}]
    )
    await session.execute(
        insert(PatientPreferences),
        [
            {
                "patient_ref": patient_ref,
                "mentor_gender": wanted.mentor_gender,
                "lived_experience": sorted(wanted.lived_experience),
                "interests": sorted(wanted.interests),
                "age_band": wanted.age_band,
                "recorded_by": "bench",
                "updated_at": utcnow(),
                "version": 1,
            }
        ],
    )
    if wanted.risk != domain.LOW:
        await session.execute(
            insert(EpisodeRisk),
            [
                {
                    "episode_id": episode_id,
                    "level": wanted.risk,
                    "assessed_by": "bench",
                    "assessed_at": utcnow(),
                    "version": 1,
                }
            ],
        )
