"""Notify's consumers, assembled from its features (alerts only, for now; dead letters are
watched by `notify.alerts.deadletters`, a listener, since they are not contracts)."""

from collections.abc import Sequence

from notify.alerts import consumers as alerts
from notify.alerts.options import AlertOptions
from shared.consumer import ConsumerSpec


def consumer_specs(options: AlertOptions) -> Sequence[ConsumerSpec]:
    """Durable consumers over sessions', matching's and aftercare's streams."""
    return [*alerts.consumer_specs(options)]
