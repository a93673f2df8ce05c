"""Aftercare composition root: the settings read once into each feature's options, the
consumers, the periodic jobs and the routers."""

from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from aftercare.alumni import api as alumni_api
from aftercare.alumni.options import AlumniOptions
from aftercare.audit import AuditRecord
from aftercare.config import AftercareSettings
from aftercare.consumers import consumer_specs
from aftercare.enrolment import api as enrolment_api
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.follow_up import api as follow_up_api
from aftercare.follow_up.handlers import first_attendance, follow_ups
from aftercare.follow_up.options import FollowUpOptions
from aftercare.outcomes import api as outcomes_api
from shared.clock import Clock, clock_from
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime
from shared.web import build_app


def enrolment_options(settings: AftercareSettings) -> EnrolmentOptions:
    """What enrolment needs from the settings."""
    return EnrolmentOptions(
        excluded_dispositions=frozenset(d.lower() for d in settings.no_enrolment_dispositions),
        branch_distances_km=settings.branch_distances_km,
        max_travel_km=settings.max_travel_km,
        branch_tz=ZoneInfo(settings.branch_timezone),
        readmission_window_days=settings.readmission_window_days,
        follow_up_windows_s=settings.follow_up_windows_s,
        first_attendance_grace_h=settings.first_attendance_grace_h,
    )


def follow_up_options(settings: AftercareSettings, clock: Clock) -> FollowUpOptions:
    """What follow-up needs from the settings."""
    return FollowUpOptions(
        branch_tz=ZoneInfo(settings.branch_timezone),
        completion_meetings=settings.completion_meetings,
        clock=clock,
    )


def alumni_options(settings: AftercareSettings, clock: Clock) -> AlumniOptions:
    """What the path to mentorship needs from the settings."""
    return AlumniOptions(
        mentor_min_days_since_discharge=settings.mentor_min_days_since_discharge,
        mentor_courses=tuple(settings.mentor_courses),
        clock=clock,
    )


def _periodic_jobs(runtime: ServiceRuntime, interval_s: float, clock: Clock) -> list[PeriodicJob]:
    """The follow-up windows and first-attendance outreach, swept as rows on a timer."""

    async def missed_follow_ups(session: AsyncSession) -> int:
        return await follow_ups.sweep_missed(session, clock.now())

    async def outreach(session: AsyncSession) -> int:
        return await first_attendance.sweep_outreach(session, clock.now())

    return [
        PeriodicJob(
            "follow-up-windows",
            runtime,
            missed_follow_ups,
            interval_s,
            "follow-ups whose window closed marked missed, with a task",
        ),
        PeriodicJob(
            "first-attendance",
            runtime,
            outreach,
            interval_s,
            "patients who did not come to their first meeting given an outreach task",
        ),
    ]


def create_app(settings: AftercareSettings, clock: Clock | None = None) -> FastAPI:
    """The aftercare app: enrols discharged patients in sessions' outpatient groups on its
    own, follows first attendance and the 7- and 30-day follow-ups, links readmissions, and
    keeps the tasks that keep patients from falling through the cracks."""
    clock = clock or clock_from(settings.clock_offset_file)
    enrolment = enrolment_options(settings)
    follow_up = follow_up_options(settings, clock)
    runtime = ServiceRuntime(
        "aftercare",
        settings,
        env_prefix="AFTERCARE_",
        migrations_package="aftercare",
        consumer_specs=consumer_specs(enrolment, follow_up),
    )
    runtime.listeners += _periodic_jobs(runtime, settings.check_interval_s, clock)
    return build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi aftercare",
        description="Outpatient enrolment after discharge, follow-ups, readmissions and tasks.",
        routers=[
            enrolment_api.router,
            follow_up_api.router,
            alumni_api.router,
            outcomes_api.router,
        ],
        options=[enrolment, follow_up, alumni_options(settings, clock)],
    )
