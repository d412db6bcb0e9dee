"""Bursts of requests too large to take, to every service at once. Each is a real command (an
officer's token, an Idempotency-Key, a body the service would accept) padded with whitespace
past the services' 1 MiB limit, sent once with its length announced and once streamed in chunks
with none. Every one must be answered 413; the oracle checks afterwards that none took effect.

Sent on a bare socket, the answer read as the body goes out: a send failing once the service
has refused and closed the connection stops the sending, not the reading (asyncio's streams
would drop an answer not read yet). The announced one asks `Expect: 100-continue`, as careful
uploading clients do, and sends its body only if asked to continue (or after a second's
silence): a service refusing the length answers 413 before any of it is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from faults.client import correlation_of
from faults.load import Stage
from funding.domain.dates import financial_year_of
from inclusion_cli.demo.suite import Suite
from inclusion_shared.kent import Area

OVERSIZED_BYTES = 1024 * 1024 + 256 * 1024  # over the services' 1 MiB HTTP_MAX_BODY_BYTES
CHUNK = 64 * 1024
TOO_LARGE = "too-large"  # the end of the problem's type


@dataclass(frozen=True)
class Oversized:
    """One request too large, and the answer it got (`status` None: none came)."""

    service: str
    method: str
    path: str
    streamed: bool  # chunked, no Content-Length
    subject: str
    key: str
    correlation: str
    status: int | None
    problem: str | None
    sent_at: float
    answered_at: float  # or when the connection ended with no answer

    @property
    def refused(self) -> bool:
        return self.status == 413 and self.problem == TOO_LARGE


def commands(stage: Stage, name: str) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    """Per service, a command it would take if it were small: method, path and body, new
    things named after `name` (a setting, a cycle, a forum view, a far year's budget)."""
    demo = stage.demo
    setting = replace(demo.settings[0], setting_id=f"{demo.prefix}-{name}-setting")
    district = demo.of_kind("mainstream")[0].district
    schools = [s.setting_id for s in demo.of_kind("mainstream", district)][:2]
    far_year = financial_year_of(stage.today + timedelta(days=5 * 366))
    return {
        "placements": ("POST", "/settings", setting.registration()),
        "funding": ("PUT", f"/budgets/{Area.EAST.value}/{far_year}", {"annual_amount_pence": 1}),
        "reviews": (
            "POST",
            "/cycles",
            {
                "cycle_id": f"{demo.prefix}-{name}-cycle",
                "community_id": f"{demo.prefix}-{name}-cos",
                "district": district.value,
                "partnerships": [schools],
            },
        ),
        "feedback": (
            "POST",
            f"/surveys/{stage.forum}/responses",
            {
                "response_id": f"{demo.prefix}-{name}-view",
                "voice": "parent-carer",
                "anonymous": True,
                "consent": {"given": True},
                "district": district.value,
                "answers": [
                    {"kind": "choice", "question_id": "main_concern", "option": "transport"}
                ],
            },
        ),
        "monitoring": ("POST", "/dashboard", None),  # it takes no commands: any path is refused
    }


async def send(
    url: str,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    *,
    streamed: bool,
    within: float = 30.0,
) -> tuple[int | None, str | None]:
    """Send the request, reading the answer while the body goes out; (status, the problem's
    type's last part), or (None, None) if the connection ended with no answer."""
    where = urlsplit(url)
    host, port = where.hostname or "127.0.0.1", where.port or 80
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("Content-Type: application/json")
    if streamed:
        lines.append("Transfer-Encoding: chunked")
    else:
        lines += [f"Content-Length: {len(body)}", "Expect: 100-continue"]
    go_on = asyncio.Event()
    if streamed:
        go_on.set()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as bare:
        bare.setblocking(False)
        connection = _Connection(bare)
        sending: asyncio.Task[None] | None = None
        try:
            async with asyncio.timeout(within):
                await connection.loop.sock_connect(bare, (host, port))
                await connection.send(("\r\n".join(lines) + "\r\n\r\n").encode())
                sending = asyncio.create_task(_send_body(connection, body, streamed, go_on))
                return await _answer(connection, go_on)
        except (OSError, TimeoutError, ValueError, IndexError):
            return None, None
        finally:
            if sending is not None:
                sending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sending


class _Connection:
    """A bare socket, read and written by separate tasks."""

    def __init__(self, bare: socket.socket) -> None:
        self.bare = bare
        self.loop = asyncio.get_running_loop()
        self.buffer = b""

    async def send(self, data: bytes) -> None:
        await self.loop.sock_sendall(self.bare, data)

    async def _more(self) -> bool:
        chunk = await self.loop.sock_recv(self.bare, CHUNK)
        self.buffer += chunk
        return bool(chunk)

    async def readline(self) -> bytes:
        while b"\n" not in self.buffer:
            if not await self._more():
                line, self.buffer = self.buffer, b""
                return line
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line + b"\n"

    async def read(self, size: int) -> bytes:
        while len(self.buffer) < size and await self._more():
            pass
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found


async def _send_body(
    connection: _Connection, body: bytes, streamed: bool, go_on: asyncio.Event
) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(go_on.wait(), 1.0)
    with contextlib.suppress(OSError):  # refused and closed part-way: as it should be
        for start in range(0, len(body), CHUNK):
            chunk = body[start : start + CHUNK]
            await connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk) if streamed else chunk)
        if streamed:
            await connection.send(b"0\r\n\r\n")


async def _answer(connection: _Connection, go_on: asyncio.Event) -> tuple[int | None, str | None]:
    """The final answer, after any `100 Continue` (which lets the body go)."""
    while True:
        status_line = await connection.readline()
        if not status_line:
            return None, None
        status = int(status_line.split()[1])
        length = 0
        while (line := await connection.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if status != 100:
            break
        go_on.set()
    problem = None
    with contextlib.suppress(ValueError, OSError):
        found = json.loads(await connection.read(length)) if length else None
        if isinstance(found, dict):
            problem = str(found.get("type", "")).rsplit("/", 1)[-1]
    return status, problem


def padded(body: dict[str, Any] | None) -> bytes:
    """The command's JSON with whitespace after it: still the same command, but too large."""
    encoded = json.dumps(body).encode()
    return encoded + b" " * (OVERSIZED_BYTES - len(encoded))


@dataclass
class Burst:
    """Sends oversized commands to the services as the stage's officer, with the load's tokens
    and keys (`suite`)."""

    suite: Suite
    stage: Stage
    sent: int = 0

    async def one(self, service: str, streamed: bool) -> Oversized:
        """One oversized command to one service."""
        self.sent += 1
        name = f"oversized-{self.sent}"
        method, path, body = commands(self.stage, name)[service]
        key = self.suite.idempotency_key(name)
        headers = {
            **self.suite.headers(self.stage.officer),
            "Idempotency-Key": key,
            "X-Correlation-Id": str(correlation_of(key)),
        }
        sent_at = time.time()
        status, problem = await send(
            self.suite.urls[service], method, path, headers, padded(body), streamed=streamed
        )
        return Oversized(
            service, method, path, streamed, self.stage.officer.subject, key,
            str(correlation_of(key)), status, problem, sent_at, time.time(),
        )  # fmt: skip
