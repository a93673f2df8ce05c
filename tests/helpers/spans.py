"""Spans the services finish in this process, kept in memory for a test to read."""

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shared.tracing import configure_tracing

_exporter: InMemorySpanExporter | None = None


def span_recorder() -> InMemorySpanExporter:
    """The process's in-memory exporter, emptied (installed on first use on the SDK provider
    the services configure)."""
    global _exporter
    if _exporter is None:
        configure_tracing("tests")  # the services' own call is then a no-op
        provider = trace.get_tracer_provider()
        assert isinstance(provider, TracerProvider), "an SDK tracer provider is installed"
        _exporter = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(_exporter))
    _exporter.clear()
    return _exporter


def named(recorder: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    """The finished spans called `name`."""
    return [span for span in recorder.get_finished_spans() if span.name == name]
