"""Matching composition root."""

from fastapi import FastAPI

from matching.api import build_router
from matching.config import MatchingSettings, policy_from
from matching.consumers import consumer_specs
from matching.lapse_watch import LapseWatch
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
    runtime.listeners.append(
        LapseWatch(runtime, policy_from(settings), settings.lapse_check_interval_s)
    )
    return build_app(
        runtime,
        title="Saathi matching",
        description="The shared mentor pool, matches and the waitlist.",
        routers=[build_router(runtime, settings)],
    )
