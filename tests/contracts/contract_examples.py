"""Realistic, pseudonymous aggregate states for contract tests (no PHI, fixed values)."""

from collections.abc import Callable
from datetime import UTC, datetime

from shared.contracts.aftercare import (
    AlumnusState,
    CandidacyState,
    CertificationRecord,
    EnrolmentState,
    FirstAttendanceState,
    FollowUpState,
    PeerCandidateState,
    ReadmissionState,
)
from shared.contracts.envelope import Contract, Event
from shared.contracts.intake import (
    ConsentState,
    EpisodeState,
    MentorLinkState,
    PatientErasureState,
    PatientMergeState,
    StayConsentState,
)
from shared.contracts.matching import (
    CertificationLapsingState,
    MatchContinuationState,
    MatchProposalState,
    MatchState,
    MentorState,
    SupervisionRatioState,
    WaitlistState,
)
from shared.contracts.notify import AlertAcknowledgement
from shared.contracts.sessions import (
    CrisisState,
    GoalState,
    GroupEnrolmentState,
    GroupMeetingState,
    GroupState,
    MissedSessionState,
    SessionState,
    WellbeingSupportState,
)

BRANCH = "kol-salt-lake"
ADMITTED_AT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
PATIENT_REF = "pt_3f9a1c0b7e2d4a6f8b10"
EPISODE_ID = "ep_8c21d4e0f7a93b5c6d12"
MATCH_ID = "mt_5b7e2a9c1d0f4e8a3c66"
MENTOR_ID = "mn_0a4f6c2e9b1d7e3f5a21"


def episode_state() -> EpisodeState:
    return EpisodeState(
        version=1,
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        ward="ward-b",
        language="bn",
        status="admitted",
        admitted_at=ADMITTED_AT,
    )


def consent_state() -> ConsentState:
    return ConsentState(
        version=1,
        patient_ref=PATIENT_REF,
        status="given",
        text_version="v1",
        text_language="bn",
        recorded_at=datetime(2026, 3, 14, 10, 5, tzinfo=UTC),
    )


def stay_consent_state() -> StayConsentState:
    """A readmission's consent, carried over from the stay before it."""
    return StayConsentState(
        version=1,
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        status="given",
        text_version="v1",
        text_language="bn",
        recorded_at=datetime(2026, 3, 14, 10, 5, tzinfo=UTC),
        carried_over_from="ep_1a2b3c4d5e6f7a8b9c0d",
    )


def erasure_state() -> PatientErasureState:
    """A patient erased at their request."""
    return PatientErasureState(
        version=1, patient_ref="pt_0007", erased_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    )


def mentor_link_state() -> MentorLinkState:
    """A mentor linked by a coordinator to their own patient record."""
    return MentorLinkState(
        version=1,
        mentor_id=MENTOR_ID,
        patient_ref=PATIENT_REF,
        status="linked",
        changed_at=datetime(2026, 12, 4, 11, 0, tzinfo=UTC),
    )


def merge_state() -> PatientMergeState:
    return PatientMergeState(
        version=1,
        source_patient_ref="pt_6e0b2d4f8a1c3e5b7d90",
        target_patient_ref=PATIENT_REF,
        merged_at=datetime(2026, 3, 16, 8, 0, tzinfo=UTC),
    )


def match_state() -> MatchState:
    return MatchState(
        version=1,
        match_id=MATCH_ID,
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        mentor_id=MENTOR_ID,
        branch=BRANCH,
        status="active",
        matched_at=datetime(2026, 3, 14, 10, 6, tzinfo=UTC),
    )


def continuation_state() -> MatchContinuationState:
    return MatchContinuationState(
        **match_state().model_dump(exclude={"version"}),
        version=2,
        continues_until=datetime(2026, 6, 12, 9, 0, tzinfo=UTC),
    )


def proposal_state() -> MatchProposalState:
    return MatchProposalState(
        version=1,
        match_id=MATCH_ID,
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        mentor_id=MENTOR_ID,
        branch=BRANCH,
        status="proposed",
        awaiting=["coordinator", "supervisor"],
        supervisor_id="sup_1c3e5a7b9d",
        proposed_at=datetime(2026, 3, 14, 10, 6, tzinfo=UTC),
        review_due_at=datetime(2026, 3, 14, 14, 6, tzinfo=UTC),
    )


def waitlist_state() -> WaitlistState:
    return WaitlistState(
        version=1,
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        language="bn",
        status="waiting",
        since=datetime(2026, 3, 14, 10, 6, tzinfo=UTC),
    )


def session_state() -> SessionState:
    return SessionState(
        version=1,
        session_id="ss_7d3e9f1a2b4c6e8a0b33",
        match_id=MATCH_ID,
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        mentor_id=MENTOR_ID,
        kind="introduction",
        status="scheduled",
        scheduled_for=datetime(2026, 3, 15, 11, 0, tzinfo=UTC),
    )


