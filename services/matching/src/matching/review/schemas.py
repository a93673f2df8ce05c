"""HTTP bodies of a match review: a coordinator's approval or rejection, a supervisor's sign-off."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import RecordId


class ReviewRequest(BaseModel):
    """A coordinator's review or a supervisor's sign-off of a proposed match (who and in which
    role come from the caller's token, never from a request body)."""

    reviewer_id: RecordId = Field(description="who reviews (a supervisor must be the mentor's)")
    role: Literal["coordinator", "supervisor"]


class RejectReason(BaseModel):
    """The body of a rejection: why (the reviewer is the caller)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reason: str = Field(min_length=1, max_length=200)


class RejectRequest(ReviewRequest):
    """A rejection, with the reason the coordinator or supervisor gives."""

    reason: str = Field(min_length=1, max_length=200)
