"""Consent HTTP bodies: a patient's answer about peer support, and the texts staff show."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import LanguageCode


class ConsentRequest(BaseModel):
    """A patient's answer about peer support, recorded by staff with them."""

    model_config = ConfigDict(extra="forbid", strict=True)  # as every request: no typo passes

    status: Literal["given", "declined", "withdrawn"]
    text_version: str = Field(min_length=1, max_length=32)
    text_language: LanguageCode
    recorded_by: str = Field(min_length=1, max_length=200)


class ConsentText(BaseModel):
    """A consent text staff can show, by version and language."""

    version: str
    language: str
    title: str


class ConsentView(BaseModel):
    """A patient's answer about peer support for one stay; `carried_over_from` names the earlier
    stay a readmission's consent was carried over from."""

    episode_id: str
    patient_ref: str
    status: str
    text_version: str
    text_language: str
    recorded_by: str
    recorded_at: datetime
    carried_over_from: str | None
    version: int
