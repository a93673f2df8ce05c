"""Notify's pure rules: who an alert is for (one alert per branch for people serving several),
on which channels, when quiet hours end, retry timing, the facts an alert's texts may say, and
how a notification's state moves."""

from datetime import UTC, date, datetime, timedelta

import pytest

from notify.alerts.domain import (
    advanced,
    certification_alerts,
    crisis_alert,
    dead_letter_alert,
    proposal_alert,
    supervision_alerts,
    wellbeing_alerts,
)
from notify.channels.facts import checked
from notify.config import NotifySettings
from notify.delivery.domain import backoff_s
from notify.people.domain import (
    Contact,
    channels_for,
    network_coordinators,
    quiet_until,
    recipients,
)
from shared.contracts.matching import (
    CertificationLapsingState,
    MatchProposalState,
    SupervisionRatioState,
)
from shared.contracts.sessions import CrisisState, WellbeingSupportState


def contact(person_id: str, roles=("coordinator",), branches=("kol-a",), **extra) -> Contact:
    fields = {
        "email": None,
        "phone": None,
        "timezone": "Asia/Kolkata",
        "channels": {},
        "quiet_start": None,
        "quiet_end": None,
        **extra,
    }
    return Contact(person_id, frozenset(roles), frozenset(branches), **fields)


def test_branch_people_come_before_network_wide_ones_who_step_in_only_when_needed():
    people = [contact("co-net", branches=()), contact("co-a"), contact("co-b", branches=("kol-b",))]

    assert [p.person_id for p in recipients(people, ["coordinator"], "kol-a")] == ["co-a"]
    assert [p.person_id for p in recipients(people, ["coordinator"], "kol-c")] == ["co-net"]
    assert [p.person_id for p in network_coordinators(people)] == ["co-net"]


def test_a_crisis_goes_on_every_channel_the_person_has_other_kinds_on_their_choice():
    both = contact("dr", email="d@x.org", phone="+91980000", channels={"proposal": ["sms"]})
    mail_only = contact("dr2", email="d2@x.org", channels={"proposal": ["sms"]})

    assert channels_for(both, "crisis") == ["console", "email", "sms"]
    assert channels_for(both, "proposal") == ["console", "sms"]
    assert channels_for(both, "outreach") == ["console"]
    assert channels_for(mail_only, "proposal") == ["console"]  # chose SMS, has no phone
    assert channels_for(None, "crisis") == ["console"]


@pytest.mark.parametrize(
    ("utc", "until"),
    [
        ("2026-12-01T17:00", "2026-12-02T01:30"),  # 22:30 in Kolkata: quiet until 07:00
        ("2026-12-01T23:00", "2026-12-02T01:30"),  # 04:30: still quiet
        ("2026-12-01T03:00", None),  # 08:30: not quiet
    ],
)
def test_quiet_hours_across_midnight_in_the_persons_zone(utc, until):
    person = contact("co", quiet_start="22:00", quiet_end="07:00")
    now = datetime.fromisoformat(utc).replace(tzinfo=UTC)

    ends = quiet_until(person, "coordinator_task", now)

    assert ends == (datetime.fromisoformat(until).replace(tzinfo=UTC) if until else None)
    assert quiet_until(person, "crisis", now) is None  # never for a crisis


def test_back_off_doubles_up_to_the_cap():
    assert [backoff_s(n, 5, 30) for n in range(1, 6)] == [5, 10, 20, 30, 30]


def test_a_crisis_says_severity_branch_ref_and_how_soon_in_the_branchs_zone_never_the_patient():
    flagged_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    state = CrisisState(
        version=2,
        crisis_id="cr_7c41d09a2b",
        branch="kol-a",
        patient_ref="pt_secret01",
        mentor_id="mn_1",
        match_id="mt_1",
        severity="critical",
        status="open",
        level=1,
        notified_person_id="dr-2",
        notified_role="clinician",
        deadline_at=datetime(2026, 12, 1, 9, 10, tzinfo=UTC),
        flagged_at=flagged_at,
    )

    alert = crisis_alert(state, True, flagged_at + timedelta(seconds=30), "Asia/Kolkata")

    assert checked("crisis", alert.facts) == {
        "severity": "critical",
        "branch": "kol-a",
        "ref": "cr_7c41d09a2b",
        "deadline": "2026-12-01T09:10:00+00:00",
        "zone": "Asia/Kolkata",
        "ack_within_min": "10",
        "step": "2",
    }
    assert "pt_secret01" not in alert.facts.values()
    first = crisis_alert(state, False, flagged_at, "Asia/Kolkata")
    assert "step" not in first.facts


