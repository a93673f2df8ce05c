"""Patients' places in groups: groups offered on match, enrolment within capacity, leaving,
and the end of inpatient places when the stay ends or consent is withdrawn."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import group_rules
from sessions.group_events import publish_enrolment
from sessions.models import (
    ConsentProjection,
    EpisodeProjection,
    Group,
    GroupEnrolment,
    GroupOffer,
    MatchProjection,
)
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import Conflict


async def _consented(session: AsyncSession, patient_ref: str) -> bool:
    consent = await session.get(ConsentProjection, patient_ref)
    return consent is not None and consent.status == "given"


async def _stays(session: AsyncSession, patient_ref: str) -> list[EpisodeProjection]:
    """The patient's current admissions."""
    rows = await session.scalars(
        select(EpisodeProjection).where(
            col(EpisodeProjection.patient_ref) == patient_ref,
            col(EpisodeProjection.status) == "admitted",
        )
    )
    return list(rows)


async def enrol(
    session: AsyncSession, group_id: str, patient_ref: str, now: datetime
) -> GroupEnrolment:
    """Give a consenting patient a place in a group with room (an inpatient group only to a
    patient admitted at its branch). The group row is locked, so two enrolments never take
    the last place twice."""
    group = await get_or_not_found(session, Group, group_id, f"group {group_id!r}", for_update=True)
    if group.status != "active":
        raise Conflict("the group is closed")
    if not await _consented(session, patient_ref):
        raise Conflict("the patient has not consented to peer support (or withdrew consent)")
    if group.setting == "inpatient" and group.branch not in {
        stay.branch for stay in await _stays(session, patient_ref)
    }:
        raise Conflict(
            f"the patient is not admitted at {group.branch}; inpatient groups are for its wards"
        )
    place = await session.get(GroupEnrolment, (group_id, patient_ref))
    if place is not None and place.status == "enrolled":
        raise Conflict("the patient is already enrolled in this group")
    group_rules.check_room(group.enrolled, group.capacity)
    group.enrolled += 1
    if place is None:
        place = GroupEnrolment(
            group_id=group_id, patient_ref=patient_ref, status="enrolled", enrolled_at=now
        )
        session.add(place)
    else:
        place.status, place.enrolled_at, place.left_at, place.left_reason = (
            "enrolled",
            now,
            None,
            None,
        )
        place.version += 1
    offer = await session.get(GroupOffer, (group_id, patient_ref))
    if offer is not None:
        offer.status = "taken"
    await session.flush()
    publish_enrolment(session, group, place)
    return place


async def leave(
    session: AsyncSession, group_id: str, patient_ref: str, reason: str, now: datetime
) -> GroupEnrolment:
    """A patient leaves a group; the place is free for someone else."""
    group = await get_or_not_found(session, Group, group_id, f"group {group_id!r}", for_update=True)
    place = await get_or_not_found(
        session,
        GroupEnrolment,
        (group_id, patient_ref),
        f"enrolment of {patient_ref!r} in {group_id!r}",
    )
    if place.status != "enrolled":
        raise Conflict("the patient already left this group")
    _leave(session, group, place, reason, now)
    await session.flush()
    return place


def _leave(
    session: AsyncSession, group: Group, place: GroupEnrolment, reason: str, now: datetime
) -> None:
    place.status, place.left_at, place.left_reason = "left", now, reason[:200]
    place.version += 1
    group.enrolled -= 1
    publish_enrolment(session, group, place)


async def close_places(session: AsyncSession, group: Group, now: datetime) -> None:
    """A closed group: every enrolled patient leaves it and open offers lapse."""
    places = await session.scalars(
        select(GroupEnrolment).where(
            col(GroupEnrolment.group_id) == group.group_id, col(GroupEnrolment.status) == "enrolled"
        )
    )
    for place in list(places):
        _leave(session, group, place, "the group closed", now)
    offers = await session.scalars(
        select(GroupOffer).where(
            col(GroupOffer.group_id) == group.group_id, col(GroupOffer.status) == "open"
        )
    )
    for offer in offers:
        offer.status = "withdrawn"


def _fits(group: Group, stay: EpisodeProjection) -> bool:
    return (
        group.status == "active"
        and group.setting == "inpatient"
        and group.branch == stay.branch
        and group.language == stay.language
        and group.enrolled < group.capacity
    )


