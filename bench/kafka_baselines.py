"""Raw aiokafka baselines: produce, consume and a ping-pong round trip, with no kit code."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench.stats import clock
from inclusion_shared.messaging.connection import KafkaSettings

# The relay restores a W3C traceparent header on every record; the raw baseline carries one of
# the same size so both put the same bytes on the wire.
HEADERS = [
    ("content-type", b"application/cloudevents+json"),
    ("traceparent", b"00-" + b"1" * 32 + b"-" + b"2" * 16 + b"-01"),
]


@dataclass(frozen=True)
class Record:
    topic: str
    key: bytes
    value: bytes


@dataclass(frozen=True)
class Consumed:
    records: int
    bytes: int
    seconds: float


def raw_producer(kafka: KafkaSettings, *, linger_ms: int = 0) -> AIOKafkaProducer:
    """Idempotent, acks=all: the guarantees the relay's producer has, set by hand."""
    return AIOKafkaProducer(
        **kafka.client_options(),
        enable_idempotence=True,
        acks="all",
        linger_ms=linger_ms,
        max_batch_size=1024 * 1024,
    )


@contextlib.asynccontextmanager
async def started(client: AIOKafkaProducer) -> AsyncIterator[AIOKafkaProducer]:
    await client.start()
    try:
        yield client
    finally:
        await client.stop()


async def produce(kafka: KafkaSettings, records: Sequence[Record]) -> float:
    """Seconds to have every record acknowledged, sending as fast as the client accepts them."""
    async with started(raw_producer(kafka)) as producer:
        await producer.client.fetch_all_metadata()
        begun = clock()
        deliveries = [
            await producer.send(r.topic, value=r.value, key=r.key, headers=HEADERS) for r in records
        ]
        await asyncio.gather(*deliveries)
        return clock() - begun


def log_consumer(kafka: KafkaSettings) -> AIOKafkaConsumer:
    """A consumer in no group, configured as ``inclusion audit`` configures its reader."""
    return AIOKafkaConsumer(
        **kafka.client_options(),
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )


async def consume(kafka: KafkaSettings, topics: Sequence[str], batch: int = 5000) -> Consumed:
    """Read the topics from offset 0 to their current end with getmany, touching each value."""
    consumer = log_consumer(kafka)
    await consumer.start()
    try:
        cluster = await consumer._client.fetch_all_metadata()
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in sorted(cluster.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        count = size = 0
        begun = clock()
        while remaining:
            fetched = await consumer.getmany(*remaining, timeout_ms=1000, max_records=batch)
            for tp, records in fetched.items():
                for record in records:
                    count += 1
                    size += len(record.value or b"")
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
        return Consumed(count, size, clock() - begun)
    finally:
        await consumer.stop()


async def _at_end(kafka: KafkaSettings, topic: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        **kafka.client_options(), enable_auto_commit=False, isolation_level="read_committed"
    )
    await consumer.start()
    partition = TopicPartition(topic, 0)
    consumer.assign([partition])
    await consumer.seek_to_end(partition)
    await consumer.position(partition)
    return consumer


async def ping_pong(
    kafka: KafkaSettings, ping: str, pong: str, rounds: int, payload: bytes, warmup: int = 20
) -> list[float]:
    """Round trips, one at a time: ping produced, consumed by a responder that produces a pong,
    pong consumed. Producers idempotent with acks=all and no linger; consumers read_committed."""
    pings, pongs = await _at_end(kafka, ping), await _at_end(kafka, pong)
    waiting: dict[int, asyncio.Future[float]] = {}

    async def respond(producer: AIOKafkaProducer) -> None:
        while True:
            for records in (await pings.getmany(timeout_ms=100)).values():
                for record in records:
                    await producer.send_and_wait(pong, value=record.value, key=record.key)

    async def receive() -> None:
        while True:
            for records in (await pongs.getmany(timeout_ms=100)).values():
                for record in records:
                    answered = waiting.pop(int(record.key or b"-1"), None)
                    if answered is not None and not answered.done():
                        answered.set_result(clock())

    loop = asyncio.get_running_loop()
    async with (
        started(raw_producer(kafka, linger_ms=0)) as initiator,
        started(raw_producer(kafka, linger_ms=0)) as responder,
    ):
        tasks = [asyncio.create_task(respond(responder)), asyncio.create_task(receive())]
        try:
            trips: list[float] = []
            for i in range(warmup + rounds):
                answered = waiting[i] = loop.create_future()
                sent = clock()
                await initiator.send(ping, value=payload, key=str(i).encode())
                received = await asyncio.wait_for(answered, 10)
                if i >= warmup:
                    trips.append(received - sent)
            return trips
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await pings.stop()
            await pongs.stop()
