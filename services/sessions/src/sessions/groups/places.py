"""Patients' places in groups: the groups a matched patient is offered, enrolment within
capacity, leaving, and the end of inpatient places when the stay ends or consent is
withdrawn."""

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.groups import domain
from sessions.groups.events import publish_enrolment
from sessions.groups.models import AlumnusProjection, Group, GroupEnrolment
from sessions.groups.schemas import EnrolRequest, PatientAudience
from sessions.projections.models import ConsentProjection, EpisodeProjection, MatchProjection
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import Conflict
from shared.intake_projection import REFUSED, current_consent


async def _consent(session: AsyncSession, patient_ref: str, lock: bool = False) -> str | None:
    """The patient's current answer (that of their open stay, else their latest)."""
    return await current_consent(
        session, EpisodeProjection, ConsentProjection, patient_ref, lock=lock
    )


async def _stays(
    session: AsyncSession, patient_ref: str, lock: bool = False
) -> list[EpisodeProjection]:
    """The patient's current admissions. Locked, they cannot end under an enrolment: the
    discharge waits, then finds the place and ends it."""
    query = select(EpisodeProjection).where(col(EpisodeProjection.patient_ref) == patient_ref)
    if lock:
        query = query.with_for_update()
    return [row for row in await session.scalars(query) if row.status == "admitted"]


def audience_of(group: Group) -> domain.Audience:
    """Whom the group is for."""
    return domain.Audience(group.audience_gender, tuple(group.audience_age_bands))


async def enrol(
    session: AsyncSession, group_id: str, request: EnrolRequest, now: datetime
) -> GroupEnrolment:
    """Give a consenting patient a place in a group with room (an inpatient group only to a
    patient admitted at its branch, or at any branch for a network-wide group; a group for an
    audience only to a patient of it). The group row is locked, so two enrolments never take
    the last place twice."""
    patient_ref = request.patient_ref
    group = await get_or_not_found(session, Group, group_id, f"group {group_id!r}", for_update=True)
    if group.status != "active":
        raise Conflict("the group is closed")
    if group.setting == "outpatient":
        raise Conflict(
            "outpatient groups are filled by aftercare at discharge (record the patient's "
            "wish there: PUT /patients/{ref}/aftercare-wish)"
        )
    if group.setting == "alumni" and await session.get(AlumnusProjection, patient_ref) is None:
        raise Conflict("alumni groups are for patients who completed aftercare")
    refusal = domain.audience_refusal(audience_of(group), request.gender, request.age_band)
    if refusal:
        raise Conflict(refusal)
    if await _consent(session, patient_ref, lock=True) != "given":
        raise Conflict("the patient has not consented to peer support for this stay")
    if group.setting == "inpatient":
        admitted_at = {stay.branch for stay in await _stays(session, patient_ref, lock=True)}
        if group.network_wide and not admitted_at:
            raise Conflict("the patient is not admitted anywhere; inpatient groups are for wards")
        if not group.network_wide and group.branch not in admitted_at:
            raise Conflict(
                f"the patient is not admitted at {group.branch}; inpatient groups are for its wards"
            )
    place = await session.get(GroupEnrolment, (group_id, patient_ref))
    if place is not None and place.status == "enrolled":
        raise Conflict("the patient is already enrolled in this group")
    domain.check_room(group.enrolled, group.capacity)
    return await join(session, group, patient_ref, now)


async def join(
    session: AsyncSession, group: Group, patient_ref: str, now: datetime
) -> GroupEnrolment:
    """Put the patient on the group's roster (the caller checked they may join)."""
    place = await session.get(GroupEnrolment, (group.group_id, patient_ref))
    if place is not None and place.status == "enrolled":
        return place
    group.enrolled += 1
    if place is None:
        place = GroupEnrolment(
            group_id=group.group_id, patient_ref=patient_ref, status="enrolled", enrolled_at=now
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
    end_place(session, group, place, reason, now)
    await session.flush()
    return place


def end_place(
    session: AsyncSession, group: Group, place: GroupEnrolment, reason: str, now: datetime
) -> None:
    """Take the patient off the group's roster."""
    place.status, place.left_at, place.left_reason = "left", now, reason[:200]
    place.version += 1
    group.enrolled -= 1
    publish_enrolment(session, group, place)


async def close_places(session: AsyncSession, group: Group, now: datetime) -> None:
    """A closed group: every enrolled patient leaves it."""
    places = await session.scalars(
        select(GroupEnrolment).where(
            col(GroupEnrolment.group_id) == group.group_id, col(GroupEnrolment.status) == "enrolled"
        )
    )
    for place in list(places):
        end_place(session, group, place, "the group closed", now)


async def settle(
    session: AsyncSession, episode_id: str, correlation_id: str | None, clock: Clock
) -> None:
    """After a discharge, cancelled admission, transfer or consent change: inpatient places
    end where the patient is no longer admitted, and every place ends when the patient's
    current answer is a decline or withdrawal (a new stay not yet asked ends none)."""
    stay = await session.get(EpisodeProjection, episode_id)
    if stay is None:
        return
    now = clock.now()
    refused = await _consent(session, stay.patient_ref)
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
        if refused in REFUSED:
            end_place(session, group, place, f"consent {refused}", now)
        elif group.setting == "inpatient" and group.network_wide and not admitted_at:
            end_place(session, group, place, "no longer admitted at any branch", now)
        elif group.setting == "inpatient" and not group.network_wide:
            if group.branch not in admitted_at:
                end_place(session, group, place, f"no longer admitted at {group.branch}", now)


async def offers(
    session: AsyncSession, patient_ref: str, patient: PatientAudience
) -> list[tuple[str, Group]]:
    """The groups a matched, consenting, admitted patient is offered, with the match: the
    active inpatient groups of their branch, and network-wide ones, in their language with
    room and without them; a group for an audience only if what was stated of the patient
    fits it. Worked out when asked, from what is committed, so a match and an admission
    arriving at the same moment over different streams cannot both miss the other."""
    if await _consent(session, patient_ref) != "given":
        return []
    found: list[tuple[str, Group]] = []
    offered: set[str] = set()
    for stay in await _stays(session, patient_ref):
        match_id = await session.scalar(
            select(col(MatchProjection.match_id)).where(
                col(MatchProjection.episode_id) == stay.episode_id,
                col(MatchProjection.status) == "active",
            )
        )
        if match_id is None:
            continue
        joined = select(col(GroupEnrolment.group_id)).where(
            col(GroupEnrolment.patient_ref) == patient_ref,
            col(GroupEnrolment.status) == "enrolled",
        )
        groups = await session.scalars(
            select(Group)
            .where(
                col(Group.status) == "active",
                col(Group.setting) == "inpatient",
                or_(col(Group.branch) == stay.branch, col(Group.network_wide)),
                col(Group.language) == stay.language,
                col(Group.enrolled) < col(Group.capacity),
                col(Group.group_id).not_in(joined),
            )
            .order_by(col(Group.weekday), col(Group.start_time))
        )
        for group in groups:
            refusal = domain.audience_refusal(audience_of(group), patient.gender, patient.age_band)
            if refusal is None and group.group_id not in offered:
                offered.add(group.group_id)
                found.append((match_id, group))
    return found
