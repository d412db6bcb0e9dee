"""OpenTelemetry set-up and W3C trace-context propagation through the outbox and Kafka headers.

Exporting is off unless an OTLP endpoint is configured; spans are still created so the trace
id reaches logs and events.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

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


@functools.cache
def tracer() -> trace.Tracer:
    """The suite's tracer, looked up once: a lookup costs more than a span on hot paths. Before
    a provider is installed this is a proxy that follows the provider installed later."""
    return trace.get_tracer("inclusion")


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the active span, or None outside any span. Formatted here
    rather than through the global propagator: the consumer asks once per event."""
    span_context = trace.get_current_span().get_span_context()
    return format_traceparent(span_context) if span_context.is_valid else None


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


def context_from(traceparent: str | None) -> Context:
    """The trace context a stored or received ``traceparent`` continues."""
    if not traceparent:
        return context.get_current()
    parent = parse_traceparent(traceparent)
    return trace.set_span_in_context(NonRecordingSpan(parent)) if parent else Context()


@contextmanager
def span_continuing(
    name: str, traceparent: str | None, kind: trace.SpanKind
) -> Iterator[trace.Span]:
    """A span that continues the trace named by ``traceparent`` (from a row or a header)."""
    with tracer().start_as_current_span(name, context=context_from(traceparent), kind=kind) as span:
        yield span


def parse_traceparent(traceparent: str | None) -> SpanContext | None:
    """A W3C ``traceparent`` (version 00) as a remote span context, or None if it is not one.
    The relay parses one per event, so this is a split rather than the propagator's regex."""
    parts = traceparent.split("-") if traceparent else ()
    if len(parts) != 4 or parts[0] != "00" or [len(part) for part in parts[1:]] != [32, 16, 2]:
        return None
    try:
        trace_id, span_id, flags = int(parts[1], 16), int(parts[2], 16), int(parts[3], 16)
    except ValueError:
        return None
    if not (trace_id and span_id):
        return None
    return SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(flags & 0xFF))


def format_traceparent(span_context: SpanContext) -> str:
    ids, flags = span_context, span_context.trace_flags
    return f"00-{ids.trace_id:032x}-{ids.span_id:016x}-{flags:02x}"


@contextmanager
def producer_span(name: str, traceparent: str | None) -> Iterator[str | None]:
    """A PRODUCER span continuing the stored ``traceparent``; yields the header to send.

    Made for a loop over many rows: no propagator, no context attach. A trace its caller did not
    sample gets no span; its header passes on unchanged, as W3C trace context asks."""
    parent = parse_traceparent(traceparent)
    if parent is not None and not parent.trace_flags.sampled:
        yield traceparent
        return
    parent_context = trace.set_span_in_context(NonRecordingSpan(parent)) if parent else Context()
    span = tracer().start_span(name, context=parent_context, kind=trace.SpanKind.PRODUCER)
    try:
        span_context = span.get_span_context()
        yield format_traceparent(span_context) if span_context.is_valid else None
    finally:
        span.end()


def headers_traceparent(headers: Mapping[str, bytes] | None) -> str | None:
    if not headers:
        return None
    value = headers.get(_TRACEPARENT)
    return value.decode() if value else None
