"""Which events groups consume: matching's mentor changes (meetings restaffed), and aftercare's
enrolments and alumni (outpatient rosters, who alumni groups are for)."""

from functools import partial

from sessions.groups import handlers, outpatient
from sessions.groups.options import GroupsOptions
from shared.consumer import ConsumerSpec
from shared.contracts.aftercare import (
    AftercareEnrolled,
    AftercareEnrolmentCancelled,
    AftercareWaitlisted,
    AlumnusJoined,
)
from shared.contracts.matching import MentorChanged
from shared.streams import stream_for


def consumer_specs(options: GroupsOptions) -> list[ConsumerSpec]:
    """Durable consumers over matching's mentor events and aftercare's enrolments and alumni."""
    return [
        ConsumerSpec(
            name="sessions-mentor-events",
            stream=stream_for(MentorChanged.SUBJECT),
            filter_subject="matching.mentor.>",
            handlers={MentorChanged.SUBJECT: partial(handlers.on_mentor_changed, options=options)},
        ),
        ConsumerSpec(
            name="sessions-aftercare-enrolments",
            stream=stream_for("aftercare.>"),
            filter_subject="aftercare.enrolment.>",
            handlers={
                cls.SUBJECT: partial(outpatient.on_enrolment, clock=options.clock)
                for cls in (AftercareEnrolled, AftercareWaitlisted, AftercareEnrolmentCancelled)
            },
        ),
        ConsumerSpec(
            name="sessions-alumni",
            stream=stream_for(AlumnusJoined.SUBJECT),
            filter_subject="aftercare.alumni.>",
            handlers={AlumnusJoined.SUBJECT: outpatient.on_alumnus},
        ),
    ]
