"""Read Prometheus samples as a scrape of `/metrics` shows them (the registry is per process, so
tests compare a value before and after what they do)."""

from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families


def value(name: str, **labels: str) -> float:
    """The sample `name{labels}` in this process's registry, 0 when it was never set."""
    found = REGISTRY.get_sample_value(name, labels)
    return 0.0 if found is None else found


def scraped(text: str, name: str, **labels: str) -> float | None:
    """The sample `name{labels}` in a `/metrics` page, None when the page lacks it."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None
