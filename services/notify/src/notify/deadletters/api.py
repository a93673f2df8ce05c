"""Dead-letter REST API for ops: list, replay or discard with a reason, and the history."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select
from sqlmodel import col

from notify.deadletters import handlers
from notify.deadletters.connection import NOT_CONFIGURED, OpsNats, OpsNatsUnavailable
from notify.deadletters.models import DeadLetterAction
from notify.deadletters.options import DeadLetterOptions
from notify.deadletters.schemas import Action, ActionRequest, ActionView, DeadLetterView
from shared.access import Access, allow
from shared.depends import Runtime, options
from shared.fields import Offset
from shared.web import ERROR_RESPONSES

Ops = Annotated[Access, allow("ops")]
Options = Annotated[DeadLetterOptions, options(DeadLetterOptions)]
SequencePath = Annotated[
    int, Path(ge=1, le=2**63 - 1, description="the letter's sequence in the dead-letter stream")
]

router = APIRouter(tags=["dead letters"], responses=ERROR_RESPONSES)


def _connection(opts: DeadLetterOptions) -> OpsNats:
    if opts.ops is None:
        raise OpsNatsUnavailable(NOT_CONFIGURED)
    return opts.ops


@router.get(
    "/dead-letters",
    response_model=list[DeadLetterView],
    summary="Stored dead letters, oldest first (never their payload)",
)
async def list_letters(
    opts: Options, access: Ops, limit: int = Query(100, ge=1, le=1000)
) -> list[DeadLetterView]:
    return await handlers.letters(_connection(opts), limit)


@router.get(
    "/dead-letters/actions",
    response_model=list[ActionView],
    summary="What ops did with dead letters, newest first",
)
async def list_actions(
    runtime: Runtime,
    access: Ops,
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
) -> list[DeadLetterAction]:
    query = select(DeadLetterAction).order_by(
        col(DeadLetterAction.at).desc(), col(DeadLetterAction.action_id)
    )
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.offset(offset).limit(limit)))


async def _act(
    runtime: Runtime,
    opts: DeadLetterOptions,
    access: Access,
    sequence: int,
    action: Action,
    reason: str,
) -> DeadLetterAction:
    ops = _connection(opts)
    async with opts.acting, runtime.unit_of_work() as session:
        return await handlers.act(
            session, ops, sequence, action, reason, access.subject, opts.clock.now()
        )


@router.post(
    "/dead-letters/{sequence}/replay",
    response_model=ActionView,
    summary="Publish a dead letter again on its original subject, and remove it",
)
async def replay(
    sequence: SequencePath, request: ActionRequest, runtime: Runtime, opts: Options, access: Ops
) -> DeadLetterAction:
    return await _act(runtime, opts, access, sequence, "replay", request.reason)


@router.post(
    "/dead-letters/{sequence}/discard",
    response_model=ActionView,
    summary="Remove a dead letter for good (the reason is recorded)",
)
async def discard(
    sequence: SequencePath, request: ActionRequest, runtime: Runtime, opts: Options, access: Ops
) -> DeadLetterAction:
    return await _act(runtime, opts, access, sequence, "discard", request.reason)
