"""Checks on episodes and identity: states, links across stays and merges, birth dates."""

from collections import defaultdict
from datetime import date, timedelta

from saathi_stack.simulate.checks import Context, check


@check("every_message_acknowledged", "every HL7 message got AA and every REST call a 2xx")
def every_message_acknowledged(context: Context) -> list[str]:
    """Refusals noted while sending."""
    return list(context.journal.refused)


@check("episode_states", "every stay ends in its expected status, at its expected branch")
def episode_states(context: Context) -> list[str]:
    """Status and branch of each stay's episode."""
    offences = []
    for stay in context.scenario.stays.values():
        episode = context.episode_of.get(stay.key)
        if episode is None:
            offences.append(
                f"{stay.key}: no episode admitted at {stay.admitted_at:%Y-%m-%d %H:%M:%S}"
            )
        elif (episode["status"], episode["branch"]) != (stay.status, stay.branch):
            offences.append(
                f"{stay.key} ({episode['episode_id']}): {episode['status']} at "
                f"{episode['branch']}, expected {stay.status} at {stay.branch}"
            )
    return offences


def _split(context: Context, merged: bool) -> list[str]:
    persons = {m.person for m in context.scenario.merges}
    offences = []
    for person in context.scenario.people.values():
        stays = context.scenario.stays_of(person.key)
        if len(stays) < 2 or (person.key in persons) != merged:
            continue
        refs = context.refs_of(person.key)
        if len(refs) > 1:
            kinds = ",".join(sorted({s.vendor for s in stays}))
            offences.append(
                f"{person.key}: {len(stays)} stays ({kinds}) under {len(refs)} patients "
                f"{sorted(refs)}"
            )
    return offences


@check("readmissions_linked", "a person's stays (any branch, any EHR) share one patient_ref")
def readmissions_linked(context: Context) -> list[str]:
    """Readmissions, across EHRs linked only by ABHA written their own way."""
    return _split(context, merged=False)


@check("merges_linked", "after an A40 the person's stays share one patient_ref")
def merges_linked(context: Context) -> list[str]:
    """Merged duplicate registrations."""
    return _split(context, merged=True)


@check("distinct_people_apart", "two people never share a patient_ref")
def distinct_people_apart(context: Context) -> list[str]:
    """An MRN issued by two facilities must not make two people one."""
    people = defaultdict(set)
    for stay_key, episode in context.episode_of.items():
        people[episode["patient_ref"]].add(context.scenario.stays[stay_key].person)
    return [
        f"{ref}: holds the stays of {len(found)} people {sorted(found)}"
        for ref, found in people.items()
        if len(found) > 1
    ]


@check("birth_dates_exact", "the birth date stored is the one sent (no day shift)")
def birth_dates_exact(context: Context) -> list[str]:
    """Each person's birth date as intake holds it."""
    offences = []
    for person in context.scenario.people.values():
        for ref in sorted(context.refs_of(person.key)):
            stored = context.snapshot.patients.get(ref, {}).get("birth_date")
            if stored == person.birth_date.isoformat():
                continue
            shift = ""
            if stored:
                days = (date.fromisoformat(stored) - person.birth_date) // timedelta(days=1)
                shift = f" ({days:+d} day(s))"
            offences.append(f"{person.key} ({ref}): stored date differs from the one sent{shift}")
    return offences
