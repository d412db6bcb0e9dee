"""The demo's HTTP client, made stubborn: a command is sent again (same Idempotency-Key) until a
definite answer comes back, through kills, restarts and outages, and every command is recorded.
A 5xx answer (a service not started, a statement cancelled by a slow database) or no answer at
all leaves the outcome unknown: the command is sent again, as a cut connection would be.

Each command also carries an ``X-Correlation-Id`` derived from its Idempotency-Key, the same on
every retry, so the events it caused can be found in the outbox and on the wire by the oracle.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid5

import httpx

from inclusion_cli.demo.suite import (
    DONE,
    FAILED,
    NOT_KNOWN_YET,
    REPLAYED,
    Caller,
    Outcome,
    Suite,
)

CORRELATIONS = UUID("5f0b3a57-4c1e-4e0f-9d7e-6a1d2c3b4a59")
UNANSWERED = "unanswered"


def correlation_of(idempotency_key: str) -> UUID:
    return uuid5(CORRELATIONS, idempotency_key)


class Unanswered(RuntimeError):
    """No definite answer within the client's patience: the command's fate is unknown."""


@dataclass
class Sent:
    """One command as the load generator sent it, and the answer it finally got."""

    service: str
    method: str
    path: str
    kind: str
    subject: str
    key: str
    correlation: str
    status: str  # done, replayed, already there, refused as expected, failed, unanswered
    http_status: int | None
    attempts: int
    first_sent: float
    answered: float
    problem: str | None = None
    server_errors: int = 0  # answered 5xx (a database too slow, say): unknown, sent again

    @property
    def applied(self) -> bool:
        """Answered 2xx: the service says the command took effect."""
        return self.status in (DONE, REPLAYED)


@dataclass
class CampaignSuite(Suite):
    """A `Suite` whose requests outlast the campaign's faults and whose commands are recorded."""

    give_up_after: float = 600.0
    sent: list[Sent] = field(default_factory=list)
    retries: int = 0
    abandoned: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._attempts = self._server_errors = 0

    def command(
        self,
        service: str,
        method: str,
        path: str,
        *,
        step: str,
        kind: str,
        caller: Caller,
        body: Any = None,
        refusals: Collection[str] = (),
        wait_for: Collection[str] = NOT_KNOWN_YET,
    ) -> Outcome:
        self._attempts = self._server_errors = 0
        started = time.time()
        key = self.idempotency_key(step)
        try:
            outcome = super().command(
                service,
                method,
                path,
                step=step,
                kind=kind,
                caller=caller,
                body=body,
                refusals=refusals,
                wait_for=wait_for,
            )
        except Unanswered:
            outcome = Outcome(step, kind, UNANSWERED)
            self.outcomes.append(outcome)
        problem = outcome.problem_code if outcome.status not in (DONE, REPLAYED) else None
        self.sent.append(
            Sent(
                service=service,
                method=method,
                path=path,
                kind=kind,
                subject=caller.subject,
                key=key,
                correlation=str(correlation_of(key)),
                status=outcome.status,
                http_status=outcome.http_status,
                attempts=self._attempts,
                first_sent=started,
                answered=time.time(),
                problem=problem or (str(outcome.body)[:200] if outcome.status == FAILED else None),
                server_errors=self._server_errors,
            )
        )
        return outcome

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Any,
        params: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        key = headers.get("Idempotency-Key")
        if key is not None:
            headers = {**headers, "X-Correlation-Id": str(correlation_of(key))}
        deadline = time.monotonic() + self.give_up_after
        pause = 0.1
        while True:
            self._attempts += 1
            try:
                response = self._http.request(
                    method, url, headers=headers, json=body, params=params
                )
            except httpx.TransportError:
                pass  # refused while the service restarts, or cut off by a kill: send again
            else:
                if response.status_code < 500:
                    return response
                self._server_errors += 1
            if time.monotonic() > deadline or self.abandoned.is_set():
                raise Unanswered(f"{method} {url}: no answer in {self.give_up_after:.0f} s")
            self.retries += 1
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
