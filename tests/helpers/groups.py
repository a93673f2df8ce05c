"""Peer-led groups in tests: mentors as matching announces them, groups as sessions announces
them, stays as intake publishes them, and a group request."""

import secrets
from datetime import UTC, date, datetime
from typing import Any

from helpers import events
from helpers.apps import RunningService
from helpers.events import Publisher
from helpers.sessions import known_matches, match
from helpers.waiting import wait_until
from shared.contracts.intake import EpisodeState
from shared.contracts.matching import POOL_BRANCH, MentorChanged, MentorState
from shared.contracts.sessions import (
    GroupChanged,
    GroupMeetingHeld,
    GroupMeetingState,
    GroupState,
)

BRANCH = "kol-salt-lake"
SUPERVISOR = "sup_groups"


def mentor(mentor_id: str, version: int = 1, **overrides: Any) -> MentorState:
    """A mentor's announced state: active, certified, at the branch, speaking bn and en."""
    fields: dict[str, Any] = {
        "version": version,
        "mentor_id": mentor_id,
        "status": "active",
        "languages": ["bn", "en"],
        "branches": [BRANCH],
        "remote_ok": False,
        "certified_until": date(2027, 12, 31),
        "crisis_certified_until": None,
        "supervisor_id": SUPERVISOR,
        "updated_at": datetime.now(UTC),
    }
    fields.update(overrides)
    return MentorState(**fields)


async def announce(service: RunningService, nats_url: str, *states: MentorState) -> None:
    """Publish the mentors' states and wait until sessions applied them all."""
    async with Publisher(nats_url) as publisher:
        for state in states:
            await publisher.event(MentorChanged.new(state, branch=POOL_BRANCH))
    wanted = {(s.mentor_id, s.status) for s in states}

    async def known() -> set[tuple[str, str]]:
        loads = (await service.client.get(f"/supervisors/{SUPERVISOR}/mentors")).json()
        ids = {load["mentor_id"] for load in loads}
        return {(m, s) for m, s in wanted if m in ids}

    await wait_until(known, lambda found: found == wanted, what="mentors known to sessions")


def group_request(facilitators: list[str], **overrides: Any) -> dict[str, Any]:
    """A weekly inpatient group at the branch, in Bengali, Wednesdays at 16:00."""
    body: dict[str, Any] = {
        "title": "Wednesday mood circle",
        "branch": BRANCH,
        "focus": "depression",
        "language": "bn",
        "capacity": 8,
        "weekday": 2,
        "start_time": "16:00",
        "minutes": 60,
        "starts_on": "2026-11-01",
        "facilitator_ids": facilitators,
    }
    body.update(overrides)
    return body


async def admitted_and_matched(
    service: RunningService, nats_url: str, count: int, consenting: bool = True, **episode: Any
) -> list[EpisodeState]:
    """Admit patients at the branch (with consent unless told otherwise), match them, and
    wait for sessions to know the matches."""
    stays = [events.episode(**episode) for _ in range(count)]
    async with Publisher(nats_url) as publisher:
        for stay in stays:
            await publisher.event(events.admitted(stay))
            if consenting:
                await publisher.event(events.consent(stay))
    await known_matches(
        service,
        nats_url,
        *(
            match(f"mt_{s.episode_id[3:]}", s.patient_ref, branch=s.branch, episode_id=s.episode_id)
            for s in stays
        ),
    )
    return stays


def outpatient_group(group_id: str | None = None, version: int = 1, **overrides: Any) -> GroupState:
    """An outpatient group's state as sessions announces it (Wednesdays 17:30, in Bengali)."""
    fields: dict[str, Any] = {
        "version": version,
        "group_id": group_id or f"gr_{secrets.token_hex(6)}",
        "title": "Outpatient circle",
        "branch": BRANCH,
        "setting": "outpatient",
        "focus": "general_recovery",
        "language": "bn",
        "capacity": 10,
        "weekday": 2,
        "start_time": "17:30",
        "minutes": 60,
        "starts_on": date(2026, 1, 1),
        "ends_on": None,
        "facilitator_ids": ["mn_out"],
        "status": "active",
    }
    fields.update(overrides)
    return GroupState(**fields)


async def announce_groups(nats_url: str, *states: GroupState) -> None:
    """Publish the groups' states as sessions would."""
    async with Publisher(nats_url) as publisher:
        for state in states:
            await publisher.event(GroupChanged.new(state, branch=state.branch))


def meeting_held(
    group_id: str,
    attended: list[str],
    absent: list[str] | None = None,
    meeting_id: str = "gm_1",
    starts_at: datetime | None = None,
) -> GroupMeetingHeld:
    """An outpatient group's meeting as sessions reports it held, with attendance."""
    state = GroupMeetingState(
        version=2,
        meeting_id=meeting_id,
        group_id=group_id,
        branch=BRANCH,
        setting="outpatient",
        starts_at=starts_at or datetime.now(UTC),
        minutes=60,
        facilitator_ids=["mn_out"],
        substitute=False,
        status="held",
        attended=attended,
        absent=absent or [],
    )
    return GroupMeetingHeld.new(state, branch=BRANCH)
