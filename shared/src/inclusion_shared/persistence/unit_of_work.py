"""One transaction per command or consumed event: the state change and the events it causes
commit together, or not at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from inclusion_shared.events.registry import EventData
from inclusion_shared.faults import crash_point
from inclusion_shared.persistence.outbox import Cause, NewEvent, Outbox
from inclusion_shared.persistence.pool import Connection


class UnitOfWork:
    """The open transaction a handler works in, and the events it has decided to emit."""

    def __init__(self, connection: Connection, outbox: Outbox, cause: Cause) -> None:
        self.connection = connection
        self.cause = cause
        self._outbox = outbox
        self._pending: list[NewEvent] = []

    def emit(self, type_: str, subject: str, data: EventData) -> None:
        """Queue an event; it is appended to the outbox just before the transaction commits."""
        self._pending.append(NewEvent(type_, subject, data))

    def take_pending(self) -> list[NewEvent]:
        """The events queued so far, handed to whoever appends them (the consumer appends a
        whole poll's at once); the unit of work then holds none."""
        pending, self._pending = self._pending, []
        return pending

    async def flush(self) -> None:
        """Append the queued events; they take their chain places as the transaction commits."""
        await self._outbox.append(self.connection, self._pending, self.cause)
        self._pending.clear()


@asynccontextmanager
async def unit_of_work(
    pool: asyncpg.Pool, outbox: Outbox, cause: Cause
) -> AsyncIterator[UnitOfWork]:
    """Open a transaction; on a clean exit append the emitted events and commit."""
    async with pool.acquire() as connection, connection.transaction():
        work = UnitOfWork(connection, outbox, cause)
        yield work
        await work.flush()
    crash_point("unit_of_work.after_commit")
