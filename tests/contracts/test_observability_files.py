"""The alerting rules and Grafana dashboards the chart ships speak of metrics the code really
exports (with labels it really sets), every alert has a severity, a summary and a runbook
section that exists, and every dashboard is valid Grafana JSON that any namespace can use."""

import importlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY

ROOT = Path(__file__).parents[2]
FILES = ROOT / "deploy" / "helm" / "saathi" / "files"
RULES = FILES / "alerts" / "saathi.yaml"
DASHBOARDS = sorted((FILES / "dashboards").glob("*.json"))
RUNBOOKS = ROOT / "docs" / "deploy" / "runbooks.md"
# Each app module imports every feature, and with it every metric the service defines.
APPS = ("intake.app", "matching.app", "sessions.app", "aftercare.app", "notify.app", "console.app")
# Labels Prometheus adds to every series it scrapes from a pod.
TARGET_LABELS = {"namespace", "job", "pod", "instance", "container", "endpoint", "le"}
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}
# What the issue asks ops can see: lag and pending per durable, outbox age, dead letters, HTTP
# rate/errors/latency, admission to match, MLLP ACK latency, unacknowledged crises.
ASKED_FOR = (
    "saathi_consumer_pending_messages",
    "saathi_consumer_ack_pending_messages",
    "saathi_outbox_oldest_age_seconds",
    "saathi_events_dead_lettered_total",
    "saathi_http_requests_total",
    "saathi_http_request_duration_seconds_bucket",
    "saathi_admission_to_match_seconds_bucket",
    "saathi_hl7_ack_seconds_bucket",
    "saathi_crises_unacknowledged_overdue",
)
SELECTOR = re.compile(r"\b(saathi_[a-z0-9_]+)(?:\{([^}]*)\})?")


@cache
def exported() -> dict[str, set[str]]:
    """Every sample name the services export, with the label names it carries."""
    for module in APPS:
        importlib.import_module(module)
    names: dict[str, set[str]] = {}
    # prometheus_client lists neither its collectors nor their label names publicly.
    for collector in list(REGISTRY._collector_to_names):
        describe = getattr(collector, "describe", None)
        if describe is None or not hasattr(collector, "_labelnames"):
            continue
        for family in describe():
            labels = set(collector._labelnames)
            for suffix in SUFFIXES.get(family.type, ("",)):
                names[family.name + suffix] = labels
    return names


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_exprs(board: dict[str, Any]) -> list[str]:
    return [t["expr"] for panel in board["panels"] for t in panel.get("targets", [])]


def anchors(markdown: str) -> set[str]:
    """Heading ids as mkdocs makes them (lower case, punctuation dropped, spaces to dashes)."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", h).strip().lower()) for h in headings}


def check_metrics(exprs: list[str], where: str) -> None:
    """Each saathi_ metric exists, each label a selector names is one it has, and each label
    an aggregation keeps (`by (...)`) is one of the expression's metrics has."""
    known = exported()
    for expr in exprs:
        has = set(TARGET_LABELS)
        for name, selector in SELECTOR.findall(expr):
            assert name in known, f"{where}: {name} is not a metric the services export"
            used = set(re.findall(r"(\w+)\s*[=!]~?", selector))
            unknown = used - known[name] - TARGET_LABELS
            assert not unknown, f"{where}: {name} has no label {sorted(unknown)}"
            has |= known[name]
        for labels in re.findall(r"\bby \(([^)]*)\)", expr):
            kept = {label.strip() for label in labels.split(",")}
            assert kept <= has, f"{where}: no metric here has {sorted(kept - has)}"


def test_the_exported_metrics_include_what_the_issue_asks_for():
    assert {*ASKED_FOR, "saathi_readiness_check_ok"} <= set(exported())


def test_every_alert_watches_exported_metrics_and_says_what_to_do():
    runbook_anchors = anchors(RUNBOOKS.read_text())
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names)), "alert names are unique"
    for rule in rules():
        name = rule["alert"]
        check_metrics([rule["expr"]], name)
        assert rule["labels"]["severity"] in ("critical", "warning"), name
        notes = rule["annotations"]
        assert notes["summary"] and notes["description"], name
        page, _, anchor = notes["runbook_url"].partition("#")
        assert page == "docs/deploy/runbooks.md" and anchor == name.lower(), name
        assert anchor in runbook_anchors, f"{name}: no section #{anchor} in {RUNBOOKS.name}"


def test_the_alerts_cover_what_the_issue_asks_for():
    watched = " ".join(rule["expr"] for rule in rules())
    for metric in (
        "saathi_consumer_pending_messages",
        "saathi_events_dead_lettered_total",
        "saathi_crises_unacknowledged_overdue",
        "saathi_outbox_oldest_age_seconds",
        "saathi_http_requests_total",
        "saathi_hl7_ack_seconds_bucket",
        "saathi_hl7_ack_seconds_count",
        "saathi_readiness_check_ok",
        "up",
    ):
        assert re.search(rf"\b{metric}\b", watched), metric
    crisis = [r for r in rules() if "saathi_crises_unacknowledged_overdue" in r["expr"]]
    assert crisis and all(r["labels"]["severity"] == "critical" for r in crisis)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_each_dashboard_is_grafana_json_for_any_namespace(path: Path):
    board = json.loads(path.read_text())
    assert board["uid"] == path.stem and board["title"] and board["schemaVersion"] >= 38
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert {"namespace", "job"} <= set(variables)
    for panel in board["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert all(t["datasource"]["uid"] == "${datasource}" for t in panel["targets"])
    exprs = dashboard_exprs(board)
    assert exprs and all('namespace=~"$namespace"' in expr for expr in exprs)
    assert not re.search(r'namespace="', path.read_text()), "no namespace is written in"
    check_metrics(exprs, path.name)


def test_dashboards_have_distinct_uids_and_show_the_alerted_metrics():
    boards = [json.loads(path.read_text()) for path in DASHBOARDS]
    assert len({b["uid"] for b in boards}) == len(boards) >= 2
    shown = " ".join(expr for board in boards for expr in dashboard_exprs(board))
    for metric in ASKED_FOR:
        assert metric in shown, metric
