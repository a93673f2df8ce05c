"""The record of what ops did with dead letters."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class DeadLetterAction(SQLModel, table=True):
    """One replay or discard: who (the token's subject), which letter, why and when."""

    __tablename__ = "dead_letter_actions"

    action_id: str = Field(primary_key=True, max_length=40)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=16)  # replay | discard
    sequence: int = Field(index=True)  # in the dead-letter stream
    consumer: str = Field(max_length=200)
    subject: str = Field(max_length=200)  # the event's original subject
    reason: str = Field(max_length=500)
    at: datetime = Field(index=True)


TABLES = ("dead_letter_actions",)