def missed_session_state() -> MissedSessionState:
    return MissedSessionState(
        **session_state().model_dump(exclude={"status", "version"}), status="missed", version=2
    )


def goal_state() -> GoalState:
    return GoalState(
        version=1,
        goal_id="gl_1b3d5f7a9c2e4a6b8d00",
        match_id=MATCH_ID,
        patient_ref=PATIENT_REF,
        mentor_id=MENTOR_ID,
        status="active",
        progress=0,
        target_date=datetime(2026, 4, 30, tzinfo=UTC).date(),
        set_at=datetime(2026, 3, 16, 11, 0, tzinfo=UTC),
    )


def crisis_state() -> CrisisState:
    return CrisisState(
        version=1,
        crisis_id="cr_6a2c4e8f0b1d3f5a7c22",
        branch=BRANCH,
        patient_ref=PATIENT_REF,
        mentor_id=MENTOR_ID,
        match_id=MATCH_ID,
        severity="high",
        status="open",
        level=0,
        notified_person_id="dr_3e5a7c9b1d",
        notified_role="clinician",
        deadline_at=datetime(2026, 3, 15, 11, 45, tzinfo=UTC),
        flagged_at=datetime(2026, 3, 15, 11, 30, tzinfo=UTC),
    )


def enrolment_state() -> EnrolmentState:
    return EnrolmentState(
        version=1,
        enrolment_id="en_2c8f4a6e0d1b3f5a7c44",
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        group_id="gr_9e1c3a5f7b2d4e6a",
        status="enrolled",
        updated_at=datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
    )


def peer_candidate_state() -> PeerCandidateState:
    return PeerCandidateState(
        version=1,
        nomination_id="nm_4d2a6c8e0f1b3a5c7e99",
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        languages=["bn", "en"],
        lived_experience=["depression"],
        certifications=[
            CertificationRecord(
                kind="active_listening",
                issued_on=datetime(2026, 9, 1, tzinfo=UTC).date(),
                expires_on=datetime(2027, 9, 1, tzinfo=UTC).date(),
            )
        ],
        status="nominated",
        nominated_at=datetime(2026, 9, 2, 10, 0, tzinfo=UTC),
    )


def mentor_state() -> MentorState:
    return MentorState(
        version=3,
        mentor_id=MENTOR_ID,
        status="active",
        languages=["bn", "en"],
        branches=[BRANCH, "kol-behala"],
        remote_ok=False,
        certified_until=datetime(2027, 6, 30, tzinfo=UTC).date(),
        crisis_certified_until=datetime(2027, 6, 30, tzinfo=UTC).date(),
        supervisor_id="sup_7c1e3a5b9d",
        updated_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )


GROUP_ID = "gr_9e1c3a5f7b2d4e6a"


def group_state() -> GroupState:
    return GroupState(
        version=2,
        group_id=GROUP_ID,
        title="Wednesday mood circle",
        branch=BRANCH,
        setting="inpatient",
        focus="depression",
        language="bn",
        capacity=10,
        weekday=2,
        start_time="16:00",
        minutes=60,
        starts_on=datetime(2026, 3, 4, tzinfo=UTC).date(),
        ends_on=None,
        facilitator_ids=[MENTOR_ID],
        status="active",
    )


def group_enrolment_state() -> GroupEnrolmentState:
    return GroupEnrolmentState(
        version=1,
        group_id=GROUP_ID,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        setting="inpatient",
        status="enrolled",
        enrolled_at=datetime(2026, 3, 16, 10, 0, tzinfo=UTC),
    )


def group_meeting_state() -> GroupMeetingState:
    return GroupMeetingState(
        version=2,
        meeting_id="gm_1a3c5e7b9d2f4a6c8e00",
        group_id=GROUP_ID,
        branch=BRANCH,
        setting="inpatient",
        starts_at=datetime(2026, 3, 18, 10, 30, tzinfo=UTC),
        minutes=60,
        facilitator_ids=[MENTOR_ID],
        substitute=False,
        status="held",
        attended=[PATIENT_REF],
        absent=["pt_6e0b2d4f8a1c3e5b7d90"],
    )


def first_attendance_state() -> FirstAttendanceState:
    return FirstAttendanceState(
        version=2,
        enrolment_id="en_2c8f4a6e0d1b3f5a7c44",
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        group_id=GROUP_ID,
        meeting_id="gm_1a3c5e7b9d2f4a6c8e00",
        first_attended_at=datetime(2026, 4, 1, 12, 0, tzinfo=UTC),
    )


