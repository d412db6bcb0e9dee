"""The kit's InboxConsumer handling consumed events: once as a service runs it (FastStream
subscriber, each poll's records applied in one transaction, offsets committed after it), and
once fed directly, poll by poll, which leaves out Kafka and shows what the kit adds to the
database's own cost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from logging import StreamHandler
from pathlib import Path
from typing import TextIO

import asyncpg

from bench.handler import create_state, on_application_submitted
from bench.stats import clock
from inclusion_shared.contracts.funding import APPLICATION_SUBMITTED
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import ContractRegistry, EventData
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import Delivery, InboxConsumer, Outcome
from inclusion_shared.messaging.kafka import idempotent_producer, subscriber_broker
from inclusion_shared.persistence.outbox import Outbox
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.testing import migrated_pool


async def consumer_pool(database_url: str, schema: str) -> asyncpg.Pool:
    """A schema with the kit's tables and the handler's state table."""
    pool = await migrated_pool(database_url, schema)
    async with pool.acquire() as connection:
        await create_state(connection)
    return pool


@dataclass
class Handled:
    """When the handler first ran and how often, so the bench need not poll the database
    (which would load the machine it measures) until the last event is being applied."""

    expected: int
    first: float = math.nan
    calls: int = 0
    all_called: asyncio.Event = field(default_factory=asyncio.Event)

    def note(self) -> None:
        if not self.calls:
            self.first = clock()
        self.calls += 1
        if self.calls >= self.expected:
            self.all_called.set()


def inbox_consumer(
    name: str, registry: ContractRegistry, deployment: str, handled: Handled
) -> InboxConsumer:
    """The consumer with the bench handler, noting each call in ``handled``."""
    consumer = InboxConsumer(
        name,
        Outbox(name, contracts=registry, deployment=deployment, own_topics_only=False),
        contracts=registry,
    )

    @consumer.on(APPLICATION_SUBMITTED.type)
    async def handle(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        handled.note()
        await on_application_submitted(work, event, data)

    return consumer


async def fed_directly(
    kafka: KafkaSettings,
    database_url: str,
    schema: str,
    consumer: InboxConsumer,
    events: Sequence[CloudEvent],
) -> float:
    """Seconds for ``InboxConsumer.finish_all`` to apply every event, in polls as full as a
    busy topic gives them."""
    topic = consumer.topics[0]
    deliveries = [
        Delivery(topic, 0, offset, event.subject.encode(), event.to_bytes(), {})
        for offset, event in enumerate(events)
    ]
    pool = await consumer_pool(database_url, schema)
    producer = idempotent_producer(kafka, f"{consumer.name}-dead-letters")
    await producer.start()
    try:
        consumer.bind(pool, producer)
        poll = consumer.max_poll_records
        begun = clock()
        for start in range(0, len(deliveries), poll):
            outcomes = await consumer.finish_all(deliveries[start : start + poll])
            assert set(outcomes) == {Outcome.PROCESSED}, outcomes
        return clock() - begun
    finally:
        await producer.stop()
        await pool.close()


async def through_faststream(
    kafka: KafkaSettings,
    database_url: str,
    schema: str,
    consumer: InboxConsumer,
    handled: Handled,
    log_file: Path,
    within: float,
) -> float:
    """Seconds from the first event handled to the last applied, consuming the expected events
    already on the consumer's topic the way a service's broker does."""
    pool = await consumer_pool(database_url, schema)
    producer = idempotent_producer(kafka, f"{consumer.name}-dead-letters")
    await producer.start()
    try:
        with log_file.open("a") as log, _faststream_logs_to(log):
            broker = subscriber_broker(kafka, client_id=f"inclusion-{consumer.name}")
            consumer.bind(pool, producer)
            consumer.subscribe(broker)
            await broker.start()
            try:
                await asyncio.wait_for(handled.all_called.wait(), within)
                # The last transactions may still be committing.
                async with pool.acquire() as connection:
                    applied = "SELECT count(*) FROM inbox"
                    deadline = clock() + within
                    while await connection.fetchval(applied) < handled.expected:
                        if clock() > deadline:
                            raise TimeoutError(f"the last events were not applied in {within}s")
                        await asyncio.sleep(0.002)
                    ended = clock()
            finally:
                await consumer.commit_processed()
                await broker.stop()
        return ended - handled.first
    finally:
        await producer.stop()
        await pool.close()


@contextlib.contextmanager
def _faststream_logs_to(log: TextIO) -> Iterator[None]:
    """FastStream logs every message to stdout, as in a service; here that goes to a file.

    Its per-message logger is created on whatever ``sys.stdout`` is when the broker starts."""
    base = [h for h in logging.getLogger("faststream").handlers if isinstance(h, StreamHandler)]
    previous = [handler.setStream(log) for handler in base]
    try:
        with contextlib.redirect_stdout(log):
            yield
    finally:
        for handler, stream in zip(base, previous, strict=True):
            handler.setStream(stream)
        for name in logging.root.manager.loggerDict:
            if name.startswith("faststream"):
                named = logging.getLogger(name)
                for attached in list(named.handlers):
                    if isinstance(attached, StreamHandler) and attached.stream is log:
                        named.removeHandler(attached)
