"""OpenTelemetry set-up and W3C trace-context propagation through the outbox and Kafka headers.

Exporting is off unless an OTLP endpoint is configured; spans are still created so the trace
id reaches logs and events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_TRACEPARENT = "traceparent"


def configure_tracing(
    service: str, otlp_endpoint: str | None, extra_processor: SpanProcessor | None = None
) -> TracerProvider:
    """Install a tracer provider for the process, exporting over OTLP/HTTP when configured.

    OpenTelemetry allows one provider per process: a second call adds its processors to it.
    """
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        provider = current
    else:
        provider = TracerProvider(
            resource=Resource.create({"service.name": f"inclusion-{service}"})
        )
        trace.set_tracer_provider(provider)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint)))
    if extra_processor is not None:
        provider.add_span_processor(extra_processor)
    return provider


def tracer() -> trace.Tracer:
    return trace.get_tracer("inclusion")


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the active span, or None outside any recording span."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(_TRACEPARENT)


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


def context_from(traceparent: str | None) -> Context:
    """The trace context a stored or received ``traceparent`` continues."""
    if not traceparent:
        return context.get_current()
    return propagate.extract({_TRACEPARENT: traceparent})


@contextmanager
def span_continuing(
    name: str, traceparent: str | None, kind: trace.SpanKind
) -> Iterator[trace.Span]:
    """A span that continues the trace named by ``traceparent`` (from a row or a header)."""
    with tracer().start_as_current_span(name, context=context_from(traceparent), kind=kind) as span:
        yield span


def headers_traceparent(headers: Mapping[str, bytes] | None) -> str | None:
    if not headers:
        return None
    value = headers.get(_TRACEPARENT)
    return value.decode() if value else None
