"""Running an HTTP command: one transaction for the state change, the events it causes and the
stored answer to its ``Idempotency-Key``, so a replayed request is answered once and applied
once. A problem raised by the handler rolls everything back: nothing is half-written."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

from fastapi import Request
from fastapi.responses import JSONResponse

from inclusion_shared.auth import Principal
from inclusion_shared.events.envelope import Actor
from inclusion_shared.persistence.outbox import Cause
from inclusion_shared.persistence.unit_of_work import UnitOfWork, unit_of_work
from inclusion_shared.web.problems import Conflict, Problem

IDEMPOTENCY_HEADER = "idempotency-key"
CORRELATION_HEADER = "x-correlation-id"

Handler = Callable[[UnitOfWork], Awaitable[tuple[int, dict[str, Any]]]]


async def run_command(request: Request, principal: Principal, handler: Handler) -> JSONResponse:
    """Run ``handler`` in a unit of work, honouring the request's ``Idempotency-Key``."""
    service = request.app.state.service
    body = await request.body()
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not 1 <= len(key) <= 200:
        raise Problem("the Idempotency-Key header must be 1 to 200 characters")
    cause = Cause(
        correlation_id=_correlation_id(request),
        actor=Actor(role=principal.role.value, id=principal.subject),
    )
    fingerprint = hashlib.sha256(
        request.method.encode() + request.url.path.encode() + body
    ).hexdigest()
    async with unit_of_work(service.pool, service.outbox, cause) as work:
        if key is not None:
            stored = await _claim(work, principal.subject, key, fingerprint)
            if stored is not None:
                return JSONResponse(
                    stored[1], status_code=stored[0], headers={"Idempotent-Replay": "true"}
                )
        status, answer = await handler(work)
        if key is not None:
            await work.connection.execute(
                """INSERT INTO idempotency_keys (key, subject, request_hash, status_code, response)
                   VALUES ($1, $2, $3, $4, $5)""",
                key,
                principal.subject,
                fingerprint,
                status,
                json.dumps(answer, default=str),
            )
    return JSONResponse(answer, status_code=status)


async def _claim(
    work: UnitOfWork, subject: str, key: str, fingerprint: str
) -> tuple[int, Any] | None:
    # Taking a transaction-scoped lock on the key makes a concurrent replay wait for the first
    # request to commit, then see its stored answer.
    await work.connection.execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))", f"idempotency:{subject}:{key}"
    )
    row = await work.connection.fetchrow(
        """SELECT request_hash, status_code, response FROM idempotency_keys
           WHERE subject = $1 AND key = $2""",
        subject,
        key,
    )
    if row is None:
        return None
    if row["request_hash"] != fingerprint:
        raise Conflict("this Idempotency-Key was already used for a different request")
    return row["status_code"], json.loads(row["response"])


def _correlation_id(request: Request) -> UUID:
    given = request.headers.get(CORRELATION_HEADER)
    try:
        return UUID(given) if given else uuid4()
    except ValueError:
        raise Problem(f"the {CORRELATION_HEADER} header must be a UUID") from None
