"""The outbox relay: publishes a service's committed events to Kafka in commit order.

One leader per service holds a PostgreSQL advisory lock on a dedicated connection; it wakes on
LISTEN/NOTIFY and polls as a fallback. After each batch is acknowledged by Kafka (acks=all) it
records where every event landed. A crash between publishing and recording re-publishes the same
events on restart: duplicates on the wire, which inboxes absorb and the audit tolerates.

Per key, the first copy of each event on the wire comes in commit order, failures included. The
relay owns its producer (``relay_producer``: queued batches never expire), and the moment any
delivery fails it fails everything that producer still holds (``fail_pending``), then publishes
again from its cursor through a new producer: nothing sent before the failure can be overtaken
by something that was behind it.

The events of a relay batch are built into one Kafka record batch per partition (the partition
the producer's own partitioner picks for the key) and each is handed to the producer whole: a
future, a partitioner call and a trip through the accumulator per Kafka batch, not per event.
An event's offset is its batch's base offset plus its place in the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder
from aiokafka.structs import RecordMetadata

from inclusion_shared.audit.checkpoints import CheckpointSigner
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS
from inclusion_shared.events.envelope import CONTENT_TYPE
from inclusion_shared.faults import crash_point, fault_point
from inclusion_shared.messaging.kafka import abandon, fail_pending
from inclusion_shared.observability.metrics import EVENTS_PUBLISHED, PRODUCERS_ABANDONED
from inclusion_shared.observability.tracing import parse_traceparent, producer_span
from inclusion_shared.persistence.outbox import REPUBLICATION, notify_channel

log = logging.getLogger(__name__)

_CONTENT_TYPE = ("content-type", CONTENT_TYPE.encode())
_TRACEPARENT = "traceparent"
IN_FLIGHT_BATCHES = 4
_OUTAGES = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError)

Connect = Callable[[], Awaitable[asyncpg.Connection]]
NewProducer = Callable[[], AIOKafkaProducer]


@dataclass
class _KafkaBatch:
    """Events bound for one partition, built into one record batch, then handed over whole."""

    topic: str
    partition: int
    builder: BatchBuilder
    delivery: asyncio.Future[RecordMetadata] | None = None

    def append(self, key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> bool:
        """Add an event, stamped now; False when the batch is full."""
        return (
            self.builder.append(timestamp=None, key=key, value=value, headers=headers) is not None
        )


@dataclass(frozen=True)
class _Sent:
    """A batch handed to the producer: its rows, the Kafka batch and place in it of each row,
    and so Kafka's pending acknowledgements."""

    rows: list[asyncpg.Record]
    placed: list[tuple[_KafkaBatch, int]]

    @property
    def last_seq(self) -> int:
        return int(self.rows[-1]["seq"])


