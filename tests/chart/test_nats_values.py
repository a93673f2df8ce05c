"""deploy/helm/nats-values.yaml, the overlay for the official NATS chart, gives Saathi what the
code expects of its server: the users and permissions of shared.nats_permissions, R3 on disk,
fsync before an ack, and the monitoring port KEDA reads."""

import pytest
import yaml

from chart.render import CHART
from shared.nats_permissions import USERS, user_permissions

pytestmark = pytest.mark.chart

OVERLAY = yaml.safe_load((CHART.parent / "nats-values.yaml").read_text())


def test_every_user_has_the_permissions_the_code_declares() -> None:
    users = OVERLAY["config"]["merge"]["authorization"]["users"]
    assert [user["user"] for user in users] == list(USERS)
    for user in users:
        assert user["permissions"] == user_permissions(user["user"]), user["user"]
        variable = f"{user['user'].upper()}_NATS_PASSWORD"
        assert user["password"] == f"<< ${variable} >>"
        secret = OVERLAY["container"]["env"][variable]["valueFrom"]["secretKeyRef"]
        assert secret == {"name": "nats-users", "key": user["user"]}


def test_jetstream_is_a_durable_cluster_of_three() -> None:
    config = OVERLAY["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["fileStore"]["pvc"]["enabled"] is True
    assert config["jetstream"]["merge"]["sync_interval"] == "always"
    assert config["nats"]["tls"]["merge"]["verify"] is True


def test_keda_reads_the_monitoring_port_the_overlay_opens() -> None:
    chart_values = yaml.safe_load((CHART / "values.yaml").read_text())
    endpoint = chart_values["autoscaling"]["keda"]["natsMonitoringEndpoint"]
    assert endpoint.endswith(f":{OVERLAY['config']['monitor']['port']}")
