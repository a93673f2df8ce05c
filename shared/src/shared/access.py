"""Who may do what, and which records they may reach: role checks at the route and a
visibility condition every repository query of patient data carries.

A coordinator, clinician or EHR feed reaches the patients of its own branch (a token without a
branch: every branch); a mentor reaches their own mentees; a supervisor the mentees of the
mentors they oversee; the mentor pool is open to every branch. A record out of reach is
reported exactly as one that does not exist (404)."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy import ColumnElement, Select, false, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import True_
from sqlmodel import col

from shared.audit import CURRENT
from shared.audit_store import audit_context, store_reads, store_refusal
from shared.auth import Principal
from shared.errors import Forbidden, NotFound

BRANCH_ROLES = frozenset({"coordinator", "clinician", "ehr_feed", "privacy_officer"})
LOCAL = Principal(subject="local", role="local", branch=None)


@dataclass(frozen=True)
class Access:
    """The verified caller as the repositories see them."""

    principal: Principal

    @property
    def role(self) -> str:
        """The caller's role (`local` when the service runs without authentication)."""
        return self.principal.role

    @property
    def branch(self) -> str | None:
        """The caller's branch; None reaches every branch."""
        return self.principal.branch

    @property
    def subject(self) -> str:
        """Who the caller is (a mentor's or supervisor's id in the pool)."""
        return self.principal.subject

    @property
    def is_local(self) -> bool:
        """Authentication is off (a local experiment): nothing is scoped."""
        return self.principal is LOCAL

    @property
    def reaches_every_patient(self) -> bool:
        """A network-wide role (branch staff without a branch claim) or no authentication."""
        return self.is_local or (self.role in BRANCH_ROLES and self.branch is None)

    def reaches_branch(self, branch: str) -> bool:
        """Whether a branch-scoped caller may act at `branch` (people-scoped roles: False)."""
        if self.is_local:
            return True
        return self.role in BRANCH_ROLES and self.branch in (None, branch)


@dataclass(frozen=True)
class Reach:
    """How a service links people to records, as subqueries over its own tables."""

    patients_at: Callable[[str], Select[Any]]
    mentees_of: Callable[[Any], Select[Any]]
    mentors_of: Callable[[str], Select[Any]] | None = None
    episodes_at: Callable[[str], Select[Any]] | None = None
    mentee_episodes_of: Callable[[Any], Select[Any]] | None = None


def reach_over(episodes: Any, matches: Any = None, mentors: Any = None) -> Reach:
    """A service's Reach from its own tables: `episodes` (patient_ref, episode_id, branch),
    `matches` (patient_ref, episode_id, mentor_id) and `mentors` (mentor_id, supervisor_id)."""

    def patients_at(branch: str) -> Select[Any]:
        return select(col(episodes.patient_ref)).where(col(episodes.branch) == branch)

    def episodes_at(branch: str) -> Select[Any]:
        return select(col(episodes.episode_id)).where(col(episodes.branch) == branch)

    def mentees_of(mentor_ids: Any) -> Select[Any]:
        if matches is None:  # no matches here: mentors reach nobody's records
            return select(col(episodes.patient_ref)).where(false())
        return select(col(matches.patient_ref)).where(col(matches.mentor_id).in_(mentor_ids))

    def mentee_episodes_of(mentor_ids: Any) -> Select[Any]:
        if matches is None:
            return select(col(episodes.episode_id)).where(false())
        return select(col(matches.episode_id)).where(col(matches.mentor_id).in_(mentor_ids))

    def mentors_of(supervisor_id: str) -> Select[Any]:
        return select(col(mentors.mentor_id)).where(col(mentors.supervisor_id) == supervisor_id)

    return Reach(
        patients_at=patients_at,
        mentees_of=mentees_of,
        mentors_of=mentors_of if mentors is not None else None,
        episodes_at=episodes_at,
        mentee_episodes_of=mentee_episodes_of,
    )


