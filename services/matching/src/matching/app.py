"""Matching composition root: settings read once, turned into each feature's options, and the
routers, consumers and periodic jobs wired to them."""

from datetime import timedelta
from functools import partial

from fastapi import FastAPI

from matching.audit import AuditRecord
from matching.config import MatchingSettings
from matching.consumers import consumer_specs
from matching.matches import api as matches_api
from matching.matches.continuation import end_finished_continuations
from matching.matches.domain import Policy, Weights
from matching.matches.handlers import release_ineligible_mentors
from matching.patients import api as patients_api
from matching.pool import api as pool_api
from matching.pool.domain import PoolOptions
from matching.pool.leave import apply_leave_calendar
from matching.pool.ratio import watch_supervisors
from matching.pool.supervision import announce_lapsing
from matching.review import api as review_api
from matching.review.handlers import escalate_overdue
from matching.waitlist import api as waitlist_api
from matching.waitlist.handlers import fill_waitlist
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime
from shared.web import build_app


def policy_from(settings: MatchingSettings) -> Policy:
    """The matching policy these settings describe (unknown criteria are refused)."""
    return Policy(
        weights=Weights(**settings.score_weights),
        branch_weights={
            branch: Weights(**{**settings.score_weights, **weights})
            for branch, weights in settings.branch_score_weights.items()
        },
        crisis_certification=settings.crisis_certification,
        same_ward_window_days=settings.same_ward_window_days,
        review_branches=frozenset(settings.review_branches),
        review_deadline=timedelta(seconds=settings.review_deadline_s),
        fairness=settings.fairness_weight,
        continue_into_aftercare=settings.continue_into_aftercare,
        branch_continue_into_aftercare=settings.branch_continue_into_aftercare,
        aftercare_continuation=timedelta(days=settings.aftercare_continuation_days),
        ending_dispositions=frozenset(d.lower() for d in settings.ending_dispositions),
    )


def pool_options_from(settings: MatchingSettings) -> PoolOptions:
    """What the pool needs of these settings: certifications and supervision."""
    return PoolOptions(
        core_certifications=tuple(settings.core_certifications),
        crisis_certification=settings.crisis_certification,
        certification_notice_days=settings.certification_notice_days,
        max_mentors_per_supervisor=settings.max_mentors_per_supervisor,
    )


def _pool_jobs(runtime: ServiceRuntime, settings: MatchingSettings) -> list[PeriodicJob]:
    """Certifications entering the notice window, supervisors over the ratio."""
    return [
        PeriodicJob(
            "certification-notices",
            runtime,
            partial(announce_lapsing, notice_days=settings.certification_notice_days),
            settings.certification_check_interval_s,
            "certifications entering the notice window announced",
        ),
        PeriodicJob(
            "supervision-ratio",
            runtime,
            partial(watch_supervisors, ratio=settings.max_mentors_per_supervisor),
            settings.supervision_check_interval_s,
            "supervisors over the supervision ratio announced",
        ),
    ]


def _periodic_jobs(
    runtime: ServiceRuntime, settings: MatchingSettings, policy: Policy
) -> list[PeriodicJob]:
    """Lapses, the leave calendar, waitlist re-optimisation, continuations and review deadlines."""
    return [
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
            partial(escalate_overdue, policy=policy),
            settings.review_check_interval_s,
            "proposals past their review deadline escalated",
        ),
    ]


def create_app(settings: MatchingSettings) -> FastAPI:
    """The matching app: one mentor pool for every branch; consumes intake, produces matches."""
    policy, pool = policy_from(settings), pool_options_from(settings)
    runtime = ServiceRuntime(
        "matching",
        settings,
        env_prefix="MATCHING_",
        migrations_package="matching",
        consumer_specs=consumer_specs(policy, pool),
    )
    runtime.listeners += _periodic_jobs(runtime, settings, policy) + _pool_jobs(runtime, settings)
    return build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi matching",
        description="The shared mentor pool, matches and the waitlist.",
        routers=[
            pool_api.router,
            matches_api.router,
            patients_api.router,
            review_api.router,
            waitlist_api.router,
        ],
        options=[policy, pool],
    )
