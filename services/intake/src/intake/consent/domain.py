"""Consent rules, pure (no I/O): the peer-support consent texts staff show patients, by version
and language; how an answer changes a stay's consent; when a readmission carries it over."""

from datetime import datetime, timedelta

from shared.contracts.intake import ConsentAnswer, EpisodeState, StayConsentState
from shared.errors import Invalid

# (version, language) → title shown with the text. A new wording is a new version; old ones
# stay so recorded decisions keep pointing at what the patient actually read.
CONSENT_TEXTS: dict[tuple[str, str], str] = {
    ("v1", "en"): "Peer support: talking with a trained peer mentor who has lived experience",
    ("v1", "bn"): "সহমর্মী সহায়তা: অভিজ্ঞতাসম্পন্ন প্রশিক্ষিত সহমর্মী পরামর্শদাতার সঙ্গে কথা বলা",
    ("v1", "hi"): "सहकर्मी सहायता: अनुभव वाले प्रशिक्षित सहकर्मी मार्गदर्शक से बात करना",
    ("v2", "en"): "Peer support and aftercare groups after discharge",
    ("v2", "bn"): "সহমর্মী সহায়তা এবং ছুটির পরে আফটারকেয়ার দল",
}


def check_consent_text(version: str, language: str) -> None:
    """Refuse a consent that names a text the patient cannot have been shown."""
    if (version, language) not in CONSENT_TEXTS:
        known = ", ".join(f"{v}/{lang}" for v, lang in sorted(CONSENT_TEXTS))
        raise Invalid(f"no consent text {version!r} in language {language!r}; known texts: {known}")


def change_consent(
    current: StayConsentState | None,
    episode: EpisodeState,
    answer: tuple[ConsentAnswer, str, str],
    at: datetime,
    carried_over_from: str | None = None,
) -> StayConsentState | None:
    """The stay's new consent state for `answer` (status, text version, text language), or
    None when it repeats the current one (nothing to announce). An answer recorded at this stay
    replaces one carried over from the stay before."""
    status, text_version, text_language = answer
    if current and (
        current.status,
        current.text_version,
        current.text_language,
        current.carried_over_from,
    ) == (status, text_version, text_language, carried_over_from):
        return None
    return StayConsentState(
        version=(current.version + 1) if current else 1,
        episode_id=episode.episode_id,
        patient_ref=episode.patient_ref,
        status=status,
        text_version=text_version,
        text_language=text_language,
        recorded_at=at,
        carried_over_from=carried_over_from,
    )


def carries_over(
    previous_status: str | None,
    previous_discharged_at: datetime | None,
    admitted_at: datetime,
    window: timedelta,
) -> bool:
    """Whether a readmission starts with the consent of the stay before it: only a `given`
    consent, only within the hospital's window after that stay's discharge (0: never)."""
    if window <= timedelta(0) or previous_status != "given" or previous_discharged_at is None:
        return False
    return admitted_at - previous_discharged_at <= window
