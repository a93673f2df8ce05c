"""HL7 table: the log of every message answered, so a resend gets the same ACK."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow

TABLES = ("intake_hl7_message",)


class Hl7Message(SQLModel, table=True):
    """Every HL7 message answered, by sender and MSH-10, with the ACK sent: a resend gets the
    same answer and no second effect. No message content is kept, only its digest."""

    __tablename__ = "intake_hl7_message"

    sender: str = Field(primary_key=True, max_length=200)
    control_id: str = Field(primary_key=True, max_length=200)
    message_type: str = Field(max_length=16)
    ack_code: str = Field(max_length=2)
    ack: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of the ACKs sent
    digest: str = Field(max_length=64)
    received_at: datetime = Field(default_factory=utcnow)
