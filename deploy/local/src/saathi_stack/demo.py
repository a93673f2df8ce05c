"""Demo data: a mentor pool serving three Kolkata branches, inpatient peer-led groups and
outpatient groups (fictional)."""

import time
from datetime import date, timedelta

import httpx

BRANCHES = ("kol-salt-lake", "kol-park-street", "kol-behala")

_MENTORS = (
    (
        "mn-ananya",
        "Ananya Sen",
        ["bn", "en"],
        ["kol-salt-lake", "kol-park-street"],
        ["depression", "anxiety"],
    ),
    ("mn-rupa", "Rupa Ghosh", ["bn"], ["kol-salt-lake"], ["bipolar disorder"]),
    ("mn-arif", "Arif Hossain", ["bn", "hi"], ["kol-salt-lake", "kol-behala"], ["substance use"]),
    ("mn-meera", "Meera Iyer", ["en", "hi"], ["kol-park-street"], ["anxiety", "psychosis"]),
    (
        "mn-sourav",
        "Sourav Dutta",
        ["bn", "en"],
        ["kol-park-street", "kol-behala"],
        ["schizophrenia"],
    ),
    ("mn-farhana", "Farhana Begum", ["bn", "hi"], ["kol-behala"], ["depression"]),
    (
        "mn-kabir",
        "Kabir Mehta",
        ["hi", "en"],
        ["kol-salt-lake", "kol-park-street", "kol-behala"],
        ["bipolar disorder"],
    ),
    ("mn-tania", "Tania Roy", ["bn"], ["kol-park-street"], ["anxiety"]),
    ("mn-debashis", "Debashis Pal", ["bn", "en"], ["kol-behala"], ["psychosis", "substance use"]),
    ("mn-nusrat", "Nusrat Jahan", ["bn", "hi", "en"], ["kol-salt-lake"], ["depression", "anxiety"]),
    ("mn-joydeep", "Joydeep Bose", ["bn"], ["kol-salt-lake", "kol-behala"], ["schizophrenia"]),
    (
        "mn-priya",
        "Priya Agarwal",
        ["hi", "en"],
        ["kol-park-street", "kol-salt-lake"],
        ["depression"],
    ),
)

# Gender and age band by mentor, for the matching criteria patients may ask for.
_PROFILE = {
    "mn-ananya": ("female", "26-35"),
    "mn-rupa": ("female", "36-50"),
    "mn-arif": ("male", "26-35"),
    "mn-meera": ("female", "51-65"),
    "mn-sourav": ("male", "36-50"),
    "mn-farhana": ("female", "18-25"),
    "mn-kabir": ("male", "51-65"),
    "mn-tania": ("female", "26-35"),
    "mn-debashis": ("male", "36-50"),
    "mn-nusrat": ("female", "36-50"),
    "mn-joydeep": ("male", "18-25"),
    "mn-priya": ("female", "26-35"),
}

# Outpatient groups (sessions runs them; aftercare fills them at discharge): id, title,
# branch, language, weekday, start, facilitator.
_OUTPATIENT_GROUPS = (
    ("grp-saltlake-bn", "Salt Lake Tuesday circle", "kol-salt-lake", "bn", 1, "17:30", "mn-ananya"),
    ("grp-saltlake-en", "Salt Lake open group", "kol-salt-lake", "en", 3, "18:00", "mn-nusrat"),
    ("grp-saltlake-hi", "Salt Lake Hindi circle", "kol-salt-lake", "hi", 5, "11:00", "mn-kabir"),
    ("grp-parkst-bn", "Park Street evening group", "kol-park-street", "bn", 2, "18:30", "mn-tania"),
    (
        "grp-parkst-en",
        "Park Street recovery circle",
        "kol-park-street",
        "en",
        4,
        "17:00",
        "mn-meera",
    ),
    ("grp-parkst-hi", "Park Street Hindi group", "kol-park-street", "hi", 0, "16:00", "mn-priya"),
    ("grp-behala-bn", "Behala Saturday circle", "kol-behala", "bn", 5, "10:30", "mn-debashis"),
    ("grp-behala-hi", "Behala Hindi circle", "kol-behala", "hi", 2, "17:00", "mn-farhana"),
    ("grp-behala-en", "Behala open group", "kol-behala", "en", 1, "18:00", "mn-sourav"),
)


# Inpatient peer-led groups (sessions): id, title, branch, focus, language, weekday, start,
# facilitators (each certified, serving the branch and speaking the language).
_INPATIENT_GROUPS = (
    (
        "ig-saltlake-mood",
        "Salt Lake mood circle",
        "kol-salt-lake",
        "depression",
        "bn",
        2,
        "16:00",
        ["mn-ananya"],
    ),
    (
        "ig-saltlake-rec",
        "Salt Lake art and music hour",
        "kol-salt-lake",
        "recreation",
        "bn",
        4,
        "11:00",
        ["mn-rupa"],
    ),
    (
        "ig-parkst-anx",
        "Park Street calm minds",
        "kol-park-street",
        "anxiety",
        "en",
        1,
        "15:00",
        ["mn-meera"],
    ),
    (
        "ig-parkst-recovery",
        "Park Street recovery circle",
        "kol-park-street",
        "general_recovery",
        "bn",
        3,
        "16:00",
        ["mn-tania", "mn-sourav"],
    ),
    (
        "ig-behala-bipolar",
        "Behala steady ground",
        "kol-behala",
        "bipolar",
        "bn",
        2,
        "15:30",
        ["mn-farhana"],
    ),
    (
        "ig-behala-rec",
        "Behala games afternoon",
        "kol-behala",
        "recreation",
        "hi",
        5,
        "16:00",
        ["mn-arif"],
    ),
)
# Sessions learns of mentors from matching's events: give them this long to arrive.
MENTORS_ARRIVE_S = 30.0


