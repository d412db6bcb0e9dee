"""Helpers for the suite's tests: a sample event contract, a migrated schema, reading a topic
from offset 0, and waiting for a condition with a deadline (never a bare sleep)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from inclusion_shared.events.catalogue import Topic
from inclusion_shared.events.envelope import GENESIS_HASH, Actor, CloudEvent
from inclusion_shared.events.registry import ContractRegistry, EventData
from inclusion_shared.persistence.migrate import migrate
from inclusion_shared.persistence.outbox import DEFAULT_DEPLOYMENT, Cause, NewEvent, Outbox
from inclusion_shared.persistence.pool import create_pool

TEST_ACTOR = Actor(role="kcc-officer", id="officer-test")


class CaseNoted(EventData):
    """A sample payload: which case, and which step of it (to check order)."""

    case: str
    step: int


def sample_contracts(service: str) -> tuple[ContractRegistry, Topic, str]:
    """A registry with one event type on a topic of its own: ``(registry, topic, type)``."""
    topic = Topic(service, "case")
    registry = ContractRegistry()
    event_type = f"{service}.case.noted"
    registry.register(event_type, topic, CaseNoted)
    return registry, topic, event_type


def command_cause() -> Cause:
    return Cause(correlation_id=uuid4(), actor=TEST_ACTOR)


class UpstreamService:
    """Publishes events straight to Kafka as another service would (sealed, chained), for tests
    of a consumer without running the producing service."""

    def __init__(
        self, name: str, producer: AIOKafkaProducer, deployment: str | None = None
    ) -> None:
        # Tests name their own deployment (see the root conftest.py), never the demo's.
        deployment = deployment or os.environ.get("DEPLOYMENT", DEFAULT_DEPLOYMENT)
        self.outbox = Outbox(name, deployment=deployment)
        self.producer = producer
        self.seq, self.previous = 0, GENESIS_HASH

    async def publish(self, event_type: str, subject: str, data: EventData) -> CloudEvent:
        self.seq += 1
        cause = Cause(correlation_id=uuid4(), actor=Actor(role="service", id=self.outbox.service))
        event = self.outbox.seal(
            NewEvent(event_type, subject, data),
            cause,
            self.seq,
            self.previous,
            datetime.now(UTC),
            None,
        )
        self.previous = event.chainhash
        await self.redeliver(event)
        return event

    async def redeliver(self, event: CloudEvent) -> None:
        """Send an already published event again, as at-least-once delivery may."""
        topic = self.outbox.contracts[event.type].topic.name
        await self.producer.send_and_wait(topic, value=event.to_bytes(), key=event.subject.encode())


async def migrated_pool(database_url: str, schema: str) -> asyncpg.Pool:
    pool = await create_pool(database_url, schema)
    await migrate(pool, schema, None)
    return pool


async def eventually(
    check: Callable[[], Awaitable[Any]], *, within: float = 30.0, every: float = 0.1
) -> Any:
    """Poll ``check`` until it answers something truthy; at the deadline, fail with its answer."""
    deadline = time.monotonic() + within
    answer: Any = None
    while time.monotonic() < deadline:
        answer = await check()
        if answer:
            return answer
        await asyncio.sleep(every)
    raise AssertionError(f"condition not met within {within}s; last answer: {answer!r}")


async def read_topic(
    bootstrap_servers: str, topic: str, *, within: float = 30.0
) -> list[ConsumerRecord]:
    """Every record of a topic from offset 0 up to its end as it is now, in no consumer group."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, number) for number in await _partitions(consumer, topic)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        deadline = time.monotonic() + within
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            if time.monotonic() > deadline:
                raise AssertionError(f"{topic}: could not read to the end within {within}s")
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    async def known() -> set[int] | None:
        await consumer._client.force_metadata_update()
        return consumer.partitions_for_topic(topic)  # type: ignore[no-any-return]

    found: set[int] = await eventually(known, within=10)
    return found


async def join_at_the_end(bootstrap_servers: str, group: str, topics: list[str]) -> None:
    """Commit a consumer group's offsets at its topics' ends, so a service started in a test
    reads only what the test publishes, not every earlier run on a shared broker."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        cluster = await consumer._client.fetch_all_metadata()
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in cluster.partitions_for_topic(topic) or ()
        ]
        if partitions:
            consumer.assign(partitions)
            await consumer.commit(dict(await consumer.end_offsets(partitions)))
    finally:
        await consumer.stop()
