"""The aftercare screen's pure parts: bar geometry on one scale, the month window and sums over
branches, figures in Bengali digits, and the CSV behind each chart (header row, ASCII digits,
no formula cells)."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from console.aftercare import charts, csv_export, view
from console.web.i18n import Translator

LOCALES = Path(charts.__file__).parents[1] / "locales" / "aftercare"


def row(branch: str, month: str, **counts: int) -> dict:
    return {"branch": branch, "month": month, **dict.fromkeys(view.COUNTS, 0), **counts}


def test_horizontal_bars_share_one_scale_and_write_their_values_after_the_bar():
    chart = charts.horizontal([("", [("discharged", 10), ("enrolled", 5), ("waitlisted", 0)])])
    full, half, none = chart.bars
    assert full.width == chart.width - charts.NAMES - charts.VALUES
    assert half.width == full.width / 2
    assert none.width == 0  # nothing drawn for nobody, its value still written
    assert [b.label_x for b in chart.bars] == [b.x + b.width + 6 for b in chart.bars]
    assert full.y < half.y < none.y and chart.height > none.y + none.height
    assert chart.headings == ()


def test_a_small_count_is_never_a_sliver_and_groups_get_headings():
    chart = charts.horizontal([("kol-a", [("discharged", 1000)]), ("kol-b", [("discharged", 1)])])
    assert [h.text for h in chart.headings] == ["kol-a", "kol-b"]
    assert chart.bars[1].width == charts.MIN_BAR
    assert [b.group for b in chart.bars] == ["kol-a", "kol-b"]
    assert chart.headings[1].y < chart.bars[1].y  # the heading sits above its branch's bars


def test_nothing_to_count_draws_empty_bars_without_dividing_by_zero():
    chart = charts.horizontal([("", [("discharged", 0)])])
    assert chart.bars[0].width == 0
    assert charts.vertical([("2026-01", [("discharged", 0)])]).columns[0].bars[0].height == 0


def test_upright_bars_stand_on_the_baseline_with_their_value_above():
    chart = charts.vertical(
        [("2026-01", [("discharged", 8), ("readmitted_30_day", 2)]), ("2026-02", [("d", 4)])]
    )
    january, february = chart.columns
    tall, short = january.bars
    assert tall.y + tall.height == chart.baseline == short.y + short.height
    assert tall.height == 4 * short.height
    assert tall.label_y < tall.y and short.x > tall.x
    assert january.x < february.x and january.label_y > chart.baseline
    assert max(b.x + b.width for c in chart.columns for b in c.bars) <= chart.width


def test_the_window_is_the_twelve_months_up_to_the_chosen_one():
    choice = view.choose("2026-03", "", date(2026, 12, 5))
    assert choice.branch is None and choice.branch_column == "all"
    assert choice.months[0] == "2025-04" and choice.months[-1] == "2026-03"
    assert len(choice.months) == 12
    assert view.choose(None, "kol-behala", date(2026, 12, 5)).month == "2026-12"
    assert choice.query() == "branch=&month=2026-03"


@pytest.mark.parametrize(
    ("month", "branch"), [("2026-13", None), ("March", None), ("2026-03", "x y")]
)
def test_a_bad_month_or_branch_is_refused_with_what_to_give(month, branch):
    with pytest.raises(view.BadChoice, match=r"month must look like|branch code"):
        view.choose(month, branch, date(2026, 12, 5))


def test_sums_over_branches_per_month_and_per_branch():
    rows = [
        row("kol-a", "2026-02", discharged=3, enrolled=2),
        row("kol-b", "2026-02", discharged=1, readmitted_30_day=1),
        row("kol-a", "2026-01", discharged=5),
    ]
    choice = view.Choice("2026-02", None)
    total = view.summed(rows, "2026-02", "all")
    assert (total["discharged"], total["enrolled"], total["readmitted_30_day"]) == (4, 2, 1)
    months = view.by_month(rows, choice)
    assert [m["discharged"] for m in months[-2:]] == [5, 4] and months[0]["discharged"] == 0
    assert [(b["branch"], b["discharged"]) for b in view.by_branch(rows, choice)] == [
        ("kol-a", 3),
        ("kol-b", 1),
    ]


def test_figures_are_written_in_bengali_digits_for_bengali_readers():
    bengali = view.Figures(Translator("bn", "Asia/Kolkata"))
    assert bengali.number(1234) == "১,২৩৪"
    assert bengali.share(2, 3) == "৬৭%" and bengali.share(1, 0) == "—"
    assert bengali.month("2026-03") == "মার্চ ২০২৬"
    english = view.Figures(Translator("en", "Asia/Kolkata"))
    assert english.month("2026-03") == "March 2026" and english.number(1234) == "1,234"
    assert english.month("2026-12", "LLL") == "Dec"


def test_the_csv_has_a_header_row_and_plain_ascii_counts():
    choice = view.Choice("2026-02", None)
    text = csv_export.to_csv([row("kol-a", "2026-02", discharged=12, enrolled=9)])
    assert text.isascii()
    [parsed] = list(csv.DictReader(io.StringIO(text)))
    assert list(parsed) == list(csv_export.COLUMNS)
    assert (parsed["discharged"], parsed["enrolled"], parsed["branch"]) == ("12", "9", "kol-a")
    assert csv_export.filename("funnel", choice) == "saathi-aftercare-funnel-2026-02-all.csv"


def test_the_csv_never_writes_a_cell_a_spreadsheet_would_run():
    text = csv_export.to_csv([row("=HYPERLINK(1)", "2026-02")])
    assert "'=HYPERLINK(1)" in text
    with pytest.raises(ValueError):
        csv_export.to_csv([row("kol-a", "2026-02", discharged="=1+1")])  # type: ignore[arg-type]


def test_both_languages_label_the_same_things():
    english = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))
    bengali = json.loads((LOCALES / "bn.json").read_text(encoding="utf-8"))
    assert set(english) == set(bengali) and all(k.startswith("aftercare.") for k in english)
    steps = {f"aftercare.step.{step}" for step in (*view.FUNNEL_STEPS, *view.BRANCH_STEPS)}
    assert steps <= set(english)
