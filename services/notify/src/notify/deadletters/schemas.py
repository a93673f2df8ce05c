"""HTTP models of dead letters and of what ops did with them."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Action = Literal["replay", "discard"]


class DeadLetterView(BaseModel):
    """A stored dead letter, without its payload (it may hold patient data)."""

    sequence: int = Field(description="its sequence in the dead-letter stream")
    consumer: str = Field(description="the durable consumer that gave up on it")
    subject: str = Field(description="the subject it was first published on")
    reason: str = Field(description="why the consumer gave up")
    deliveries: int
    stored_at: datetime


class ActionRequest(BaseModel):
    """Why ops replay or discard a letter (kept in the record of actions)."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = Field(examples=["matching fixed in 1.4.2: replaying"])


class ActionView(BaseModel):
    """What someone did with a dead letter, and why."""

    model_config = ConfigDict(from_attributes=True)

    action_id: str
    actor: str = Field(description="the subject of the token that acted")
    action: Action
    sequence: int
    consumer: str
    subject: str
    reason: str
    at: datetime
