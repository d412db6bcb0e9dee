"""Raw asyncpg transactions doing what one consumed event costs the database: the inbox row,
the handler's state, and one outbox append (chain head locked, row inserted, head moved, NOTIFY).
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
from inclusion_shared.persistence.outbox import notify_channel

INSERT_INBOX = """INSERT INTO inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true"""
LOCK_HEAD = "SELECT chain, seq, hash FROM chain_head WHERE chain = current_schema() FOR UPDATE"
INSERT_OUTBOX = """INSERT INTO outbox (seq, event_id, event_type, topic, key, payload, prev_hash,
                                   hash, traceparent)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"""
MOVE_HEAD = "UPDATE chain_head SET seq = $2, hash = $3 WHERE chain = $1"
NOTIFY = "SELECT pg_notify($1, '')"


@dataclass(frozen=True)
class Incoming:
    """A consumed event reduced to what the transaction writes."""

    event_id: UUID
    data: ApplicationSubmitted


async def raw_transactions(
    database_url: str, schema: str, incoming: Sequence[Incoming], outgoing: bytes, topic: str
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
                head = await connection.fetchrow(LOCK_HEAD)
                assert head is not None
                seq = head["seq"] + 1
                digest = f"{seq:064x}"
                await connection.execute(
                    INSERT_OUTBOX,
                    seq,
                    uuid4(),
                    "funding.allocation.committed",
                    topic,
                    event.data.application_id,
                    outgoing,
                    head["hash"],
                    digest,
                    None,
                )
                await connection.execute(MOVE_HEAD, head["chain"], seq, digest)
                await connection.execute(NOTIFY, notify_channel(head["chain"]))
            took.append(clock() - begun)
        return took
    finally:
        await connection.close()
