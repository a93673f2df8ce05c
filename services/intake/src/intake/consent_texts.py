"""The peer-support consent texts staff show patients, by version and language."""

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
