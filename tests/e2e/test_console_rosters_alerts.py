"""Coordinators keep duty rosters and follow alerts from the console: a roster saved from the
form is the one sessions alerts by; a malformed chain is named and changes nothing; a crisis's
notification shows with its delivery state and can be acknowledged for the person."""

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, matches, seed
from helpers.console import running_console
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
BRANCH = "kol-park-street"


def _roster_form(chain: str) -> dict[str, str | list[str]]:
    return {
        "shift-0-name": "day",
        "shift-0-days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "shift-0-starts": "00:00",
        "shift-0-ends": "00:00",
        "shift-0-chain": chain,
        "time_zone": "Asia/Kolkata",
    }


async def test_a_coordinator_keeps_the_roster_and_follows_the_alert(stack):
    sessions = stack.url("sessions")
    async with running_console(stack) as console:
        coordinator = console.client("coordinator", BRANCH, "co-park")
        saved = await coordinator.post(
            f"/rosters/{BRANCH}", data=_roster_form("dr-park (clinician), sup-park (supervisor)")
        )
        assert saved.status_code == 200 and "The roster is saved." in saved.text, saved.text
        assert "dr-park (clinician), sup-park (supervisor)" in saved.text
        async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
            roster = (await api.get(f"{sessions}/duty-rosters/{BRANCH}")).json()
            assert [link["person_id"] for link in roster["shifts"][0]["chain"]] == [
                "dr-park",
                "sup-park",
            ]
            refused = await coordinator.post(f"/rosters/{BRANCH}", data=_roster_form("dr-x (chef)"))
            assert "is not a person id with a role" in refused.text
            unchanged = (await api.get(f"{sessions}/duty-rosters/{BRANCH}")).json()
            assert unchanged["version"] == roster["version"]

            await seed(api, stack, mentors_per_branch=1, capacity=2)
            admitted = await admit_with_consent(api, stack, 2)  # the second is at BRANCH
            await wait_until(
                lambda: matches(api, stack), lambda rows: len(rows) == 2, what="matches"
            )
            [match] = [row for row in await matches(api, stack) if row["branch"] == BRANCH]
            await wait_until(
                lambda: fetch_all(api, f"{sessions}/sessions"), what="sessions' matches"
            )
            flagged = await api.post(
                f"{sessions}/crises", json={"match_id": match["match_id"], "severity": "critical"}
            )
            assert flagged.status_code == 201, flagged.text
        assert admitted[1].branch == BRANCH

        listed = await wait_until(
            lambda: coordinator.get("/alerts/list", params={"kind": "crisis"}),
            lambda answer: "dr-park" in answer.text,
            what="the crisis alert to dr-park on the alerts screen",
        )
        assert 'data-state="' in listed.text and "Acknowledge for dr-park" in listed.text
        notification_id = listed.text.split('data-notification="')[1].split('"')[0]
        done = await coordinator.post(f"/alerts/{notification_id}/acknowledge")
        assert f'data-notification="{notification_id}" data-state="acknowledged"' in done.text

        elsewhere = console.client("coordinator", "kol-behala", "co-behala")
        assert "dr-park" not in (await elsewhere.get("/alerts/list")).text
        assert (await console.client("mentor", BRANCH, "m").get("/rosters")).status_code == 403
