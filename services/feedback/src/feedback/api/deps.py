"""What every feedback route needs: the service's vault, today's date, the caller's id as a
response records it, the pool for queries, and where a page of a list starts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import asyncpg
from asyncpg.transaction import Transaction
from fastapi import Request
from pydantic import TypeAdapter

from feedback.domain.values import Code, PseudonymousId
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.pool import Connection

# The sort keys of the lists, read from a cursor (PageRequest.after_as): ids, codes, days.
BY_ID: TypeAdapter[tuple[str]] = TypeAdapter(tuple[PseudonymousId])
BY_CODE: TypeAdapter[tuple[str]] = TypeAdapter(tuple[Code])
BY_DAY_AND_ID: TypeAdapter[tuple[date, str]] = TypeAdapter(tuple[date, PseudonymousId])


def vault(request: Request) -> PersonalDataVault:
    found: PersonalDataVault = request.app.state.vault
    return found


def pool(request: Request) -> asyncpg.Pool:
    found: asyncpg.Pool = request.app.state.service.pool
    return found


def one_snapshot(connection: Connection) -> Transaction:
    """A read-only transaction whose queries all see the same committed responses, so that the
    tables of one answer count the same responses."""
    return connection.transaction(isolation="repeatable_read", readonly=True)


def today() -> date:
    """Responses and moderation are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()
