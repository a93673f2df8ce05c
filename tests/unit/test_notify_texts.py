"""What a notification says, in English and Bengali, and what it can never say: only allowed,
well-shaped facts reach a text, and no e-mail subject names a patient ref."""

import pytest

from notify.channels.facts import KINDS, FactError
from notify.channels.texts import render, spoken

ACK = "https://saathi.hospital.test/ack/v1.token"
CRISIS = {
    "severity": "high",
    "branch": "kol-salt-lake",
    "ward": "W3",
    "ref": "cr_7c41d09a2b",
    "ack_within_min": "10",
    "deadline": "2026-12-05T02:10:00+00:00",
    "zone": "Asia/Kolkata",
}
FACTS = {
    "crisis": CRISIS,
    "proposal": {"branch": "kol-salt-lake", "ref": "mx_91ab33cd"},
    "coordinator_task": {"branch": "kol-salt-lake", "task": "waitlist", "ref": "pt_3f9a1c0b"},
    "outreach": {"branch": "kol-salt-lake", "task": "missed_first_meeting", "ref": "pt_3f9a1c0b"},
    "dead_letter": {"source": "sessions", "count": "3"},
    "certification": {
        "branch": "kol-salt-lake",
        "certification": "crisis_response",
        "expires_on": "2027-01-04",
        "days": "30",
        "ref": "mn_0a4f6c2e",
    },
    "supervision": {"branch": "kol-salt-lake", "count": "9", "ratio": "8", "ref": "sup_7c1e3a5b"},
    "wellbeing": {"ref": "mn_0a4f6c2e"},
}


def test_the_crisis_subject_says_what_where_and_how_soon_but_not_who() -> None:
    subject, body = render("crisis", "en", CRISIS, ACK)

    assert subject == "Saathi: crisis alert (high) at kol-salt-lake — acknowledge within 10 min"
    assert "cr_7c41d09a2b" in body and "ward W3" in body
    assert "07:40 IST" in body  # the deadline in the branch's zone
    assert ACK in body


def test_an_escalated_crisis_says_so() -> None:
    subject, body = render("crisis", "en", {**CRISIS, "step": "2"}, ACK)

    assert "escalated (level 2)" in subject and "Nobody before you" in body
    first, _ = render("crisis", "en", {**CRISIS, "step": "1"}, ACK)
    assert "escalated" not in first


def test_the_bengali_crisis_text_is_bengali_with_bengali_digits() -> None:
    subject, body = render("crisis", "bn", CRISIS, ACK)  # 07:40 IST below, in Bengali digits

    assert "সংকট সতর্কতা (উচ্চ)" in subject and "১০ মিনিটের মধ্যে স্বীকার করুন" in subject
    assert "\u09e6\u09ed:\u09ea\u09e6 IST" in body and "স্বীকার করতে: " + ACK in body
    assert "cr_7c41d09a2b" in body and "kol-salt-lake" in body  # codes stay as they are


