"""Policy tests on the rendered Helm chart (make chart-check)."""
