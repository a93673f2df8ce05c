"""Own against other, generated from a service's OpenAPI: for every operation on a record, a
caller at another branch (or another mentor or supervisor) gets the 404 a missing record gets
and changes nothing, while the caller the record belongs to is let through to the use case
(whose own rules may still refuse, e.g. someone not on the duty chain); no list shows another
branch's patient."""

from dataclasses import dataclass, field
from typing import Any

from helpers.apps import RunningService
from helpers.auth import bearer
from helpers.authorisation_policy import POLICY

BRANCH_ROLES = ("coordinator", "clinician", "ehr_feed")
OTHER_BRANCH = "kol-elsewhere"


@dataclass
class World:
    """Records seeded at one branch, for one mentor and supervisor, and how to call on them."""

    branch: str
    patient_ref: str
    ids: dict[str, str]
    bodies: dict[str, Any] = field(default_factory=dict)
    shared: set[str] = field(default_factory=set)  # reached from every branch (the pool)
    # What any mentor or supervisor reaches ("<operation>", or "<operation> as supervisor").
    open_to_people: set[str] = field(default_factory=set)
    unchecked: dict[str, str] = field(default_factory=dict)  # operation → why not here
    lists_showing: set[str] = field(default_factory=set)  # lists the own branch sees it in
    mentor_id: str | None = None
    supervisor_id: str | None = None


def _operations(service: RunningService) -> list[tuple[str, str, bool]]:
    found = []
    for path, item in service.app.openapi()["paths"].items():
        for method, operation in item.items():
            found.append((method.upper(), path, "requestBody" in operation))
    return found


def _concrete(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def _body(body: Any, caller: str) -> Any:
    """A body as `caller` sends it (a function of who calls, where it names the caller)."""
    return body(caller) if callable(body) else body


def _first_branch_role(allowed: set[str]) -> str | None:
    return next((role for role in BRANCH_ROLES if role in allowed), None)


async def check_reach(service: RunningService, name: str, world: World) -> list[str]:
    """Every way the world's records are reached wrongly or not reached rightly, as lines."""
    policy = POLICY[name]
    wrong: list[str] = []
    client = service.client
    for method, path, has_body in _operations(service):
        operation = f"{method} {path}"
        if operation not in policy or operation in world.unchecked:
            continue
        allowed = policy[operation]
        body = world.bodies.get(operation, {} if not has_body else None)
        if "{" not in path:
            wrong += await _check_list(client, operation, allowed, world)
            continue
        if body is None:
            wrong.append(f"{operation}: give a valid body or say why it is unchecked")
            continue
        url = _concrete(path, world.ids)
        # (caller elsewhere, the record's own caller, whether elsewhere reaches it too)
        callers: list[tuple[str, str | None, str, str | None, str, bool]] = []
        role = _first_branch_role(allowed)
        if role is not None:
            shared = operation in world.shared
            callers.append(
                (role, OTHER_BRANCH, f"{role}-other", world.branch, f"{role}-own", shared)
            )
        for person, own_id in (("mentor", world.mentor_id), ("supervisor", world.supervisor_id)):
            if person in allowed and own_id is not None:
                shared = bool({operation, f"{operation} as {person}"} & world.open_to_people)
                callers.append((person, None, f"{person}-other", None, own_id, shared))
        for role, elsewhere, stranger, home, owner, shared in callers:
            foreign = await client.request(
                method, url, json=_body(body, stranger), headers=bearer(role, elsewhere, stranger)
            )
            if (foreign.status_code == 404) == shared:
                wrong.append(f"{operation} by {stranger}: {foreign.status_code} {foreign.text}")
            mine = await client.request(
                method, url, json=_body(body, owner), headers=bearer(role, home, owner)
            )
            if mine.status_code in (401, 404, 422) or "role may not" in mine.text:
                wrong.append(f"{operation} by {owner}: {mine.status_code} {mine.text[:200]}")
    return wrong + await _check_trail(client, world)


async def _check_trail(client: Any, world: World) -> list[str]:
    """The patient's audit trail shows the reads, the writes and the refusals above."""
    response = await client.get(
        "/audit",
        params={"patient_ref": world.patient_ref, "limit": 5000},
        headers=bearer("privacy_officer"),
    )
    kinds = {(row["action"], row["outcome"]) for row in response.json()}
    missing = {("read", "ok"), ("write", "ok"), ("refused", "404")} - kinds
    return [f"the audit trail lacks {sorted(missing)}"] if missing else []


async def _check_list(client: Any, operation: str, allowed: set[str], world: World) -> list[str]:
    method, path = operation.split(" ", 1)
    role = _first_branch_role(allowed)
    if method != "GET" or role is None:
        return []
    foreign = await client.get(path, headers=bearer(role, OTHER_BRANCH))
    wrong = []
    if world.patient_ref in foreign.text:
        wrong.append(f"{operation} shows another branch's patient")
    if operation in world.lists_showing:
        mine = await client.get(path, headers=bearer(role, world.branch))
        if world.patient_ref not in mine.text:
            wrong.append(f"{operation} hides the branch's own patient: {mine.text[:200]}")
    return wrong
