"""A server span per HTTP request, continuing the caller's ``traceparent`` if it sent one, so a
request, the events it causes and the work they cause elsewhere form one trace."""

from __future__ import annotations

from opentelemetry.trace import SpanKind
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inclusion_shared.observability.tracing import span_continuing


class TraceRequests:
    """ASGI middleware: one span per request, named by method and route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/health/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        traceparent = headers.get(b"traceparent")
        name = f"{scope['method']} {scope['path']}"
        with span_continuing(
            name, traceparent.decode() if traceparent else None, SpanKind.SERVER
        ) as span:
            span.set_attribute("http.request.method", scope["method"])

            async def record_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            await self.app(scope, receive, record_status)
