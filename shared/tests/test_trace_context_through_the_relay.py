"""How the relay carries a command's trace onto Kafka: a span per event of a sampled trace, the
caller's header untouched for a trace it did not sample, a new trace for a row without one."""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from inclusion_shared.observability.tracing import (
    configure_tracing,
    parse_traceparent,
    producer_span,
)

EXPORTER = InMemorySpanExporter()
SAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
NOT_SAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"


def setup_module() -> None:
    provider = configure_tracing("tests", None, SimpleSpanProcessor(EXPORTER))
    assert isinstance(provider, TracerProvider)


def spans_named(name: str) -> list[object]:
    return [span for span in EXPORTER.get_finished_spans() if span.name == name]


def test_an_event_of_a_sampled_command_is_published_in_a_span_of_the_commands_trace() -> None:
    with producer_span("funding.budget.v1 publish", SAMPLED) as header:
        assert header is not None
    sent = parse_traceparent(header)
    command = parse_traceparent(SAMPLED)
    assert sent is not None and command is not None
    assert sent.trace_id == command.trace_id
    assert sent.span_id != command.span_id
    assert sent.trace_flags.sampled
    (span,) = [
        s
        for s in EXPORTER.get_finished_spans()
        if s.name == "funding.budget.v1 publish" and s.context.span_id == sent.span_id
    ]
    assert span.kind is SpanKind.PRODUCER
    assert span.parent is not None and span.parent.span_id == command.span_id


def test_a_command_the_service_did_not_sample_passes_its_header_on_and_makes_no_span() -> None:
    before = len(spans_named("placements.request.v1 publish"))
    with producer_span("placements.request.v1 publish", NOT_SAMPLED) as header:
        assert header == NOT_SAMPLED
    assert len(spans_named("placements.request.v1 publish")) == before


def test_a_row_without_a_trace_starts_one_of_its_own() -> None:
    for stored in (None, "", "not-a-traceparent", "00-" + "0" * 32 + "-" + "0" * 16 + "-01"):
        with producer_span("reviews.cycle.v1 publish", stored) as header:
            assert header is not None
        started = parse_traceparent(header)
        assert started is not None and started.trace_flags.sampled


def test_traceparents_that_are_not_w3c_version_00_are_not_parsed() -> None:
    for text in (
        None,
        "",
        "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
        "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01",
    ):
        assert parse_traceparent(text) is None
    parsed = parse_traceparent(SAMPLED)
    assert parsed is not None and parsed.is_remote
