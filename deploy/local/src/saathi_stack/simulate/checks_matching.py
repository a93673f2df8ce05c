"""Checks on matching: consent per stay, support at the end, capacity over time, preferences,
mentors never matched to themselves or while unavailable, no invented withdrawal."""

from collections import defaultdict
from datetime import UTC, datetime

from saathi_stack.simulate.checks import HOLDING, Context, check
from saathi_stack.simulate.snapshot import moment

NEVER = datetime.max.replace(tzinfo=UTC)


@check("consent_per_stay", "no match is made before this stay's own consent (or without it)")
def consent_per_stay(context: Context) -> list[str]:
    """A match for a stay made before its consent was recorded, or for a stay that declined or
    was never asked, was made on some other stay's consent."""
    offences = []
    for match in context.snapshot.matches:
        stay = context.stay_of.get(match["episode_id"])
        if stay is None:
            continue
        consented = context.journal.consent_at.get(stay.key)
        note = context.note(stay)
        matched = moment(match["matched_at"])
        assert matched is not None
        if consented is None:
            answer = stay.consent[0][1] if stay.consent else "not asked yet"
            offences.append(
                f"{stay.key} {match['match_id']}: matched, this stay's consent: {answer}{note}"
            )
        elif matched < consented:
            early = (consented - matched).total_seconds()
            offences.append(
                f"{stay.key} {match['match_id']}: matched {early:.1f}s before this stay's "
                f"consent{note}"
            )
    return offences


@check(
    "support_follows_consent",
    "at the end, exactly the admitted stays with this stay's consent have a mentor or wait for one",
)
def support_follows_consent(context: Context) -> list[str]:
    """Holding matches and waitlist entries per stay, against the stay's truth."""
    waiting = {w["episode_id"] for w in context.snapshot.waiting if w["status"] == "waiting"}
    offences = []
    for stay in context.scenario.stays.values():
        episode = context.episode_of.get(stay.key)
        if episode is None:
            continue
        holding = [m for m in context.matches_of(stay) if m["status"] in HOLDING]
        supported = bool(holding) or episode["episode_id"] in waiting
        if stay.supported and not supported:
            offences.append(
                f"{stay.key} ({episode['episode_id']}): consented inpatient, no mentor"
                f"{context.note(stay)}"
            )
        elif not stay.supported and supported:
            why = f"{stay.status}, this stay's consent {stay.final_consent or 'not asked yet'}"
            offences.append(
                f"{stay.key} ({episode['episode_id']}): supported although {why}"
                f"{context.note(stay)}"
            )
    return offences


@check("capacity_never_exceeded", "no mentor ever held more matches than their capacity")
def capacity_never_exceeded(context: Context) -> list[str]:
    """Matches as intervals [matched_at, ended_at), counted per mentor over time."""
    changes: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for match in context.snapshot.matches:
        began = moment(match["matched_at"])
        assert began is not None
        changes[match["mentor_id"]].append((began, 1))
        changes[match["mentor_id"]].append((moment(match["ended_at"]) or NEVER, -1))
    offences = []
    for mentor_id, steps in changes.items():
        if mentor_id not in context.scenario.mentors:
            continue  # a mentor of the running stack's own (saathi simulate --running)
        capacity = context.scenario.mentors[mentor_id].capacity
        held = peak = 0
        for _, change in sorted(steps):  # an end sorts before a start at the same moment
            held += change
            peak = max(peak, held)
        if peak > capacity:
            offences.append(f"{mentor_id}: held {peak} matches at once, capacity {capacity}")
    return offences


@check(
    "preferences_honoured",
    "matches after a stated mentor gender honour it, and the preference survives (merges included)",
)
def preferences_honoured(context: Context) -> list[str]:
    """Gender asked for, per stay whose preferences were recorded; the latest kept."""
    offences, latest = [], {}
    for step in context.scenario.steps:
        recorded = context.journal.preferences_at.get(step.stay or "")
        if step.kind != "preferences" or recorded is None:
            continue
        stay = context.scenario.stays[step.stay or ""]
        latest[stay.person] = (stay, step.body.get("mentor_gender"))
        for match in context.matches_of(stay):
            gender = context.snapshot.mentors.get(match["mentor_id"], {}).get("gender")
            matched = moment(match["matched_at"])
            wanted = step.body.get("mentor_gender")
            if wanted and matched is not None and matched > recorded and gender != wanted:
                offences.append(
                    f"{stay.key} {match['match_id']}: a {gender} mentor, asked {wanted}"
                )
    for stay, wanted in latest.values():
        episode = context.episode_of.get(stay.key)
        kept = context.snapshot.preferences.get(episode["patient_ref"] if episode else "", {})
        if wanted and kept.get("mentor_gender") != wanted:
            offences.append(f"{stay.key}: the preference for a {wanted} mentor is lost")
    return offences


@check("no_self_match", "no alumnus mentor is ever matched with their own patient record")
def no_self_match(context: Context) -> list[str]:
    """Matches pairing a mentor with the patient they are."""
    offences = []
    for mentor in context.scenario.mentors.values():
        own = context.refs_of(mentor.person) if mentor.person else set()
        for match in context.snapshot.matches:
            if match["mentor_id"] == mentor.mentor_id and match["patient_ref"] in own:
                offences.append(f"{mentor.mentor_id} {match['match_id']}: matched with themselves")
    return offences


@check("inpatient_mentor_steps_back", "an alumnus mentor who is admitted holds no mentees")
def inpatient_mentor_steps_back(context: Context) -> list[str]:
    """Alumni still admitted at the end, and the matches they hold."""
    offences = []
    for mentor in context.scenario.mentors.values():
        stays = context.scenario.stays_of(mentor.person) if mentor.person else []
        if not any(s.status == "admitted" for s in stays):
            continue
        held = [
            m
            for m in context.snapshot.matches
            if m["mentor_id"] == mentor.mentor_id and m["status"] in HOLDING
        ]
        if held:
            offences.append(f"{mentor.mentor_id}: holds {len(held)} mentee(s) while admitted")
    return offences


@check(
    "unavailable_mentors_not_matched",
    "no match is made with a mentor on leave or whose certificates lapsed",
)
def unavailable_mentors_not_matched(context: Context) -> list[str]:
    """Matches made inside a mentor's unavailable spans (real time)."""
    offences = []
    for match in context.snapshot.matches:
        matched = moment(match["matched_at"])
        for begins, ends in context.journal.unavailable.get(match["mentor_id"], []):
            if matched is not None and begins < matched < (ends or NEVER):
                offences.append(
                    f"{match['mentor_id']} {match['match_id']}: matched while unavailable"
                )
    return offences


@check(
    "no_invented_withdrawal",
    "a match ends 'consent withdrawn' only where the patient withdrew or declined at this stay",
)
def no_invented_withdrawal(context: Context) -> list[str]:
    """Matches ended for a withdrawal nobody made (a merge must never invent one)."""
    offences = []
    for match in context.snapshot.matches:
        stay = context.stay_of.get(match["episode_id"])
        if stay is None or match["ended_reason"] != "consent withdrawn":
            continue
        if not {answer for _, answer in stay.consent} & {"declined", "withdrawn"}:
            note = context.note(stay)
            offences.append(f"{stay.key} {match['match_id']}: ended 'consent withdrawn'{note}")
    return offences
