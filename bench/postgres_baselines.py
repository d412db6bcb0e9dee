"""Raw asyncpg transactions doing what one consumed event costs the database: the inbox row,
the handler's state, and one outbox append (the event inserted unsealed; the kit's trigger seals
it at commit, moves the chain head and notifies the relay).
The statements are the kit's own (``messaging/consumer.py``, ``persistence/outbox.py``) and the
bench handler's; the values are prepared beforehand, so only the database round trips remain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

import asyncpg

from bench.handler import SAVE_APPLICATION
from bench.stats import clock
from inclusion_shared.contracts.funding import ApplicationSubmitted
from inclusion_shared.messaging.consumer import INSERT_INBOX
from inclusion_shared.persistence.outbox import APPEND, Unsealed


@dataclass(frozen=True)
class Incoming:
    """A consumed event reduced to what the transaction writes."""

    event_id: UUID
    data: ApplicationSubmitted


async def raw_transactions(
    database_url: str, schema: str, incoming: Sequence[Incoming], outgoing: Unsealed, topic: str
) -> list[float]:
    """Seconds each transaction took, one after another on one connection."""
    connection = await asyncpg.connect(database_url, server_settings={"search_path": schema})
    try:
        took: list[float] = []
        for offset, event in enumerate(incoming):
            begun = clock()
            async with connection.transaction():
                await connection.fetchval(INSERT_INBOX, "raw", event.event_id, topic, 0, offset)
                await connection.execute(
                    SAVE_APPLICATION,
                    event.data.application_id,
                    event.data.area.value,
                    event.data.submitted_on,
                )
                await connection.execute(
                    APPEND,
                    [uuid4()],
                    [outgoing.type],
                    [topic],
                    [event.data.application_id],
                    [outgoing.head],
                    [outgoing.tail],
                    [None],
                )
            took.append(clock() - begun)
        return took
    finally:
        await connection.close()
