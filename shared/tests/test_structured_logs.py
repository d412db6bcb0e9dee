"""Logs are JSON lines that carry the trace id, so a log line leads to its trace."""

from __future__ import annotations

import json
import logging

from inclusion_shared.observability.logging import JsonFormatter
from inclusion_shared.observability.tracing import configure_tracing, current_traceparent, tracer


def test_a_log_line_inside_a_span_carries_its_trace_id() -> None:
    configure_tracing("funding", None)
    record = logging.makeLogRecord(
        {"msg": "decision recorded", "levelname": "INFO", "application": "app-1"}
    )

    with tracer().start_as_current_span("record decision") as span:
        line = json.loads(JsonFormatter("funding").format(record))
        traceparent = current_traceparent()

    assert line["message"] == "decision recorded"
    assert line["service"] == "funding"
    assert line["application"] == "app-1"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert traceparent is not None and line["trace_id"] in traceparent
