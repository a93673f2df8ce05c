"""Matching composition root."""

from functools import partial

from fastapi import FastAPI

from matching import review
from matching.api import build_router
from matching.config import MatchingSettings, policy_from
from matching.consumers import consumer_specs
from matching.handlers import (
    end_finished_continuations,
    fill_waitlist,
    release_ineligible_mentors,
)
from matching.leave import apply_leave_calendar
from matching.models import AuditRecord
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: MatchingSettings) -> FastAPI:
    """The matching app: one mentor pool for every branch; consumes intake, produces matches."""
    runtime = ServiceRuntime(
        "matching",
        settings,
        env_prefix="MATCHING_",
        migrations_package="matching",
        consumer_specs=consumer_specs(settings),
    )
    policy = policy_from(settings)
    runtime.listeners += [
        PeriodicJob(
            "lapse-watch",
            runtime,
            partial(release_ineligible_mentors, policy=policy),
            settings.lapse_check_interval_s,
            "mentors no longer eligible stepped back",
        ),
        PeriodicJob(
            "leave-calendar",
            runtime,
            partial(apply_leave_calendar, policy=policy),
            settings.leave_check_interval_s,
            "mentors whose dated leave started or ended",
        ),
        PeriodicJob(
            "waitlist-reoptimise",
            runtime,
            partial(fill_waitlist, correlation_id=None, policy=policy),
            settings.reoptimise_interval_s,
            "waiting patients matched by the scheduled re-optimisation",
        ),
        PeriodicJob(
            "aftercare-continuations",
            runtime,
            partial(end_finished_continuations, policy=policy),
            settings.continuation_check_interval_s,
            "matches ended at the end of their aftercare continuation",
        ),
        PeriodicJob(
            "review-deadlines",
            runtime,
            partial(review.escalate_overdue, policy=policy),
            settings.review_check_interval_s,
            "proposals past their review deadline escalated",
        ),
    ]
    return build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi matching",
        description="The shared mentor pool, matches and the waitlist.",
        routers=[build_router(runtime, settings)],
    )
