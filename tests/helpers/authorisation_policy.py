"""Who may call what, as the hospital states it: every operation of every service and the
roles allowed on it. The authorisation tests hold the services to this table, and fail when an
operation appears that the table does not classify."""

from shared.auth import ROLES as SERVICE_ROLES

ROLES = tuple(sorted(SERVICE_ROLES))

FEED = {"ehr_feed", "coordinator"}
READERS = {"ehr_feed", "coordinator", "clinician"}
PATIENT_STAFF = {"coordinator", "clinician"}
COORDINATOR = {"coordinator"}
CLINICIAN = {"clinician"}
KEEPERS = {"coordinator", "supervisor"}
POOL_READERS = {"coordinator", "supervisor", "clinician"}
ANY_STAFF = {"coordinator", "supervisor", "clinician", "mentor"}
MENTORING = {"coordinator", "mentor"}
OVERSIGHT = {"coordinator", "supervisor", "mentor"}
RESPONDERS = {"coordinator", "clinician", "supervisor"}
RAISERS = {"coordinator", "clinician", "mentor"}
EVERYONE_BUT_OPS = set(ROLES) - {"ops"}
PRIVACY_OFFICER = {"privacy_officer"}

INTAKE = {
    "GET /audit": PRIVACY_OFFICER,
    "POST /admissions": FEED,
    "POST /admissions/batch": FEED,
    "GET /episodes": READERS,
    "GET /episodes/{episode_id}": READERS,
    "POST /episodes/{episode_id}/discharge": FEED,
    "POST /episodes/{episode_id}/cancel-admission": FEED,
    "POST /episodes/{episode_id}/cancel-discharge": FEED,
    "POST /episodes/{episode_id}/transfer": FEED,
    "PUT /patients/{patient_ref}/consent": PATIENT_STAFF,
    "GET /patients/{patient_ref}/consents": PATIENT_STAFF,
    "PUT /episodes/{episode_id}/consent": PATIENT_STAFF,
    "GET /episodes/{episode_id}/consent": PATIENT_STAFF,
    "GET /consent-texts": EVERYONE_BUT_OPS,
    "GET /patients": READERS,
    "GET /patients/{patient_ref}": PATIENT_STAFF,
    "POST /patients/{patient_ref}/erasure": PRIVACY_OFFICER,
    "POST /fhir/Encounter": FEED,
    "PUT /fhir/Encounter/{encounter_id}": FEED,
    "GET /fhir/Encounter/{encounter_id}": READERS,
    "POST /fhir": FEED,
    "PUT /mentors/{mentor_id}/patient-link": COORDINATOR,
    "DELETE /mentors/{mentor_id}/patient-link": COORDINATOR,
}

MATCHING = {
    "GET /audit": PRIVACY_OFFICER,
    "POST /mentors": KEEPERS,
    "GET /mentors": POOL_READERS,
    "GET /mentors/{mentor_id}": ANY_STAFF,
    "PATCH /mentors/{mentor_id}": KEEPERS,
    "GET /certification-notices": KEEPERS,
    "GET /supervisors": KEEPERS,
    "GET /matches": ANY_STAFF,
    "POST /matches/{match_id}/decline": RAISERS,
    "PUT /patients/{patient_ref}/preferences": COORDINATOR,
    "GET /patients/{patient_ref}/preferences": PATIENT_STAFF,
    "PUT /episodes/{episode_id}/risk": CLINICIAN,
    "GET /episodes/{episode_id}/risk": PATIENT_STAFF,
    "POST /mentors/{mentor_id}/conflicts": OVERSIGHT,
    "GET /mentors/{mentor_id}/conflicts": OVERSIGHT,
    "POST /matches/{match_id}/approve": KEEPERS,
    "POST /matches/{match_id}/reject": KEEPERS,
    "GET /waitlist": PATIENT_STAFF,
}

