"""Sessions consumers, assembled from the features: matching's match events (calendar), mentor
events and aftercare's enrolments and alumni (groups), notify's alert acknowledgements
(crisis), and intake's episodes, consent, erasures
and patient merges (group places settled, rows erased or re-keyed across features)."""

from collections.abc import Sequence
from functools import partial

from sessions import erasure
from sessions.calendar import consumers as calendar
from sessions.calendar.models import PeerSession
from sessions.calendar.options import CalendarOptions
from sessions.crisis import consumers as crisis
from sessions.crisis.models import Crisis
from sessions.groups import consumers as groups
from sessions.groups import places
from sessions.groups.models import (
    AftercarePlace,
    AlumnusProjection,
    GroupAttendance,
    GroupEnrolment,
)
from sessions.groups.options import GroupsOptions
from sessions.projections.models import (
    ConsentProjection,
    EpisodeProjection,
    MatchProjection,
    PatientMerge,
)
from sessions.recovery.models import Goal, QuestionnaireResponse
from shared.consumer import ConsumerSpec
from shared.intake_projection import intake_handlers
from shared.streams import stream_for

# Every table here keyed or filtered by patient_ref: a merge moves them to the survivor.
PATIENT_TABLES = (
    PeerSession,
    MatchProjection,
    Crisis,
    Goal,
    QuestionnaireResponse,
    GroupEnrolment,
    GroupAttendance,
    AftercarePlace,
    AlumnusProjection,
)


def consumer_specs(
    calendar_options: CalendarOptions, groups_options: GroupsOptions
) -> Sequence[ConsumerSpec]:
    """Durable consumers over matching's match events, matching's mentor events, aftercare's
    enrolments and alumni, and intake's events (admissions and discharges end or open group
    places; merges re-key rows)."""
    intake = intake_handlers(
        EpisodeProjection,
        ConsentProjection,
        lambda: partial(places.settle, clock=groups_options.clock),
        PATIENT_TABLES,
        erase=erasure.on_patient_erased,
        merges=PatientMerge,
    )
    return [
        *calendar.consumer_specs(calendar_options),
        *groups.consumer_specs(groups_options),
        *crisis.consumer_specs(),
        ConsumerSpec(
            name="sessions-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake,
        ),
    ]
