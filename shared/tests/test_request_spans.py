"""A request makes one server span, ours, whatever FastAPI would add of its own."""

from __future__ import annotations

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from inclusion_shared.observability.tracing import configure_tracing
from inclusion_shared.web.app import http_app

EXPORTER = InMemorySpanExporter()


def test_a_request_is_one_server_span_and_nothing_else_of_fastapis() -> None:
    configure_tracing("tests", None, SimpleSpanProcessor(EXPORTER))
    app = http_app("spans", "1")

    @app.get("/plans/{number}")
    async def plan(number: int) -> dict[str, int]:
        return {"number": number}

    with TestClient(app) as client:
        assert client.get("/plans/7").status_code == 200
        assert client.get("/plans/not-a-number").status_code == 422
    mine = [span for span in EXPORTER.get_finished_spans() if "/plans/" in span.name]
    assert [(span.name, span.kind) for span in mine] == [
        ("GET /plans/7", SpanKind.SERVER),
        ("GET /plans/not-a-number", SpanKind.SERVER),
    ]
