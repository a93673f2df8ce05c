"""saathi-bench: its options, its tables, its profile summary and its CPU and history records
say what an operator reading them expects."""

import json
import os
import time
from pathlib import Path

import pytest
from rich.console import Console

from saathi_stack.bench import databases, parse_args
from saathi_stack.bench_cpu import phase_cpu, process_cpu_seconds
from saathi_stack.bench_databases import postgres_template
from saathi_stack.bench_history import append_history, run_context
from saathi_stack.bench_profile import summarise
from saathi_stack.bench_reports import report


def test_defaults_are_the_issue_sizes_on_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("SAATHI_DATABASE_URL_TEMPLATE", "BENCH_ADMISSIONS", "BENCH_BACKLOG"):
        monkeypatch.delenv(variable, raising=False)
    args = parse_args([])
    assert (args.admissions, args.backlog, args.database, args.profile) == (
        20_000,
        100_000,
        "sqlite",
        False,
    )
    assert databases(args) == ("sqlite",)


def test_both_databases_run_sqlite_first_then_postgresql() -> None:
    args = parse_args(["--database", "both", "--backlog", "5000", "--admissions", "2000"])
    assert databases(args) == ("sqlite", "postgresql")
    assert (args.backlog, args.admissions) == (5000, 2000)


def test_a_url_template_in_the_environment_means_postgresql(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAATHI_DATABASE_URL_TEMPLATE", "postgresql+asyncpg://u@db/b_{service}")
    assert parse_args([]).database == "postgresql"
    assert postgres_template("postgresql+asyncpg://other@host/x").endswith("/b_{service}")


def test_bench_databases_get_a_fresh_name_per_service_on_the_given_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SAATHI_DATABASE_URL_TEMPLATE", raising=False)
    template = postgres_template("postgresql://postgres:secret@127.0.0.1:5432/test")
    url = template.format(service="matching")
    assert url.startswith("postgresql+asyncpg://postgres:secret@127.0.0.1:5432/saathi_bench_")
    assert url.endswith("_matching")
    assert template != postgres_template("postgresql://postgres:secret@127.0.0.1:5432/test")


def test_an_unknown_database_is_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--database", "oracle"])


def _run(per_s: float, p99_ms: float, drained: int, drain_s: float, rss: float) -> dict:
    cpu = {"intake": {"cpu_s": 2.0, "ms_per_admission": 1.0}}
    return {
        "admissions": 2000,
        "rate": 200.0,
        "mentors": 500,
        "saathi_per_s": per_s,
        "saathi_p50_ms": 10.0,
        "saathi_p99_ms": p99_ms,
        "achieved_rate": 199.0,
        "backlog": {
            "admissions": 5000,
            "queue_s": 10.0,
            "queue_per_s": 500.0,
            "drained": drained,
            "drain_s": drain_s,
        },
        "memory_mib": {"intake": (rss, rss + 5)},
        "cpu": {"sustained": cpu, "backlog drain": cpu},
    }


def _results() -> dict:
    return {
        **run_context(),
        "databases": ["sqlite", "postgresql"],
        "baseline": {"per_s": 8000.0, "p50_ms": 6.0, "p99_ms": 12.0},
        "stack": {
            "sqlite": _run(1200.0, 40.0, 5000, 30.0, 120.0),
            "postgresql": _run(46.0, 900.0, 3000, float("nan"), 160.0),
        },
    }


def test_the_table_shows_both_databases_side_by_side_with_targets() -> None:
    console = Console(record=True, width=240)
    report(_results(), console)
    text = console.export_text()
    assert "SQLite" in text and "PostgreSQL" in text and "raw JetStream 2-hop" in text
    sustained = next(line for line in text.splitlines() if "sustained admissions/s" in line)
    assert "1,200" in sustained and "46" in sustained and "8,000" in sustained
    drain = next(line for line in text.splitlines() if "backlog drain" in line)
    assert "30.0 s" in drain and "3,000 drained, then gave up" in drain
    assert "2.0 s (1.0 ms)" in text  # CPU seconds (ms per admission) per service and phase


def test_figures_are_green_when_they_meet_the_target_and_red_when_not() -> None:
    console = Console(record=True, width=240, force_terminal=True, color_system="standard")
    report(_results(), console)
    styled = console.export_text(styles=True)
    assert "\x1b[32m" in styled and "1,200" in styled  # SQLite meets ≥ 1,000/s
    assert "\x1b[31m" in styled  # PostgreSQL's 46/s, 900 ms and 160 MiB miss theirs


FOLDED = [
    "main (svc/app.py:3);handle (svc/h.py:9);execute (sqlalchemy/orm/session.py:10) 6",
    "main (svc/app.py:3);handle (svc/h.py:9);execute (sqlalchemy/orm/session.py:12) 2",
    "main (svc/app.py:3);encode (pydantic/main.py:5) 2",
    "_bootstrap (threading.py:1);_worker (concurrent/futures/thread.py:81) 90",
]


def test_profile_summary_ranks_own_time_per_function_and_skips_waiting_threads() -> None:
    summary = summarise(FOLDED)
    assert summary["samples"] == 10
    assert summary["top_own"][0] == ("execute (sqlalchemy/orm/session.py)", 0.8)
    assert summary["library_share"]["SQLAlchemy ORM"] == {"own": 0.8, "inclusive": 0.8}
    assert summary["library_share"]["pydantic"]["own"] == pytest.approx(0.2)
    assert summary["library_share"]["nats"] == {"own": 0.0, "inclusive": 0.0}


def test_process_cpu_seconds_follows_the_work_a_process_does() -> None:
    before_proc, before = process_cpu_seconds(os.getpid()), time.process_time()
    while time.process_time() - before < 0.2:
        sum(range(10_000))
    assert process_cpu_seconds(os.getpid()) - before_proc >= 0.15


def test_phase_cpu_counts_a_service_started_during_the_phase_from_zero() -> None:
    phase = phase_cpu({"intake": 10.0}, {"intake": 12.0, "matching": 3.0}, 1000)
    assert phase["intake"] == {"cpu_s": 2.0, "ms_per_admission": 2.0}
    assert phase["matching"] == {"cpu_s": 3.0, "ms_per_admission": 3.0}


def test_every_run_is_appended_to_the_history_with_date_revision_and_machine(
    tmp_path: Path,
) -> None:
    history = tmp_path / ".bench" / "history.jsonl"
    append_history({**run_context(), "databases": ["sqlite"]}, history)
    append_history({**run_context(), "databases": ["postgresql"]}, history)
    runs = [json.loads(line) for line in history.read_text().splitlines()]
    assert [run["databases"] for run in runs] == [["sqlite"], ["postgresql"]]
    assert runs[0]["machine"]["cores"] == os.cpu_count()
    assert {"date", "revision"} <= runs[0].keys()
    assert {"cpu_model", "python"} <= runs[0]["machine"].keys()
