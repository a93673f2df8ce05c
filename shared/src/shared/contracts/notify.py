"""Events produced by notify: what a person did with an alert delivered to them."""

from datetime import datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Event


class AlertAcknowledgement(AggregateState):
    """A person acknowledged an alert from a channel notify delivered it on (the console or the
    signed link in an e-mail or a text); `version` is the notification's. Only pseudonymous ids:
    no patient data."""

    notification_id: str
    kind: Literal["crisis"]
    subject_id: str  # what the alert is about: the crisis_id for a crisis
    person_id: str  # who acknowledged: the person the notification was addressed to
    channel: Literal["console", "email", "sms"]
    acknowledged_at: datetime


class AlertAcknowledged(Event):
    """A person took on an alert delivered to them; for a crisis, sessions records the
    acknowledgement as theirs and escalation stops."""

    SOURCE: ClassVar[str] = "notify"
    SUBJECT: ClassVar[str] = "notify.alert.acknowledged.v1"
    type: Literal["notify.alert.acknowledged"] = "notify.alert.acknowledged"
    schema_version: Literal[1] = 1
    data: AlertAcknowledgement
