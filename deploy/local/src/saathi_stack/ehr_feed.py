"""A simulated EHR: admits fictional patients, records consent, discharges them later.

Half the patients arrive as HL7 v2 over MLLP (A01, later A03), half over REST, so a newcomer
sees both paths into intake.
"""

import asyncio
import random
import secrets
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from intake.hl7.client import MllpClient, ack_code
from saathi_stack import hl7_samples
from saathi_stack.demo import BRANCHES

T = TypeVar("T")

GIVEN = (
    "Rina",
    "Sumit",
    "Pallabi",
    "Imran",
    "Moumita",
    "Arjun",
    "Sabina",
    "Rahul",
    "Ishita",
    "Tanmoy",
)
FAMILY = ("Das", "Banerjee", "Chatterjee", "Khan", "Mondal", "Saha", "Mukherjee", "Sarkar", "Ali")
LANGUAGES = ("bn", "bn", "bn", "hi", "en")


AREAS = ["depression", "anxiety", "bipolar disorder", "schizophrenia", "substance use", "psychosis"]
AGE_BANDS = ["18-25", "26-35", "36-50", "51-65"]


@dataclass
class FeedStats:
    """What the feed has sent so far."""

    admitted: int = 0
    admitted_by_hl7: int = 0
    discharged: int = 0
    discharges_cancelled: int = 0
    errors: int = 0
    last_error: str = ""


