"""The outbox relay: publishes a service's committed events to Kafka in commit order.

One leader per service holds a PostgreSQL advisory lock on a dedicated connection; it wakes on
LISTEN/NOTIFY and polls as a fallback. After each batch is acknowledged by Kafka (acks=all) it
records where every event landed. A crash between publishing and recording re-publishes the same
events on restart: duplicates on the wire, which inboxes absorb and the audit tolerates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from opentelemetry.trace import SpanKind

from inclusion_shared.audit.checkpoints import CheckpointSigner
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS
from inclusion_shared.events.envelope import CONTENT_TYPE
from inclusion_shared.faults import crash_point
from inclusion_shared.observability.tracing import current_traceparent, span_continuing
from inclusion_shared.persistence.outbox import notify_channel

log = logging.getLogger(__name__)

Connect = Callable[[], Awaitable[asyncpg.Connection]]


class Relay:
    def __init__(
        self,
        chain: str,
        connect: Connect,
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        checkpoints: CheckpointSigner | None = None,
    ) -> None:
        self.chain = chain
        self.connect = connect
        self.producer = producer
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.checkpoints = checkpoints
        self.is_leader = False
        self._wake = asyncio.Event()
        self._head: tuple[int, str] | None = None

    async def run(self, stopping: asyncio.Event) -> None:
        """Lead and publish until ``stopping`` is set; survives database and broker outages."""
        while not stopping.is_set():
            try:
                await self._lead(stopping)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError) as error:
                log.warning("relay interrupted, retrying", extra={"error": repr(error)})
            self.is_leader = False
            await _wait(stopping, self.poll_interval)

    async def _lead(self, stopping: asyncio.Event) -> None:
        connection = await self.connect()
        try:
            if not await connection.fetchval(
                "SELECT pg_try_advisory_lock(hashtext($1))", f"relay:{self.chain}"
            ):
                return
            self.is_leader = True
            await connection.add_listener(notify_channel(self.chain), self._on_notify)
            head = await connection.fetchrow(
                """SELECT d.seq, o.hash FROM outbox_delivery d JOIN outbox o USING (seq)
                   ORDER BY d.seq DESC LIMIT 1"""
            )
            cursor = head["seq"] if head else 0
            self._head = (head["seq"], head["hash"]) if head else None
            while not stopping.is_set():
                self._wake.clear()
                published, cursor = await self.publish_batch(connection, cursor)
                await self._sign_if_due()
                if published < self.batch_size:
                    await _wait_any(stopping, self._wake, self.poll_interval)
        finally:
            await connection.close()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def publish_batch(self, connection: asyncpg.Connection, cursor: int) -> tuple[int, int]:
        """Publish the events after ``cursor``; returns how many, and the new cursor."""
        rows = await connection.fetch(
            """SELECT seq, topic, key, payload, traceparent, hash FROM outbox
               WHERE seq > $1 ORDER BY seq LIMIT $2""",
            cursor,
            self.batch_size,
        )
        if not rows:
            return 0, cursor
        deliveries = []
        for row in rows:
            with span_continuing(f"{row['topic']} publish", row["traceparent"], SpanKind.PRODUCER):
                headers = [("content-type", CONTENT_TYPE.encode())]
                traceparent = current_traceparent()
                if traceparent:
                    headers.append(("traceparent", traceparent.encode()))
                delivery = await self.producer.send(
                    row["topic"], value=row["payload"], key=row["key"].encode(), headers=headers
                )
            deliveries.append(delivery)
        landed = await asyncio.gather(*deliveries)
        crash_point("relay.after_publish")
        await connection.executemany(
            "INSERT INTO outbox_delivery (seq, kafka_partition, kafka_offset) VALUES ($1, $2, $3)",
            [
                (row["seq"], meta.partition, meta.offset)
                for row, meta in zip(rows, landed, strict=True)
            ],
        )
        self._head = (rows[-1]["seq"], rows[-1]["hash"])
        return len(rows), rows[-1]["seq"]

    async def _sign_if_due(self) -> None:
        """Sign the published chain head into the checkpoints topic when it is time."""
        if (
            self.checkpoints is None
            or self._head is None
            or not self.checkpoints.due(self._head[0])
        ):
            return
        checkpoint = self.checkpoints.sign(*self._head)
        await self.producer.send_and_wait(
            AUDIT_CHECKPOINTS.name, value=checkpoint.to_bytes(), key=self.chain.encode()
        )


async def _wait(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)


async def _wait_any(stopping: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waits = [asyncio.create_task(stopping.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()