def visible(
    access: Access,
    reach: Reach,
    *,
    branch: Any = None,
    patient: Any = None,
    mentor: Any = None,
    episode: Any = None,
) -> ColumnElement[bool]:
    """The condition a query of patient data adds so the caller sees only what they may.

    Pass the columns the record has: its branch, patient, mentor or episode."""
    if access.is_local:
        return true()
    if access.role in BRANCH_ROLES:
        where = access.branch
        if where is None:
            return true()
        if branch is not None:
            return branch == where
        if patient is not None:
            return patient.in_(reach.patients_at(where))
        if episode is not None and reach.episodes_at is not None:
            return episode.in_(reach.episodes_at(where))
        return false() if mentor is None else true()  # the pool is shared by every branch
    mentors: Any
    if access.role == "mentor":
        mentors = [access.subject]
    elif access.role == "supervisor" and reach.mentors_of is not None:
        mentors = reach.mentors_of(access.subject)
    else:
        return false()
    if mentor is not None:
        return mentor.in_(mentors)
    if patient is not None:
        return patient.in_(reach.mentees_of(mentors))
    if episode is not None and reach.mentee_episodes_of is not None:
        return episode.in_(reach.mentee_episodes_of(mentors))
    return false()


def caller(request: Request) -> Access:
    """The caller of this request (set by authentication; LOCAL when it is off)."""
    return Access(getattr(request.state, "principal", None) or LOCAL)


def _status_of(error: Exception) -> int:
    if isinstance(error, RequestValidationError):
        return status.HTTP_422_UNPROCESSABLE_CONTENT
    return int(getattr(error, "status_code", 500))


def allow(*roles: str) -> Any:
    """FastAPI dependency: the caller's Access when their role is one of `roles`, else 403.

    Around the handler it keeps the audit trail: what the request read and wrote is recorded
    (see shared.audit), and so is a refusal."""
    allowed = frozenset(roles)

    async def check(request: Request) -> AsyncIterator[Access]:
        access = caller(request)
        context = audit_context(request, access)
        if not access.is_local and access.role not in allowed:
            await store_refusal(request, context, status.HTTP_403_FORBIDDEN)
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"the {access.role} role may not do this (allowed: "
                f"{', '.join(sorted(allowed))})",
            )
        token = CURRENT.set(context)
        try:
            yield access
        except Exception as error:
            CURRENT.reset(token)  # the trail's own transaction is not part of the request
            await store_refusal(request, context, _status_of(error))
            raise
        CURRENT.reset(token)
        await store_reads(request, context)

    return Depends(check, scope="function")


def claim_person(access: Access, person_id: str | None, field: str) -> None:
    """A person named in a body must be the caller, unless a coordinator acts for them."""
    if person_id is None or access.is_local or access.role == "coordinator":
        return
    if access.subject != person_id:
        raise Forbidden(f"{field} must be you ({access.subject!r}); a coordinator acts for others")


def forbid_other_branch(access: Access, branch: str) -> None:
    """403 when a branch-scoped caller names a branch not their own (e.g. a new admission)."""
    if access.role in BRANCH_ROLES and not access.reaches_branch(branch):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"your token is for branch {access.branch!r}"
        )


async def ensure_visible(
    session: AsyncSession, key_column: Any, key: Any, condition: ColumnElement[bool], what: str
) -> None:
    """NotFound (worded as for a record that does not exist) unless the caller reaches it."""
    if isinstance(condition, True_):
        return  # reaches everything: the use case itself says whether the record exists
    found = await session.scalar(select(key_column).where(key_column == key, condition).limit(1))
    if found is None:
        raise NotFound(f"no {what}")


async def reaches_patient(
    session: AsyncSession, access: Access, reach: Reach, patient_ref: str
) -> bool:
    """Whether the caller reaches the patient: a stay at their branch, or a mentee (theirs, or
    of the mentors they oversee)."""
    if access.reaches_every_patient:
        return True
    condition = visible(access, reach, patient=literal(patient_ref))
    return await session.scalar(select(literal(1)).where(condition)) is not None


async def ensure_patient(
    session: AsyncSession, access: Access, reach: Reach, patient_ref: str
) -> None:
    """404 (worded as for a patient who does not exist) unless the caller reaches them."""
    if not await reaches_patient(session, access, reach, patient_ref):
        raise NotFound(f"no patient {patient_ref!r}")
