"""Every label the mentor and supervisor screens use exists in English and Bengali, and the
Bengali is not the English copied over."""

import json
import re
from pathlib import Path

import pytest

CONSOLE = Path(__file__).resolve().parents[2] / "services/console/src/console"
# Labels built from a value at render time: every value the services can send.
BUILT = {
    "mentor": [
        *(f"mentor.kind.{kind}" for kind in ("introduction", "one_to_one")),
        *(f"mentor.status.{s}" for s in ("scheduled", "completed", "cancelled", "missed")),
        *(f"mentor.due.{state}" for state in ("overdue", "due", "soon", "later")),
        *(f"mentor.flagged_{outcome}" for outcome in ("alerted", "nobody_on_duty")),
    ],
    "supervisor": [
        *(f"supervisor.certification.{s}" for s in ("valid", "expires_soon", "expired", "missing")),
        *(f"supervisor.scale.{score}" for score in range(1, 6)),
    ],
}


def _labels(screen: str, language: str) -> dict[str, str]:
    return json.loads((CONSOLE / f"locales/{screen}/{language}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("screen", sorted(BUILT))
def test_every_label_a_screen_uses_is_in_both_languages(screen: str) -> None:
    used = set(BUILT[screen])
    for template in (CONSOLE / "templates" / screen).glob("*.html"):
        found = re.findall(rf'\bt\("({screen}\.[a-z0-9_.]+)"', template.read_text())
        used |= {key for key in found if not key.endswith((".", "_"))}  # built ones: in BUILT
    english, bengali = _labels(screen, "en"), _labels(screen, "bn")
    assert used - english.keys() == set()
    assert english.keys() == bengali.keys()
    assert all(key.startswith(f"{screen}.") for key in english)


@pytest.mark.parametrize("screen", sorted(BUILT))
def test_the_bengali_labels_are_in_bengali_script(screen: str) -> None:
    bengali = _labels(screen, "bn")
    scripted = [key for key, text in bengali.items() if re.search("[\u0980-\u09ff]", text)]
    # Only a bare digit may look the same; everything with words is written in Bengali.
    assert set(bengali) - set(scripted) == set()