class Relay:
    def __init__(
        self,
        chain: str,
        connect: Connect,
        new_producer: NewProducer,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        checkpoints: CheckpointSigner | None = None,
    ) -> None:
        self.chain = chain
        self.connect = connect
        self.new_producer = new_producer
        self.producer: AIOKafkaProducer | None = None
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.checkpoints = checkpoints
        self.is_leader = False
        self._wake = asyncio.Event()
        self._head: tuple[int, str] | None = None
        self._republication = 0

    async def run(self, stopping: asyncio.Event) -> None:
        """Lead and publish until ``stopping`` is set; survives database and broker outages.
        Any other error is raised, for the supervisor to log and restart."""
        try:
            while not stopping.is_set():
                try:
                    await self._lead(stopping)
                except _OUTAGES as error:
                    log.warning("relay interrupted, retrying", extra={"error": repr(error)})
                    await self._abandon_producer(failed=True)
                except BaseException:
                    await self._abandon_producer(failed=True)
                    raise
                self.is_leader = False
                await _wait(stopping, self.poll_interval)
        finally:
            await self._abandon_producer()

    async def _started_producer(self) -> AIOKafkaProducer:
        if self.producer is None:
            producer = self.new_producer()
            try:
                await producer.start()
            except BaseException:
                await abandon(producer)
                raise
            self.producer = producer
        return self.producer

    async def warm_up(self) -> None:
        """Start the producer and learn the cluster now, not with the first event (benchmarks
        time the relay's publishing, not its connecting)."""
        producer = await self._started_producer()
        await producer.client.fetch_all_metadata()

    async def close(self) -> None:
        """For a relay used through ``publish_batch`` alone; ``run`` closes its own."""
        await self._abandon_producer()

    async def _abandon_producer(self, *, failed: bool = False) -> None:
        """Drop the producer and whatever it still holds: what Kafka acknowledged is recorded
        by now, and the rest is published again, in order, by the next producer."""
        producer, self.producer = self.producer, None
        if producer is not None:
            if failed:
                PRODUCERS_ABANDONED.add(chain=self.chain)
            await abandon(producer)

    async def _lead(self, stopping: asyncio.Event) -> None:
        connection = await self.connect()
        try:
            if not await connection.fetchval(
                "SELECT pg_try_advisory_lock(hashtext($1))", f"relay:{self.chain}"
            ):
                return
            self.is_leader = True
            await connection.add_listener(notify_channel(self.chain), self._on_notify)
            self._republication = await connection.fetchval(f"SELECT {REPUBLICATION}")
            head = await connection.fetchrow(
                """SELECT d.seq, o.hash FROM outbox_delivery d JOIN outbox o USING (seq)
                   WHERE d.republication = $1 ORDER BY d.seq DESC LIMIT 1""",
                self._republication,
            )
            cursor = head["seq"] if head else 0
            self._head = (head["seq"], head["hash"]) if head else None
            # Several batches in flight: the next is read and handed to the producer while Kafka
            # acknowledges the earlier ones, so the broker never waits on the database.
            in_flight: deque[_Sent] = deque()
            interrupted = True
            try:
                while not stopping.is_set():
                    self._wake.clear()
                    sent = await self._send(connection, cursor)
                    if sent is not None:
                        cursor = sent.last_seq
                        in_flight.append(sent)
                    caught_up = sent is None or len(sent.rows) < self.batch_size
                    while in_flight and (caught_up or len(in_flight) > IN_FLIGHT_BATCHES):
                        await self._record(connection, in_flight.popleft())
                    await self._sign_if_due()
                    if caught_up:
                        await _wait_any(stopping, self._wake, self.poll_interval)
                interrupted = False
            finally:
                # Stopping: what Kafka has acknowledged is recorded, so it is not sent again.
                # Interrupted: nothing is, as recording a later batch past one that failed to
                # record would move the cursor past unpublished events; all are sent again.
                with contextlib.suppress(*_OUTAGES):
                    while in_flight and not interrupted and not connection.is_closed():
                        await self._record(connection, in_flight.popleft())
        finally:
            await connection.close()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def publish_batch(self, connection: asyncpg.Connection, cursor: int) -> tuple[int, int]:
        """Publish the events after ``cursor`` and record where they landed; returns how many,
        and the new cursor."""
        sent = await self._send(connection, cursor)
        if sent is None:
            return 0, cursor
        await self._record(connection, sent)
        return len(sent.rows), sent.last_seq

    async def _send(self, connection: asyncpg.Connection, cursor: int) -> _Sent | None:
        """Hand the events after ``cursor`` to the producer, in commit order."""
        rows = await connection.fetch(
            """SELECT seq, topic, key, payload, traceparent, hash FROM outbox
               WHERE seq > $1 ORDER BY seq LIMIT $2""",
            cursor,
            self.batch_size,
        )
        if not rows:
            return None
        producer = await self._started_producer()
        on_delivery = partial(_fail_the_rest_on_failure, producer)
        partitions: dict[str, list[int]] = {}
        building: dict[tuple[str, int], _KafkaBatch] = {}
        placed = []

        async def hand_over(batch: _KafkaBatch) -> None:
            del building[batch.topic, batch.partition]
            batch.builder.close()
            batch.delivery = await producer.send_batch(
                batch.builder, batch.topic, partition=batch.partition
            )
            batch.delivery.add_done_callback(on_delivery)
            crash_point("relay.mid_batch")  # part of a batch handed to the producer, not all

        for row in rows:
            topic, key = row["topic"], row["key"].encode()
            if topic not in partitions:
                partitions[topic] = sorted(await producer.partitions_for(topic))
            partition = _PARTITIONER(key, partitions[topic], None)
            headers = _headers(topic, row["traceparent"])
            batch = building.get((topic, partition))
            if batch is not None and not batch.append(key, row["payload"], headers):
                await hand_over(batch)  # full: the event starts the partition's next batch
                batch = None
            if batch is None:
                batch = _KafkaBatch(topic, partition, producer.create_batch())
                building[topic, partition] = batch
                if not batch.append(key, row["payload"], headers):
                    raise ValueError(f"event {row['seq']} is larger than a Kafka batch")
            placed.append((batch, batch.builder.record_count() - 1))
        for batch in list(building.values()):
            await hand_over(batch)
        return _Sent(rows, placed)

    async def _record(self, connection: asyncpg.Connection, sent: _Sent) -> None:
        """Wait for Kafka's acknowledgements, then record where every event landed."""
        # In send order; by the time the first is acknowledged most of the rest are too.
        landed = {}
        for batch, _ in sent.placed:
            if id(batch) not in landed:
                assert batch.delivery is not None  # every batch was handed over by _send
                landed[id(batch)] = await batch.delivery
        crash_point("relay.after_publish")
        fault_point("relay.before_record", RuntimeError)  # an error nobody foresaw
        # One statement for the batch: arrays, not a round of binds per row.
        await connection.execute(
            """INSERT INTO outbox_delivery (republication, seq, kafka_partition, kafka_offset)
               SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::bigint[])""",
            self._republication,
            [row["seq"] for row in sent.rows],
            [batch.partition for batch, _ in sent.placed],
            [landed[id(batch)].offset + place for batch, place in sent.placed],
        )
        self._head = (sent.rows[-1]["seq"], sent.rows[-1]["hash"])
        EVENTS_PUBLISHED.add(len(sent.rows), chain=self.chain)

    async def _sign_if_due(self) -> None:
        """Sign the published chain head into the checkpoints topic when it is time."""
        if (
            self.checkpoints is None
            or self._head is None
            or not self.checkpoints.due(self._head[0])
        ):
            return
        checkpoint = self.checkpoints.sign(*self._head)
        producer = await self._started_producer()
        await producer.send_and_wait(
            AUDIT_CHECKPOINTS.name, value=checkpoint.to_bytes(), key=self.chain.encode()
        )


_PARTITIONER = DefaultPartitioner()  # the producer's own, so a key lands where send() puts it


def _headers(topic: str, traceparent: str | None) -> list[tuple[str, bytes]]:
    """An event's headers: its content type, and the trace context it continues. A trace its
    command did not sample (most) passes on unchanged without a span."""
    parent = parse_traceparent(traceparent)
    if traceparent is not None and parent is not None and not parent.trace_flags.sampled:
        return [_CONTENT_TYPE, (_TRACEPARENT, traceparent.encode())]
    with producer_span(f"{topic} publish", traceparent) as continued:
        return [_CONTENT_TYPE, (_TRACEPARENT, continued.encode())] if continued else [_CONTENT_TYPE]


def _fail_the_rest_on_failure(
    producer: AIOKafkaProducer, delivery: asyncio.Future[RecordMetadata]
) -> None:
    """Called as each delivery settles: on the first that failed, before the producer's sender
    runs again, nothing else it holds may be written any more."""
    if not delivery.cancelled() and (error := delivery.exception()) is not None:
        fail_pending(producer, error)


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
