"""A bound on every request body: a larger one is refused with a 413 problem response before
more than the limit is read, whether it announces its length or streams without one."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inclusion_shared.web.problems import MEDIA_TYPE, Problem

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class TooLarge(Problem):
    status, kind, title = 413, "too-large", "Request too large"


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = TooLarge(f"a request body may be at most {self.max_bytes} bytes")
        announced = dict(scope["headers"]).get(b"content-length")
        if announced is not None and (not announced.isdigit() or int(announced) > self.max_bytes):
            await _refuse(problem, scope, send)
            return
        # Read (at most the limit) before the app does: what it reads then is in memory anyway,
        # and the app's body parsing would turn a refusal raised mid-read into a 400.
        chunks, received = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > self.max_bytes:
                await _refuse(problem, scope, send)
                return
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _refuse(problem: Problem, scope: Scope, send: Send) -> None:
    body = json.dumps(problem.body(scope.get("path", ""))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
