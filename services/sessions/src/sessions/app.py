"""Sessions composition root: settings are read here, once, and each feature receives the few
values it needs as a small frozen dataclass."""

from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import ValidationError

from sessions.audit import AuditRecord
from sessions.calendar.api import router as calendar_router
from sessions.calendar.jobs import missed_sessions_job
from sessions.calendar.options import CalendarOptions
from sessions.config import SessionsSettings
from sessions.consumers import consumer_specs
from sessions.crisis.api import router as crisis_router
from sessions.crisis.jobs import escalation_job
from sessions.crisis.options import CrisisOptions
from sessions.crisis.readiness import CrisisReach
from sessions.crisis.rosters import roster_of, stored_shifts
from sessions.crisis.schemas import DutyRosterRequest
from sessions.crisis.shifts import Roster, overlaps
from sessions.groups.api import router as groups_router
from sessions.groups.jobs import group_meetings_job
from sessions.groups.options import GroupsOptions
from sessions.recovery.api import router as recovery_router
from sessions.recovery.options import RecoveryOptions
from sessions.supervision.api import router as supervision_router
from sessions.supervision.options import SupervisionOptions
from shared.clock import Clock, clock_from
from shared.contracts.registry import describe_validation_error
from shared.runtime import ServiceRuntime
from shared.web import build_app


@dataclass(frozen=True)
class Features:
    """Each feature's options, read from the settings."""

    calendar: CalendarOptions
    crisis: CrisisOptions
    groups: GroupsOptions
    recovery: RecoveryOptions
    supervision: SupervisionOptions


def network_on_call(settings: SessionsSettings) -> tuple[Roster | None, str | None]:
    """The network on-call from SESSIONS_FALLBACK_DUTY_CHAIN (a chain at all hours, or a roster
    with shifts), or why it is not a valid roster (the service then refuses to start)."""
    value = settings.fallback_duty_chain
    if not value:
        return None, None
    body = value if isinstance(value, dict) else {"chain": value}
    try:
        request = DutyRosterRequest.model_validate(body, strict=False)
    except ValidationError as error:
        reason = describe_validation_error(error)
        return None, f"sessions: SESSIONS_FALLBACK_DUTY_CHAIN is not a roster: {reason}"
    roster = roster_of(request.time_zone or settings.branch_timezone, stored_shifts(request))
    clashes = overlaps(roster.shifts)
    if clashes:
        return None, f"sessions: SESSIONS_FALLBACK_DUTY_CHAIN: {'; '.join(clashes)}"
    return roster, None


def feature_options(settings: SessionsSettings, clock: Clock) -> Features:
    """The values each feature needs from the settings (and the clock they all tell time by)."""
    on_call, on_call_problem = network_on_call(settings)
    return Features(
        calendar=CalendarOptions(
            clock=clock,
            branch_timezone=settings.branch_timezone,
            introduction_after_hours=settings.introduction_after_hours,
            introduction_hour=settings.introduction_hour,
            missed_after_minutes=settings.missed_after_minutes,
            missed_check_interval_s=settings.missed_check_interval_s,
        ),
        crisis=CrisisOptions(
            clock=clock,
            ack_deadline_s=settings.crisis_ack_deadline_s,
            ack_deadline_by_severity=dict(settings.crisis_ack_deadline_by_severity),
            network_on_call=on_call,
            setting_problem=on_call_problem,
            branch_timezone=settings.branch_timezone,
            branches=list(settings.branches),
            check_interval_s=settings.crisis_check_interval_s,
        ),
        groups=GroupsOptions(
            clock=clock,
            branch_timezone=settings.branch_timezone,
            horizon_days=settings.group_horizon_days,
            check_interval_s=settings.group_check_interval_s,
        ),
        recovery=RecoveryOptions(clock=clock),
        supervision=SupervisionOptions(clock=clock),
    )


def create_app(settings: SessionsSettings, clock: Clock | None = None) -> FastAPI:
    """The sessions app: consumes matches, mentors and stays; schedules introductions, runs
    peer-led groups, records sessions, and escalates crisis flags along each branch's duty
    chain."""
    features = feature_options(settings, clock or clock_from(settings.clock_offset_file))
    runtime = ServiceRuntime(
        "sessions",
        settings,
        env_prefix="SESSIONS_",
        migrations_package="sessions",
        consumer_specs=consumer_specs(features.calendar, features.groups),
    )
    reach = CrisisReach(runtime, features.crisis)
    runtime.listeners += [
        reach,  # first: the service refuses to start while a branch has nobody to alert
        escalation_job(runtime, features.crisis, reach),
        missed_sessions_job(runtime, features.calendar),
        group_meetings_job(runtime, features.groups),
    ]
    return build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi sessions",
        description="1:1 sessions, peer-led groups, recovery goals and crisis escalation.",
        routers=[
            calendar_router,
            crisis_router,
            groups_router,
            recovery_router,
            supervision_router,
        ],
        options=[
            features.calendar,
            features.crisis,
            features.groups,
            features.recovery,
            features.supervision,
            reach,
        ],
    )
