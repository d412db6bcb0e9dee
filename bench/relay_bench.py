"""The kit's outbox relay publishing a backlog: rows appended by the kit's Outbox beforehand,
then the Relay (leader lock, LISTEN, batches, idempotent producer, delivery rows) timed until
Kafka has acknowledged and the relay has recorded every one."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from uuid import uuid4

import asyncpg
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from bench.kafka_baselines import Record
from bench.stats import clock
from inclusion_shared.events.envelope import Actor
from inclusion_shared.events.registry import ContractRegistry
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import relay_producer
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.outbox import Cause, NewEvent, Outbox
from inclusion_shared.testing import migrated_pool

APPEND_BATCH = 500


@dataclass(frozen=True)
class Backlog:
    schema: str
    count: int


async def fill_outbox(
    database_url: str,
    schema: str,
    registry: ContractRegistry,
    deployment: str,
    events: Iterable[NewEvent],
    sampled_every: int,
) -> Backlog:
    """Append events through the kit's Outbox, many to a transaction (not timed).

    As in a service, each event carries the traceparent of the command that made it, one trace
    per command; one command in ``sampled_every`` was sampled where it came in."""
    outbox = Outbox(schema, contracts=registry, deployment=deployment, own_topics_only=False)
    cause = Cause(correlation_id=uuid4(), actor=Actor(role="service", id="bench"))
    pool = await migrated_pool(database_url, schema)
    count = 0
    try:
        pending: list[NewEvent] = []
        async with pool.acquire() as connection:
            for new in [*events, None]:
                if new is not None:
                    pending.append(new)
                if pending and (new is None or len(pending) == APPEND_BATCH):
                    async with connection.transaction():
                        for one in pending:
                            with _command_trace(sampled=count % sampled_every == 0):
                                count += len(await outbox.append(connection, [one], cause))
                    pending = []
    finally:
        await pool.close()
    return Backlog(schema, count)


@contextlib.contextmanager
def _command_trace(*, sampled: bool) -> Iterator[None]:
    """The trace context of one command, sampled or not by the service that took it."""
    flags = TraceFlags(TraceFlags.SAMPLED if sampled else TraceFlags.DEFAULT)
    command = SpanContext(random.getrandbits(128), random.getrandbits(64), False, flags)
    token = otel_context.attach(trace.set_span_in_context(NonRecordingSpan(command)))
    try:
        yield
    finally:
        otel_context.detach(token)


async def backlog_records(database_url: str, backlog: Backlog, topic_prefix: str) -> list[Record]:
    """The backlog as the raw producer sends it: same keys and payloads, topics renamed."""
    connection = await asyncpg.connect(
        database_url, server_settings={"search_path": backlog.schema}
    )
    try:
        rows = await connection.fetch("SELECT topic, key, payload FROM outbox ORDER BY seq")
    finally:
        await connection.close()
    return [
        Record(
            f"{topic_prefix}.{row['topic'].split('.', 1)[1]}",
            row["key"].encode(),
            row["payload"],
        )
        for row in rows
    ]


async def relay_backlog(
    kafka: KafkaSettings, database_url: str, backlog: Backlog, batch_size: int, within: float
) -> float:
    """Seconds for the kit's Relay to publish and record the whole backlog."""

    async def connect() -> asyncpg.Connection:
        return await asyncpg.connect(database_url, server_settings={"search_path": backlog.schema})

    watcher = await connect()
    stopping = asyncio.Event()
    try:
        relay = Relay(
            backlog.schema,
            connect,
            lambda: relay_producer(kafka, f"{backlog.schema}-relay"),
            batch_size=batch_size,
        )
        await relay.warm_up()
        begun = clock()
        running = asyncio.create_task(relay.run(stopping))
        deadline = begun + within
        while (await watcher.fetchval("SELECT max(seq) FROM outbox_delivery") or 0) < backlog.count:
            if running.done() or clock() > deadline:
                raise TimeoutError(f"the relay did not publish {backlog.count} in {within}s")
            await asyncio.sleep(0.02)  # an index lookup, rarely: little load on the box
        took = clock() - begun
        stopping.set()
        await running
        return took
    finally:
        stopping.set()
        await watcher.close()
