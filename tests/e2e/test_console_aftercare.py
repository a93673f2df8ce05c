"""The coordinator's aftercare screen against the running platform: patients discharged at two
branches (one whose only group fills up, so one patient waits; one readmitted elsewhere) show
as the funnel with the right counts, the CSV behind each chart carries the same numbers, a
branch's coordinator sees only their branch, Bengali readers get Bengali digits, and a mentor
is refused the screen."""

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from e2e.conftest import running_stack
from e2e.flow import fetch_all, open_group
from helpers import factories
from helpers.backends import Databases
from helpers.console import running_console
from helpers.waiting import wait_until
from saathi_stack.stack import LocalStack

pytestmark = pytest.mark.e2e
SALT_LAKE, BEHALA = "kol-salt-lake", "kol-behala"
# Windows of hours, so no follow-up is missed while the test reads the figures.
LONG_WINDOWS = {"AFTERCARE_FOLLOW_UP_WINDOWS_S": '{"day_7": 3600, "day_30": 7200}'}
STEP = re.compile(r'data-step="(\w+)" data-value="(\d+)"')
BRANCH_STEP = re.compile(r'data-branch="([\w-]+)" data-step="(\w+)" data-value="(\d+)"')


@pytest.fixture
async def stack(tmp_path: Path, dbs: Databases) -> AsyncIterator[LocalStack]:
    async with running_stack(tmp_path, dbs, LONG_WINDOWS) as running:
        yield running


async def _groups(api: httpx.AsyncClient, stack: LocalStack) -> None:
    """A mentor at each branch; Salt Lake's only outpatient group has two places."""
    for branch, places in ((SALT_LAKE, 2), (BEHALA, 10)):
        mentor = factories.mentor(mentor_id=f"{branch}-m0", branches=[branch], capacity=5)
        assert (await api.post(f"{stack.url('matching')}/mentors", json=mentor)).is_success
        await open_group(api, stack, factories.group(branch, f"{branch}-m0", capacity=places))


async def _discharged(api: httpx.AsyncClient, stack: LocalStack, branch: str) -> tuple[dict, dict]:
    """A consenting patient admitted and discharged at `branch`: the request and the stay."""
    body = factories.admission(branch, consent=factories.consent(), mrn_authority="kolnet")
    admitted = await api.post(f"{stack.url('intake')}/admissions", json=body)
    assert admitted.status_code == 201, admitted.text
    episode = admitted.json()["episode"]
    discharge = f"{stack.url('intake')}/episodes/{episode['episode_id']}/discharge"
    left = await api.post(discharge, json={})
    assert left.status_code == 200, left.text
    return body, episode


async def _seed(api: httpx.AsyncClient, stack: LocalStack) -> None:
    """Three discharges at Salt Lake (two places: one waits), one at Behala who comes back
    to Salt Lake within days (a readmission counted against Behala's discharge)."""
    await _groups(api, stack)
    for _ in range(3):
        await _discharged(api, stack, SALT_LAKE)
    body, _ = await _discharged(api, stack, BEHALA)
    aftercare = stack.url("aftercare")
    await wait_until(
        lambda: fetch_all(api, f"{aftercare}/enrolments"),
        lambda rows: sorted(r["status"] for r in rows) == ["enrolled"] * 3 + ["waitlisted"],
        timeout_s=30,
        what="three enrolled and one waiting",
    )
    again = {**body, "branch": SALT_LAKE, "visit_number": body["visit_number"] + "-R"}
    assert (await api.post(f"{stack.url('intake')}/admissions", json=again)).status_code == 201
    await wait_until(
        lambda: fetch_all(api, f"{aftercare}/readmissions"), timeout_s=30, what="readmission"
    )


def _steps(html: str) -> dict[str, int]:
    return {step: int(value) for step, value in STEP.findall(html)}


