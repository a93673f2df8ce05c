"""Ack links: GET shows a confirmation page (mail scanners fetch links, so GET never
acknowledges); POST acknowledges once. The link is the credential: no bearer token."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from notify.acks.options import AckOptions
from notify.acks.page import page
from notify.alerts import handlers
from notify.alerts.domain import SETTLED, Gone
from notify.alerts.models import Notification
from notify.channels.links import BadLink
from shared.depends import Runtime, options
from shared.web import ERROR_RESPONSES

Options = Annotated[AckOptions, options(AckOptions)]
Token = Annotated[str, Path(min_length=10, max_length=1000, pattern=r"^[A-Za-z0-9._~=-]+$")]
Via = Annotated[Literal["email", "sms"], Query(description="the channel the link came by")]

HTML: dict[str, dict[str, str]] = {"text/html": {}}
router = APIRouter(
    tags=["ack links"],
    responses={
        400: {"description": "the link is not valid (tampered or malformed)", "content": HTML},
        404: {"description": "the link names no alert of its addressee", "content": HTML},
        410: {"description": "expired, used already, or the alert was settled", "content": HTML},
        422: ERROR_RESPONSES[422],
    },
)


class LinkProblem(Exception):
    """Why a link does not acknowledge anything (shown to the person)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _named(opts: AckOptions, token: str) -> tuple[str, str]:
    if opts.verifier is None:
        raise LinkProblem(404, "acknowledgement links are not enabled here")
    try:
        return opts.verifier.verify(token, opts.clock.now())
    except BadLink as error:
        if error.reason == "expired":
            raise LinkProblem(410, "this link has expired; acknowledge in the console") from None
        raise LinkProblem(400, "this link is not valid") from None


async def _notification(runtime: Runtime, opts: AckOptions, token: str) -> Notification:
    notification_id, person_id = _named(opts, token)
    async with runtime.sessionmaker() as session:
        row = await session.get(Notification, notification_id)
    if row is None or row.person_id != person_id:
        raise LinkProblem(404, "this link does not name an alert")
    if row.state in SETTLED:
        raise LinkProblem(410, f"this alert was {row.state} already")
    return row


@router.get("/ack/{token}", response_class=HTMLResponse, summary="Confirm acknowledging an alert")
async def confirm(
    token: Token, runtime: Runtime, opts: Options, via: Via = "email"
) -> HTMLResponse:
    try:
        row = await _notification(runtime, opts, token)
    except LinkProblem as problem:
        return page("Not acknowledged", problem.reason, problem.status)
    return page(row.title, "Acknowledge to take this alert on.", 200, f"/ack/{token}?via={via}")


@router.post("/ack/{token}", response_class=HTMLResponse, summary="Acknowledge an alert (once)")
async def acknowledge(
    token: Token, runtime: Runtime, opts: Options, via: Via = "email"
) -> HTMLResponse:
    try:
        notification_id = (await _notification(runtime, opts, token)).notification_id
        async with runtime.unit_of_work() as session:
            row = await session.get(Notification, notification_id)
            assert row is not None
            await handlers.acknowledge(session, row, via, opts.clock.now())
    except LinkProblem as problem:
        return page("Not acknowledged", problem.reason, problem.status)
    except Gone as gone:
        return page("Not acknowledged", gone.reason, 410)
    return page("Acknowledged", "Thank you: you have taken this alert on.", 200)