@pytest.mark.parametrize("language", ["en", "bn"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_text_in_both_languages_and_no_ref_in_its_subject(kind, language) -> None:
    subject, body = render(kind, language, FACTS[kind], ACK)

    assert subject.startswith("Saathi: ") and body
    assert not any(ref in subject for ref in ("cr_", "pt_", "mx_"))
    if language == "bn":
        assert any("\u0980" <= c <= "\u09ff" for c in subject + body)


def test_a_name_cannot_be_passed_into_a_message() -> None:
    with pytest.raises(FactError, match="name") as refused:
        render("crisis", "en", {**CRISIS, "name": "Rina Das"}, ACK)

    assert "Rina Das" not in str(refused.value)


@pytest.mark.parametrize(
    "key, value",
    [
        ("ref", "Rina Das"),
        ("ward", "Rina Das"),
        ("branch", "MRN 448812"),
        ("severity", "very bad"),
        ("deadline", "tomorrow"),
        ("zone", "Mars/Olympus"),
        ("console_url", "javascript:alert(1)"),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused_without_repeating_it(key, value) -> None:
    with pytest.raises(FactError, match=key) as refused:
        render("crisis", "en", {**CRISIS, key: value}, ACK)

    assert value not in str(refused.value)


def test_a_message_without_its_essential_facts_is_refused() -> None:
    with pytest.raises(FactError, match="severity"):
        render("crisis", "en", {"branch": "kol-salt-lake"}, ACK)
    with pytest.raises(FactError, match="zone"):
        render("outreach", "en", {**FACTS["outreach"], "deadline": CRISIS["deadline"]}, None)
    with pytest.raises(FactError, match="task"):
        render("outreach", "en", {"branch": "kol-salt-lake", "task": "waitlist"}, None)


def test_unknown_kinds_and_languages_are_refused() -> None:
    with pytest.raises(FactError, match="kind"):
        render("gossip", "en", {}, None)
    with pytest.raises(ValueError, match="language"):
        render("crisis", "fr", CRISIS, ACK)


def test_without_a_link_the_text_points_to_the_console() -> None:
    _, body = render("crisis", "en", CRISIS, None)

    assert "Acknowledge:" not in body and "the console has them" in body


def test_outreach_without_a_branch_and_a_follow_up_with_its_window() -> None:
    missed = {"task": "missed_session", "ref": "ss_0a1b2c3d"}
    subject, body = render("outreach", "en", missed, None)
    follow_up = {"branch": "kol-salt-lake", "task": "follow_up_due", "ref": "fu_0a1b2c3d"}
    _, bengali = render("outreach", "bn", {**follow_up, "days": "7"}, None)

    assert subject == "Saathi: outreach due" and "missed a session" in body
    assert "\u09ed দিনের ফলো-আপ" in bengali  # 7 in Bengali digits


def test_a_dead_letter_subject_names_the_consumer_that_gave_up() -> None:
    subject, _ = render("dead_letter", "en", {"source": "sessions-match-events"}, None)

    assert subject == "Saathi: a message from sessions-match-events needs a human (dead letter)"


@pytest.mark.parametrize(("tag", "language"), [("bn-IN", "bn"), ("en", "en"), ("fr", "en")])
def test_a_persons_language_tag_picks_the_texts(tag, language) -> None:
    assert spoken(tag) == language


def test_a_lapsing_certification_names_it_its_day_and_the_days_left() -> None:
    facts = FACTS["certification"]
    subject, body = render("certification", "en", facts, None)
    bn_subject, bn_body = render("certification", "bn", facts, None)

    assert subject == "Saathi: a mentor's crisis response certification lapses in 30 days"
    assert "Mentor mn_0a4f6c2e" in body and "expires on 2027-01-04" in body
    assert "সংকট মোকাবিলা সার্টিফিকেশনের মেয়াদ ৩০ দিনের মধ্যে" in bn_subject
    assert "\u09e8\u09e6\u09e8\u09ed-\u09e6\u09e7-\u09e6\u09ea তারিখে" in bn_body  # 2027-01-04


def test_an_unknown_certification_is_shown_by_its_code_and_a_bad_day_is_refused() -> None:
    subject, _ = render(
        "certification", "en", {**FACTS["certification"], "certification": "cpr"}, None
    )

    assert "cpr certification" in subject
    with pytest.raises(FactError, match="expires_on"):
        render("certification", "en", {**FACTS["certification"], "expires_on": "4 Jan"}, None)


def test_supervision_and_wellbeing_say_how_many_and_who_asked() -> None:
    subject, body = render("supervision", "bn", FACTS["supervision"], None)
    _, wellbeing = render("wellbeing", "en", FACTS["wellbeing"], None)
    anonymous, _ = render("wellbeing", "bn", {}, None)

    assert "kol-salt-lake শাখার" in subject and "৯ জন মেন্টরের" in body and "সর্বোচ্চ ৮ জন" in body
    assert "Mentor mn_0a4f6c2e asked for support" in wellbeing
    assert anonymous == "Saathi: একজন মেন্টর আপনার কাছে সহায়তা চেয়েছেন"