def _csv(answer: httpx.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.text.isascii()
    return list(csv.DictReader(io.StringIO(answer.text)))


async def test_the_coordinator_reads_the_funnel_and_gets_the_same_numbers_as_csv(stack):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        await _seed(api, stack)
    month = datetime.now(ZoneInfo("Asia/Kolkata")).strftime("%Y-%m")
    async with running_console(stack) as console:
        network = console.client("coordinator", None, "coord-network")
        page = await network.get("/aftercare", params={"month": month})
        assert page.status_code == 200 and 'sse-connect="/live"' in page.text
        assert f'<option value="{BEHALA}"' in page.text  # the branch filter lists both
        assert 'href="/static/aftercare.css"' in page.text and " style=" not in page.text

        funnel = await network.get("/aftercare/funnel", params={"month": month})
        assert 'role="img"' in funnel.text and "<figcaption>" in funnel.text
        expected = {
            "discharged": 4,
            "enrolled": 3,
            "waitlisted": 1,
            "first_attended": 0,  # nobody's first meeting has come yet
            "follow_up_7_day_completed": 0,  # the windows are still open
            "follow_up_30_day_completed": 0,
        }
        assert _steps(funnel.text) == expected
        assert "4 discharged, 3 enrolled in a group, 1 waiting for a place" in funnel.text
        [total] = _csv(await network.get("/aftercare/funnel.csv", params={"month": month}))
        assert {key: int(total[key]) for key in expected} == expected
        assert (total["branch"], total["month"], total["readmitted_30_day"]) == ("all", month, "1")
        # Salt Lake's three are due; the readmission called off Behala's patient's follow-ups.
        assert (total["follow_up_7_day_due"], total["follow_up_30_day_due"]) == ("3", "3")

        branches = await network.get("/aftercare/branches", params={"month": month})
        drawn = {(b, step): int(v) for b, step, v in BRANCH_STEP.findall(branches.text)}
        assert (drawn[(SALT_LAKE, "discharged")], drawn[(BEHALA, "discharged")]) == (3, 1)
        assert (drawn[(SALT_LAKE, "readmitted_30_day")], drawn[(BEHALA, "readmitted_30_day")]) == (
            0,
            1,
        )
        rows = _csv(await network.get("/aftercare/branches.csv", params={"month": month}))
        assert {(r["branch"], r["discharged"], r["waitlisted"]) for r in rows} == {
            (SALT_LAKE, "3", "1"),
            (BEHALA, "1", "0"),
        }
        months = await network.get("/aftercare/months", params={"month": month, "branch": BEHALA})
        assert f'data-month="{month}" data-series="readmitted_30_day" data-value="1"' in months.text
        by_month = _csv(await network.get("/aftercare/months.csv", params={"month": month}))
        assert len(by_month) == 12 and by_month[-1]["month"] == month
        assert (by_month[-1]["discharged"], by_month[-1]["readmitted_30_day"]) == ("4", "1")
        assert {r["discharged"] for r in by_month[:-1]} == {"0"}

        await _branch_staff_see_only_theirs(console, month)


async def _branch_staff_see_only_theirs(console, month: str) -> None:
    behala = console.client("coordinator", BEHALA, "coord-behala")
    funnel = await behala.get("/aftercare/funnel", params={"month": month})
    assert _steps(funnel.text)["discharged"] == 1  # Salt Lake's three are not theirs
    branches = await behala.get("/aftercare/branches", params={"month": month})
    assert SALT_LAKE not in branches.text
    [row] = _csv(await behala.get("/aftercare/branches.csv", params={"month": month}))
    assert row["branch"] == BEHALA
    asked = await behala.get("/aftercare/funnel.csv", params={"month": month, "branch": SALT_LAKE})
    assert asked.status_code == 403 and "your token is for branch" in asked.text  # aftercare's no
    refused_panel = await behala.get("/aftercare/funnel", params={"branch": SALT_LAKE})
    assert 'class="problem"' in refused_panel.text and "data-step" not in refused_panel.text

    behala.cookies.set("saathi_lang", "bn")
    bengali = await behala.get("/aftercare/funnel", params={"month": month})
    assert 'data-step="discharged" data-value="1">১</text>' in bengali.text
    assert "ছুটি পেয়েছেন" in bengali.text

    mentor = console.client("mentor", SALT_LAKE, "m-1")
    for path in ("/aftercare", "/aftercare/funnel", "/aftercare/funnel.csv"):
        assert (await mentor.get(path)).status_code == 403  # not a mentor's screen
    bad = await behala.get("/aftercare/funnel.csv", params={"month": "2026-13"})
    assert bad.status_code == 400 and "year-month" in bad.text