def _create(client: httpx.Client, url: str, body: dict) -> bool:
    """POST a record; True if it was created, False if it already existed (409)."""
    response = client.post(url, json=body)
    if response.status_code not in (201, 409):
        response.raise_for_status()
    return response.status_code == 201


def _create_when_mentors_known(client: httpx.Client, url: str, body: dict) -> bool:
    """Like `_create`, waiting while sessions has not yet heard of the facilitators (422)."""
    deadline = time.monotonic() + MENTORS_ARRIVE_S
    while True:
        response = client.post(url, json=body)
        unknown = response.status_code == 422 and "not in the mentor pool" in response.text
        if not unknown or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if response.status_code not in (201, 409):
        raise RuntimeError(f"demo group {body['group_id']} not created: {response.text}")
    return response.status_code == 201


def _groups(client: httpx.Client, sessions_url: str) -> int:
    starts_on = date.today().isoformat()
    inpatient = [
        {
            "group_id": group_id,
            "title": title,
            "branch": branch,
            "setting": "inpatient",
            "focus": focus,
            "language": language,
            "capacity": 10,
            "weekday": weekday,
            "start_time": start,
            "starts_on": starts_on,
            "facilitator_ids": facilitators,
        }
        for group_id, title, branch, focus, language, weekday, start, facilitators in (
            _INPATIENT_GROUPS
        )
    ]
    outpatient = [
        {
            "group_id": group_id,
            "title": title,
            "branch": branch,
            "setting": "outpatient",
            "focus": "general_recovery",
            "language": language,
            "capacity": 12,
            "weekday": weekday,
            "start_time": start,
            "starts_on": starts_on,
            "facilitator_ids": [facilitator],
        }
        for group_id, title, branch, language, weekday, start, facilitator in _OUTPATIENT_GROUPS
    ]
    return sum(
        _create_when_mentors_known(client, f"{sessions_url}/groups", body)
        for body in inpatient + outpatient
    )


def duty_roster(branch: str) -> dict:
    """A branch's demo duty roster: weekday days, weekend days and nights, each shift with its
    clinician first, then the branch's supervisor, then its lead (times in Kolkata)."""
    place = branch.removeprefix("kol-")
    rest = [
        {"person_id": f"sup-{branch}", "role": "supervisor"},
        {"person_id": f"lead-{place}", "role": "branch_lead"},
    ]
    return {
        "time_zone": "Asia/Kolkata",
        "shifts": [
            {
                "name": name,
                "days": days,
                "starts": starts,
                "ends": ends,
                "chain": [{"person_id": f"dr-{place}-{name}", "role": "clinician"}, *rest],
            }
            for name, days, starts, ends in (
                ("day", ["mon", "tue", "wed", "thu", "fri"], "08:00", "20:00"),
                ("weekend", ["sat", "sun"], "08:00", "20:00"),
                ("night", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "20:00", "08:00"),
            )
        ],
    }


def _duty_rosters(client: httpx.Client, sessions_url: str) -> None:
    """Give each demo branch its shifts unless someone already set a roster there."""
    for branch in BRANCHES:
        url = f"{sessions_url}/duty-rosters/{branch}"
        if client.get(url).status_code == 404:
            client.put(url, json=duty_roster(branch)).raise_for_status()


def seed(client: httpx.Client, matching_url: str, sessions_url: str) -> tuple[int, int]:
    """Create the demo mentors, each branch's duty roster with shifts, and groups (inpatient
    and outpatient, both run by sessions) unless they exist; return how many mentors and groups
    were new."""
    issued, expires = date.today() - timedelta(days=30), date.today() + timedelta(days=335)
    certifications = [
        {"kind": kind, "issued_on": issued.isoformat(), "expires_on": expires.isoformat()}
        for kind in ("active_listening", "boundaries", "crisis_response", "ethics")
    ]
    new_mentors = sum(
        _create(
            client,
            f"{matching_url}/mentors",
            {
                "mentor_id": mentor_id,
                "display_name": name,
                "languages": languages,
                "branches": branches,
                "lived_experience": lived,
                "capacity": 4,
                "certifications": certifications,
                "supervisor_id": f"sup-{branches[0]}",
                "gender": _PROFILE[mentor_id][0],
                "age_band": _PROFILE[mentor_id][1],
            },
        )
        for mentor_id, name, languages, branches, lived in _MENTORS
    )
    _duty_rosters(client, sessions_url)
    return new_mentors, _groups(client, sessions_url)


def mentors() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The demo mentors by mentor id: name and branches (the dev sign-in page lists them)."""
    return {mentor_id: (name, tuple(branches)) for mentor_id, name, _, branches, _ in _MENTORS}