async def _offer(
    session: AsyncSession,
    groups: list[Group],
    stay: EpisodeProjection,
    match_id: str,
    now: datetime,
) -> None:
    for group in groups:
        if not _fits(group, stay):
            continue
        key = (group.group_id, stay.patient_ref)
        if (
            await session.get(GroupOffer, key) is None
            and await session.get(GroupEnrolment, key) is None
        ):
            session.add(
                GroupOffer(
                    group_id=group.group_id,
                    patient_ref=stay.patient_ref,
                    match_id=match_id,
                    status="open",
                    offered_at=now,
                )
            )


async def _active_match(session: AsyncSession, episode_id: str) -> str | None:
    return await session.scalar(
        select(col(MatchProjection.match_id)).where(
            col(MatchProjection.episode_id) == episode_id, col(MatchProjection.status) == "active"
        )
    )


async def offer_on_match(session: AsyncSession, episode_id: str, now: datetime) -> None:
    """A matched, consenting, admitted patient is offered the inpatient groups at their branch
    in their language that have room. Runs on the match and on the admission, whichever
    reaches sessions last (they come over different streams)."""
    stay = await session.get(EpisodeProjection, episode_id)
    match_id = await _active_match(session, episode_id)
    if stay is None or match_id is None or stay.status != "admitted":
        return
    if not await _consented(session, stay.patient_ref):
        return
    groups = list(
        await session.scalars(
            select(Group).where(col(Group.branch) == stay.branch, col(Group.status) == "active")
        )
    )
    await _offer(session, groups, stay, match_id, now)


async def offer_group(session: AsyncSession, group: Group, now: datetime) -> None:
    """A new inpatient group is offered to the matched, consenting patients it fits."""
    stays = await session.scalars(
        select(EpisodeProjection).where(
            col(EpisodeProjection.branch) == group.branch,
            col(EpisodeProjection.language) == group.language,
            col(EpisodeProjection.status) == "admitted",
        )
    )
    for stay in list(stays):
        match_id = await _active_match(session, stay.episode_id)
        if match_id is not None and await _consented(session, stay.patient_ref):
            await _offer(session, [group], stay, match_id, now)


async def settle(
    session: AsyncSession, episode_id: str, correlation_id: str | None, clock: Clock
) -> None:
    """After an admission, discharge, transfer or consent change: inpatient places and offers
    end where the patient is no longer admitted, every place ends without consent, and a
    matched admitted patient gets their offers."""
    stay = await session.get(EpisodeProjection, episode_id)
    if stay is None:
        return
    now = clock.now()
    consented = await _consented(session, stay.patient_ref)
    admitted_at = {s.branch for s in await _stays(session, stay.patient_ref)}
    places = await session.scalars(
        select(GroupEnrolment).where(
            col(GroupEnrolment.patient_ref) == stay.patient_ref,
            col(GroupEnrolment.status) == "enrolled",
        )
    )
    for place in list(places):
        group = await session.get(Group, place.group_id, with_for_update=True)
        if group is None:
            continue
        if not consented:
            _leave(session, group, place, "consent withdrawn", now)
        elif group.setting == "inpatient" and group.branch not in admitted_at:
            _leave(session, group, place, f"no longer admitted at {group.branch}", now)
    offers = await session.scalars(
        select(GroupOffer).where(
            col(GroupOffer.patient_ref) == stay.patient_ref, col(GroupOffer.status) == "open"
        )
    )
    for offer in list(offers):
        group = await session.get(Group, offer.group_id)
        if not consented or group is None or group.branch not in admitted_at:
            offer.status = "withdrawn"
    if consented and stay.status == "admitted":
        await offer_on_match(session, episode_id, now)


async def open_offers(session: AsyncSession, patient_ref: str) -> list[tuple[GroupOffer, Group]]:
    """The groups a patient has been offered and not yet taken."""
    rows = await session.execute(
        select(GroupOffer, Group)
        .join(Group, col(Group.group_id) == col(GroupOffer.group_id))
        .where(col(GroupOffer.patient_ref) == patient_ref, col(GroupOffer.status) == "open")
        .order_by(col(Group.weekday), col(Group.start_time))
    )
    return [(offer, group) for offer, group in rows]
