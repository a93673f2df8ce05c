"""Role by endpoint, generated from every service's OpenAPI: each of the seven roles calls each
operation; a role the hospital's policy does not allow gets 403 before anything is read, and an
allowed role is let through (it then meets the usual 404 or 422)."""

from typing import Any

import pytest
from fastapi import FastAPI

from aftercare.app import create_app as create_aftercare
from aftercare.config import AftercareSettings
from helpers.apps import FAST, running
from helpers.auth import bearer
from helpers.authorisation_policy import POLICY, ROLES
from helpers.backends import Databases
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from matching.app import create_app as create_matching
from matching.config import MatchingSettings
from notify.app import create_app as create_notify
from notify.config import NotifySettings
from sessions.app import create_app as create_sessions
from sessions.config import SessionsSettings

OPEN = {"/healthz", "/readyz", "/metrics"}
# A live feed (server-sent events) asked for what it has now, not to follow forever.
ONCE = {"live": "false"}
SERVICES: dict[str, tuple[Any, Any]] = {
    "intake": (create_intake, IntakeSettings),
    "matching": (create_matching, MatchingSettings),
    "sessions": (create_sessions, SessionsSettings),
    "aftercare": (create_aftercare, AftercareSettings),
    "notify": (create_notify, NotifySettings),
}


def operations(app: FastAPI) -> list[str]:
    """Every operation in the app's OpenAPI as 'METHOD /path', health and metrics aside."""
    return [
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        if path not in OPEN
        for method in item
    ]


@pytest.mark.parametrize("name", list(SERVICES))
def test_the_policy_classifies_every_operation_and_nothing_else(name: str):
    create_app, settings_cls = SERVICES[name]
    found = set(operations(create_app(settings_cls(**FAST))))
    assert found == set(POLICY[name]), (
        f"unclassified: {sorted(found - set(POLICY[name]))}; "
        f"gone: {sorted(set(POLICY[name]) - found)}"
    )


@pytest.mark.parametrize("name", list(SERVICES))
async def test_each_role_is_allowed_or_refused_on_each_operation(
    name: str, clean_nats: str, dbs: Databases
):
    create_app, settings_cls = SERVICES[name]
    settings = settings_cls(database_url=await dbs.url(name), nats_url=clean_nats, **FAST)
    wrong: list[str] = []
    async with running(create_app, settings) as service:
        tokens = {role: bearer(role, "kol-a", f"{role}-1") for role in ROLES}
        for operation in operations(service.app):
            method, path = operation.split(" ", 1)
            concrete = path.replace("{", "zz").replace("}", "")
            for role in ROLES:
                response = await service.client.request(
                    method,
                    concrete,
                    json={},
                    headers=tokens[role],
                    params=ONCE if path.endswith("/stream") else None,
                )
                allowed = role in POLICY[name][operation]
                refused = response.status_code == 403
                if allowed == refused or response.status_code == 401:
                    wrong.append(f"{operation} as {role}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