def follow_up_state() -> FollowUpState:
    return FollowUpState(
        version=2,
        follow_up_id="fu_6a8c0e2b4d1f3a5c7e22",
        episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        kind="day_7",
        due_by=datetime(2026, 4, 4, 12, 0, tzinfo=UTC),
        status="completed",
        completed_at=datetime(2026, 4, 2, 10, 15, tzinfo=UTC),
    )


def readmission_state() -> ReadmissionState:
    return ReadmissionState(
        version=1,
        episode_id="ep_0d2f4b6a8c1e3f5a7b99",
        previous_episode_id=EPISODE_ID,
        patient_ref=PATIENT_REF,
        branch="kol-behala",
        previous_branch=BRANCH,
        days_since_discharge=12,
        admitted_at=datetime(2026, 4, 9, 8, 0, tzinfo=UTC),
    )


def alumnus_state() -> AlumnusState:
    return AlumnusState(
        version=1,
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        completed_episode_id=EPISODE_ID,
        joined_at=datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
    )


def candidacy_state() -> CandidacyState:
    return CandidacyState(
        version=3,
        candidate_id="nm_4d2a6c8e0f1b3a5c7e99",
        patient_ref=PATIENT_REF,
        branch=BRANCH,
        source="interest",
        status="training",
        courses_completed=["active_listening", "boundaries"],
        courses_required=["active_listening", "boundaries", "crisis_response", "ethics"],
        changed_at=datetime(2027, 7, 1, 9, 0, tzinfo=UTC),
    )


def alert_acknowledgement() -> AlertAcknowledgement:
    return AlertAcknowledgement(
        notification_id="nt_4c1e7a9b2d0f",
        kind="crisis",
        subject_id="cr_6a2c4e8f0b1d3f5a7c22",
        person_id="dr_3e5a7c9b1d",
        channel="email",
        acknowledged_at=datetime(2026, 3, 15, 11, 41, tzinfo=UTC),
        version=3,
    )


def certification_lapsing_state() -> CertificationLapsingState:
    return CertificationLapsingState(
        version=1,
        mentor_id=MENTOR_ID,
        branches=[BRANCH, "kol-behala"],
        certification="crisis_response",
        expires_on=datetime(2026, 4, 13, tzinfo=UTC).date(),
        days_left=30,
    )


def supervision_ratio_state() -> SupervisionRatioState:
    return SupervisionRatioState(
        version=1,
        supervisor_id="sup_7c1e3a5b9d",
        branches=[BRANCH],
        mentors=9,
        ratio=8,
        over_since=datetime(2026, 3, 14, 10, 0, tzinfo=UTC),
    )


def wellbeing_support_state() -> WellbeingSupportState:
    return WellbeingSupportState(
        version=1,
        check_id="wb_5e7a9c1b3d2f4a6c8e11",
        mentor_id=MENTOR_ID,
        supervisor_id="sup_7c1e3a5b9d",
        branches=[BRANCH],
        requested_at=datetime(2026, 3, 20, 17, 45, tzinfo=UTC),
    )


STATE_FACTORIES: dict[type[Contract], Callable[[], Contract]] = {
    AlertAcknowledgement: alert_acknowledgement,
    EpisodeState: episode_state,
    ConsentState: consent_state,
    StayConsentState: stay_consent_state,
    PatientMergeState: merge_state,
    PatientErasureState: erasure_state,
    MentorLinkState: mentor_link_state,
    MatchState: match_state,
    MatchProposalState: proposal_state,
    MatchContinuationState: continuation_state,
    WaitlistState: waitlist_state,
    SessionState: session_state,
    CrisisState: crisis_state,
    GoalState: goal_state,
    MissedSessionState: missed_session_state,
    EnrolmentState: enrolment_state,
    PeerCandidateState: peer_candidate_state,
    MentorState: mentor_state,
    GroupState: group_state,
    GroupEnrolmentState: group_enrolment_state,
    GroupMeetingState: group_meeting_state,
    FirstAttendanceState: first_attendance_state,
    FollowUpState: follow_up_state,
    ReadmissionState: readmission_state,
    AlumnusState: alumnus_state,
    CandidacyState: candidacy_state,
    CertificationLapsingState: certification_lapsing_state,
    SupervisionRatioState: supervision_ratio_state,
    WellbeingSupportState: wellbeing_support_state,
}


def state_for(event_cls: type[Event]) -> Contract:
    """A valid state (or, for an event about no aggregate, payload) for the event's `data`."""
    return STATE_FACTORIES[event_cls.model_fields["data"].annotation]()


def example(event_cls: type[Event]) -> Event:
    """A valid event of this class with a fresh id."""
    return event_cls.new(state_for(event_cls), branch=BRANCH)  # type: ignore[arg-type]
