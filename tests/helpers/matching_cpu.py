"""CPU of matching's `matching-intake-events` consumer alone: admissions each followed by its
consent, applied through the consumer's own transaction path (no broker), timed with
`time.process_time`, statements counted. Run from the repository root:

    uv run --frozen python tests/helpers/matching_cpu.py [DATABASE_URL]   # N=500 BATCH=200
    PROFILE=1 uv run --frozen --with pyinstrument python tests/helpers/matching_cpu.py
"""

import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta

# Run as a script: `tests` (not this folder, whose matching.py would hide the service) on the path.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from sqlalchemy import event as sa_event  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import shared.inbox  # noqa: E402  (tables)
import shared.outbox  # noqa: E402,F401
from helpers import events  # noqa: E402
from helpers.differential import replay  # noqa: E402
from matching import audit  # noqa: E402,F401
from matching.app import policy_from, pool_options_from  # noqa: E402
from matching.config import MatchingSettings  # noqa: E402
from matching.consumers import consumer_specs  # noqa: E402
from matching.pool import handlers as pool  # noqa: E402
from matching.pool.schemas import MentorCreate  # noqa: E402
from shared import db  # noqa: E402

SETTINGS = MatchingSettings(core_certifications=["active_listening", "boundaries", "ethics"])
POLICY = policy_from(SETTINGS)
SPEC = consumer_specs(POLICY, pool_options_from(SETTINGS))[0]


async def _pool(sessions: db.SessionMaker, mentors: int) -> None:
    today = datetime.now(UTC).date()
    certs = [
        {
            "kind": k,
            "issued_on": str(today - timedelta(days=1)),
            "expires_on": str(today + timedelta(days=300)),
        }
        for k in SETTINGS.core_certifications
    ]
    for n in range(mentors):
        request = MentorCreate(
            mentor_id=f"mn_{n}",
            display_name="M",
            languages=["bn"],
            branches=["kol-salt-lake"],
            capacity=50,
            certifications=certs,  # type: ignore[arg-type]
        )
        async with db.transaction(sessions) as session:
            await pool.register_mentor(session, request, POLICY, SETTINGS.core_certifications)


async def main(url: str, admissions: int, batch: int) -> None:
    """Measure and print CPU per admission and statements per event."""
    engine = db.make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.run_sync(SQLModel.metadata.create_all)
    sessions = db.make_sessionmaker(engine)
    await _pool(sessions, 20)
    stream = []
    for _ in range(admissions):
        stay = events.episode()
        stream += [events.admitted(stay), events.consent(stay)]
    statements = [0]
    sa_event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda *_: statements.__setitem__(0, statements[0] + 1),
    )
    profiler = None
    if os.environ.get("PROFILE"):
        from pyinstrument import Profiler  # type: ignore[import-not-found]

        profiler = Profiler()
        profiler.start()
    started = time.process_time()
    await replay(SPEC, sessions, stream, [batch])
    cpu = time.process_time() - started
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(color=False)[:8000])
    print(
        f"{engine.dialect.name}: {admissions} admissions, batches of {batch}: "
        f"CPU {cpu / admissions * 1000:.2f} ms per admission, "
        f"{statements[0] / len(stream):.1f} statements per event"
    )
    await engine.dispose()


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "sqlite+aiosqlite:///var/matching_cpu.db"
    asyncio.run(main(target, int(os.environ.get("N", "500")), int(os.environ.get("BATCH", "200"))))