class SimulatedEhr:
    """Sends admissions at `rate_per_s` and discharges each patient `stay_s` seconds later."""

    def __init__(
        self,
        intake_url: str,
        rate_per_s: float = 1.0,
        stay_s: tuple[float, float] = (15, 45),
        seed: int | None = None,
        mllp_port: int | None = None,
        matching_url: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._intake = intake_url
        self._headers = headers or {}
        self._matching = matching_url
        self._mllp_port = mllp_port
        self._interval = 1.0 / rate_per_s
        self._stay = stay_s
        self._random = random.Random(seed)
        self.stats = FeedStats()

    async def run(self) -> None:
        """Run until cancelled; patients still admitted from an earlier run are discharged too."""
        async with httpx.AsyncClient(
            base_url=self._intake, timeout=10, headers=self._headers
        ) as client:
            async with asyncio.TaskGroup() as tasks:
                for waiting in await self._admitted(client):
                    tasks.create_task(self._discharge_later(client, waiting))
                while True:
                    if self._mllp_port and self._random.random() < 0.5:
                        stay = await self._guarded(self._admit_by_hl7(client))
                        if stay:
                            tasks.create_task(self._discharge_by_hl7_later(*stay))
                        await asyncio.sleep(self._interval * self._random.uniform(0.5, 1.5))
                        continue
                    admitted = await self._guarded(self._admit(client))
                    if admitted:
                        tasks.create_task(self._discharge_later(client, admitted))
                    await asyncio.sleep(self._interval * self._random.uniform(0.5, 1.5))

    async def _guarded(self, call: Awaitable[T]) -> T | None:
        try:
            return await call
        except (httpx.HTTPError, KeyError, OSError, TimeoutError, ValueError) as error:
            self.stats.errors += 1
            self.stats.last_error = f"{type(error).__name__}: {error}"
            return None

    async def _admitted(self, client: httpx.AsyncClient) -> list[str]:
        response = await client.get("/episodes", params={"status": "admitted", "limit": 1000})
        return [episode["episode_id"] for episode in response.json()] if response.is_success else []

    async def _admit(self, client: httpx.AsyncClient) -> str:
        consent = self._random.random() < 0.85
        body = {
            "mrn": f"DEMO-{secrets.token_hex(4).upper()}",
            "given_name": self._random.choice(GIVEN),
            "family_name": self._random.choice(FAMILY),
            "branch": self._random.choice(BRANCHES),
            "ward": self._random.choice(("ward-a", "ward-b", "ward-c")),
            "visit_number": f"V{secrets.token_hex(5).upper()}",
            "language": self._random.choice(LANGUAGES),
            "consent": {
                "status": "given",
                "text_version": "v1",
                "text_language": "bn",
                "recorded_by": "ehr-simulator",
            }
            if consent
            else None,
        }
        response = await client.post("/admissions", json=body)
        response.raise_for_status()
        self.stats.admitted += 1
        return str(response.json()["episode"]["episode_id"])

    async def _send_hl7(self, raw: bytes) -> bool:
        """Send over MLLP; True once intake answered AA (it has committed the message)."""
        assert self._mllp_port is not None
        async with MllpClient("127.0.0.1", self._mllp_port) as mllp:
            acks = await mllp.send(raw)
        if ack_code(acks[-1]) != "AA":
            raise ValueError(f"HL7 answer {ack_code(acks[-1])}")
        return True

    async def _admit_by_hl7(self, client: httpx.AsyncClient) -> tuple[str, str, str, str]:
        mrn, visit = f"DEMO-{secrets.token_hex(4).upper()}", f"V{secrets.token_hex(5).upper()}"
        branch = self._random.choice(BRANCHES)
        ward = self._random.choice(("ward-a", "ward-b", "ward-c"))
        await self._send_hl7(
            hl7_samples.admission(
                control_id=secrets.token_hex(8),
                mrn=mrn,
                visit=visit,
                branch=branch,
                ward=ward,
                family=self._random.choice(FAMILY),
                given=self._random.choice(GIVEN),
                language=self._random.choice(LANGUAGES),
            )
        )
        self.stats.admitted += 1
        self.stats.admitted_by_hl7 += 1
        if self._random.random() < 0.85:  # staff record consent with the patient afterwards
            mrn_key = {"authority": "SAATHI", "type": "MR", "value": mrn}
            found = await client.get("/patients", params=mrn_key)
            found.raise_for_status()
            patient_ref = found.json()["patient_ref"]
            await self._record_preferences(client, patient_ref)
            consent = await client.put(
                f"/patients/{patient_ref}/consent",
                json={
                    "status": "given",
                    "text_version": "v1",
                    "text_language": "bn",
                    "recorded_by": "ward-coordinator",
                },
            )
            consent.raise_for_status()
        return mrn, visit, branch, ward

    async def _record_preferences(self, client: httpx.AsyncClient, patient_ref: str) -> None:
        """In the consent conversation the coordinator notes what the patient hopes for in a
        mentor (in matching, once the admission has reached it)."""
        if not self._matching:
            return
        body = {
            "lived_experience": self._random.sample(AREAS, self._random.choice((1, 2))),
            "age_band": self._random.choice(AGE_BANDS),
            "mentor_gender": "female" if self._random.random() < 0.1 else None,
            "recorded_by": "ward-coordinator",
        }
        url = f"{self._matching}/patients/{patient_ref}/preferences"
        for _ in range(25):  # the admission reaches matching within a moment
            response = await client.put(url, json=body)
            if response.status_code != 404:
                response.raise_for_status()
                return
            await asyncio.sleep(0.2)

    async def _discharge_by_hl7_later(self, mrn: str, visit: str, branch: str, ward: str) -> None:
        await asyncio.sleep(self._random.uniform(*self._stay))
        message = hl7_samples.discharge(
            control_id=secrets.token_hex(8), mrn=mrn, visit=visit, branch=branch, ward=ward
        )
        if await self._guarded(self._send_hl7(message)):
            self.stats.discharged += 1

    async def _discharge_later(self, client: httpx.AsyncClient, episode_id: str) -> None:
        await asyncio.sleep(self._random.uniform(*self._stay))
        await self._guarded(self._discharge(client, episode_id))

    async def _discharge(self, client: httpx.AsyncClient, episode_id: str) -> None:
        response = await client.post(
            f"/episodes/{episode_id}/discharge", json={"disposition": "home"}
        )
        if response.status_code == 409:
            return
        response.raise_for_status()
        self.stats.discharged += 1
        if self._random.random() < 0.05:  # a discharge entered in error, then cancelled
            await asyncio.sleep(2)
            cancel = await client.post(f"/episodes/{episode_id}/cancel-discharge")
            cancel.raise_for_status()
            self.stats.discharges_cancelled += 1
            await self._discharge_later(client, episode_id)
