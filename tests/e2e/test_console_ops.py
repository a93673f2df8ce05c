"""The Ops screen against the running platform: an event no consumer can decode becomes a dead
letter ops see on the screen (never its contents), discard with a reason and find in the
history under their name, or replay (its consumer, still unable to decode it, dead-letters the
copy again); a reasonless discard changes nothing, and other roles are refused."""

import nats
import pytest

from helpers.console import running_console
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
SUBJECT = "intake.episode.admitted.v1"
SECRET = "pt_should_never_show"


async def _poison(stack) -> None:
    """An event on intake's subject that no contract accepts: its consumers dead-letter it."""
    connection = await nats.connect(stack.nats_url)
    try:
        await connection.jetstream().publish(SUBJECT, f'{{"patient": "{SECRET}"}}'.encode())
    finally:
        await connection.close()


def _sequences(panel: str) -> list[str]:
    return [part.split('"', 1)[0] for part in panel.split('data-letter="')[1:]]


async def test_ops_see_dead_letters_and_discard_or_replay_them_with_a_reason(stack):
    await _poison(stack)
    async with running_console(stack) as console:
        ops = console.client("ops", None, "ops-ravi")
        page = await ops.get("/ops")
        assert page.status_code == 200 and 'sse-connect="/live"' in page.text
        assert 'hx-get="/ops/letters"' in page.text and 'hx-get="/ops/actions"' in page.text

        async def letters() -> str:
            return (await ops.get("/ops/letters")).text

        panel = await wait_until(letters, lambda text: "data-letter=" in text, what="a letter")
        assert SUBJECT in panel and "<caption>" in panel and SECRET not in panel
        sequence = _sequences(panel)[0]
        assert f'<label for="discard-reason-{sequence}">' in panel

        reasonless = await ops.post(f"/ops/letters/{sequence}/discard", data={"reason": " "})
        assert reasonless.status_code == 200 and 'role="alert"' in reasonless.text
        assert sequence in _sequences(reasonless.text)  # still there

        discarded = await ops.post(
            f"/ops/letters/{sequence}/discard", data={"reason": "poison from the drill"}
        )
        assert discarded.status_code == 200 and 'role="alert"' not in discarded.text
        assert discarded.headers["HX-Trigger"] == "ops-acted"
        assert sequence not in _sequences(discarded.text)
        history = (await ops.get("/ops/actions")).text
        assert "ops-ravi" in history and "poison from the drill" in history
        assert "Discarded" in history and SUBJECT in history

        again = await ops.post(f"/ops/letters/{sequence}/discard", data={"reason": "twice"})
        assert "replayed or discarded already" in again.text  # notify's reason, shown

        other = _sequences(discarded.text)[0]
        replayed = await ops.post(f"/ops/letters/{other}/replay", data={"reason": "try again"})
        assert f"was sent again on {SUBJECT}" in replayed.text
        # Still undecodable: its consumer dead-letters the replayed copy as a new letter.
        await wait_until(
            letters,
            lambda text: max(map(int, _sequences(text)), default=0) > int(other),
            what="the replayed copy dead-lettered again",
        )


async def test_only_ops_open_the_screen(stack):
    async with running_console(stack) as console:
        for role, branch in (("coordinator", "kol-behala"), ("clinician", "kol-behala")):
            other = console.client(role, branch, f"{role}-1")
            assert (await other.get("/ops")).status_code == 403
            assert (await other.get("/ops/letters")).status_code == 403
            refused = await other.post("/ops/letters/1/discard", data={"reason": "x"})
            assert refused.status_code == 403
        ops = console.client("ops", None, "ops-ravi")
        del ops.headers["X-CSRF-Token"]
        assert (await ops.post("/ops/letters/1/discard", data={"reason": "x"})).status_code == 403