def test_a_dead_letter_names_its_source_only_when_it_looks_like_one():
    assert dead_letter_alert("sessions-match-events", 7).facts == {
        "count": "1",
        "source": "sessions-match-events",
    }
    assert dead_letter_alert("Rina Das <rina@x.org>", 8).facts == {"count": "1"}


def test_a_state_never_moves_back_nor_out_of_acknowledged():
    assert advanced("queued", "sent") == "sent"
    assert advanced("delivered", "sent") == "delivered"
    assert advanced("sent", "failed") == "sent"
    assert advanced("failed", "sent") == "sent"
    assert advanced("acknowledged", "delivered") == "acknowledged"


def test_a_proposal_awaiting_a_supervisor_goes_to_them_and_the_coordinators_when_both():
    state = MatchProposalState(
        version=1,
        match_id="mt_1",
        episode_id="ep_1",
        patient_ref="pt_1",
        mentor_id="mn_1",
        branch="kol-a",
        status="proposed",
        awaiting=["coordinator", "supervisor"],
        supervisor_id="sup-1",
        proposed_at=datetime(2026, 12, 1, tzinfo=UTC),
        review_due_at=datetime(2026, 12, 2, tzinfo=UTC),
    )

    alert = proposal_alert(state, "Asia/Kolkata")

    assert (alert.person_ids, alert.roles) == (("sup-1",), ("coordinator",))
    assert alert.facts == {
        "branch": "kol-a",
        "ref": "mt_1",
        "deadline": "2026-12-02T00:00:00+00:00",
        "zone": "Asia/Kolkata",
    }


def test_the_branch_zone_must_be_a_zone():
    assert NotifySettings(branch_timezone="Asia/Dhaka").branch_timezone == "Asia/Dhaka"
    with pytest.raises(ValueError, match="NOTIFY_BRANCH_TIMEZONE"):
        NotifySettings(branch_timezone="Kolkata/Salt Lake")


def test_a_lapsing_certification_is_one_alert_per_branch_naming_the_mentor_once() -> None:
    lapsing = CertificationLapsingState(
        version=1,
        mentor_id="mn_0a4f6c2e",
        branches=["kol-b", "kol-a"],
        certification="ethics",
        expires_on=date(2027, 1, 4),
        days_left=30,
    )

    first, second = certification_alerts(lapsing)

    assert (first.branch, first.person_ids, first.roles) == (
        "kol-a",
        ("mn_0a4f6c2e",),
        ("coordinator",),
    )
    assert (second.branch, second.person_ids) == ("kol-b", ())
    assert first.subject_id == second.subject_id == "mn_0a4f6c2e:ethics:2027-01-04"
    assert checked("certification", first.facts) == {
        "branch": "kol-a",
        "certification": "ethics",
        "expires_on": "2027-01-04",
        "days": "30",
        "ref": "mn_0a4f6c2e",
    }


def test_an_id_without_the_shape_of_a_ref_is_not_said_and_no_branch_means_the_network() -> None:
    load = SupervisionRatioState(
        version=2,
        supervisor_id="Dr Sen",
        branches=[],
        mentors=9,
        ratio=8,
        over_since=datetime(2026, 3, 1, tzinfo=UTC),
    )

    [alert] = supervision_alerts(load)

    assert alert.branch is None and alert.facts == {"count": "9", "ratio": "8"}


def test_wellbeing_goes_to_the_named_supervisor_else_the_branchs_supervisors() -> None:
    asked = WellbeingSupportState(
        version=1,
        check_id="wb_0a1b2c3d",
        mentor_id="mn_0a4f6c2e",
        supervisor_id="sup_7c1e3a5b",
        branches=["kol-a"],
        requested_at=datetime(2026, 3, 1, tzinfo=UTC),
    )

    [named] = wellbeing_alerts(asked)
    [unnamed] = wellbeing_alerts(asked.model_copy(update={"supervisor_id": None}))

    assert (named.person_ids, named.roles, named.branch) == (("sup_7c1e3a5b",), (), "kol-a")
    assert (unnamed.person_ids, unnamed.roles) == ((), ("supervisor",))
    assert named.facts == {"ref": "mn_0a4f6c2e"} and "score" not in unnamed.facts