SESSIONS = {
    "GET /audit": PRIVACY_OFFICER,
    "GET /sessions": OVERSIGHT,
    "POST /sessions": MENTORING,
    "GET /sessions/{session_id}": OVERSIGHT,
    "POST /sessions/{session_id}/complete": MENTORING,
    "POST /sessions/{session_id}/reschedule": MENTORING,
    "POST /sessions/{session_id}/cancel": MENTORING,
    "POST /sessions/{session_id}/missed": MENTORING,
    "PUT /mentors/{mentor_id}/availability": MENTORING,
    "GET /mentors/{mentor_id}/availability": OVERSIGHT,
    "GET /mentors/{mentor_id}/prompts": OVERSIGHT,
    "PUT /duty-rosters/{branch}": COORDINATOR,
    "GET /duty-rosters/{branch}": RESPONDERS,
    "POST /crises": RAISERS,
    "GET /crises": ANY_STAFF,
    "GET /crises/{crisis_id}": ANY_STAFF,
    "POST /crises/{crisis_id}/acknowledge": RESPONDERS,
    "POST /crises/{crisis_id}/resolve": RESPONDERS,
    "POST /groups": KEEPERS,
    "GET /groups": ANY_STAFF,
    "GET /groups/{group_id}": ANY_STAFF,
    "PATCH /groups/{group_id}": KEEPERS,
    "GET /groups/{group_id}/meetings": ANY_STAFF,
    "POST /groups/{group_id}/enrolments": MENTORING,
    "GET /groups/{group_id}/enrolments": OVERSIGHT,
    "POST /groups/{group_id}/enrolments/{patient_ref}/leave": MENTORING,
    "GET /group-meetings/{meeting_id}": OVERSIGHT,
    "POST /group-meetings/{meeting_id}/attendance": MENTORING,
    "GET /mentors/{mentor_id}/group-meetings": OVERSIGHT,
    "GET /patients/{patient_ref}/group-offers": MENTORING,
    "POST /goals": MENTORING,
    "GET /goals": OVERSIGHT,
    "POST /goals/{goal_id}/check-ins": MENTORING,
    "POST /goals/{goal_id}/close": MENTORING,
    "GET /questionnaires": ANY_STAFF,
    "POST /questionnaires/{questionnaire_id}/responses": MENTORING,
    "GET /patients/{patient_ref}/questionnaires": ANY_STAFF,
    "GET /mentors/{mentor_id}/load": OVERSIGHT,
    "GET /supervisors/{supervisor_id}/mentors": KEEPERS,
    "GET /mentors/{mentor_id}/notes-to-review": KEEPERS,
    "POST /sessions/{session_id}/note-review": KEEPERS,
    "POST /supervision-meetings": KEEPERS,
    "POST /mentors/{mentor_id}/wellbeing-checks": OVERSIGHT,
}

AFTERCARE = {
    "GET /audit": PRIVACY_OFFICER,
    "GET /groups": ANY_STAFF,
    "GET /groups/{group_id}": ANY_STAFF,
    "GET /enrolments": MENTORING,
    "PUT /patients/{patient_ref}/aftercare-wish": COORDINATOR,
    "GET /tasks": MENTORING,
    "POST /tasks/{task_id}/done": MENTORING,
    "GET /follow-ups": MENTORING,
    "POST /follow-ups/{follow_up_id}/contacts": MENTORING,
    "POST /enrolments/{enrolment_id}/drop-off": MENTORING,
    "GET /readmissions": PATIENT_STAFF,
    "POST /enrolments/{enrolment_id}/complete": COORDINATOR,
    "GET /alumni": COORDINATOR,
    "POST /alumni/{patient_ref}/mentor-candidacy": COORDINATOR,
    "GET /candidates": COORDINATOR,
    "POST /candidates/{candidate_id}/courses": COORDINATOR,
    "POST /candidates/{candidate_id}/certify": COORDINATOR,
    "POST /candidates/{candidate_id}/withdraw": COORDINATOR,
    "GET /outcomes": {"coordinator", "clinician", "supervisor"},
    "GET /outcomes/funnel": {"coordinator", "clinician", "supervisor"},
}

# Notify: a person keeps their own entry and reads, follows and acknowledges their own
# notifications; coordinators keep the directory and see notifications in their reach. The ack
# link needs no token (the signed link is the credential): every role meets its 400/404.
# Only ops list, replay and discard dead letters, and read what was done with them.
ALERTED = {"coordinator", "clinician", "supervisor", "mentor", "ops"}
NOTIFY = {
    "GET /audit": PRIVACY_OFFICER,
    "PUT /people/{person_id}": ALERTED,
    "GET /people/{person_id}": ALERTED,
    "GET /people": COORDINATOR,
    "GET /notifications": COORDINATOR,
    "GET /notifications/stream": ALERTED,
    "GET /people/{person_id}/notifications": ALERTED,
    "POST /notifications/{notification_id}/acknowledge": ALERTED,
    "GET /dead-letters": {"ops"},
    "GET /dead-letters/actions": {"ops"},
    "POST /dead-letters/{sequence}/replay": {"ops"},
    "POST /dead-letters/{sequence}/discard": {"ops"},
    "GET /ack/{token}": set(ROLES),
    "POST /ack/{token}": set(ROLES),
}

POLICY = {
    "intake": INTAKE,
    "matching": MATCHING,
    "sessions": SESSIONS,
    "aftercare": AFTERCARE,
    "notify": NOTIFY,
}
