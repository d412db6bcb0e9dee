"""Reading the decision log from Kafka: every audited topic from offset 0 to its end as it is
when the audit starts, in no consumer group (an audit commits nothing)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, TopicPartition

from inclusion_cli.audit.verify import LogBatch, LogRecord
from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.messaging.connection import KafkaSettings

IN_STEP_MS = 1000
"""How far ahead, in the records' timestamps, one partition may be read of another."""


def audited_topics() -> list[str]:
    """Every topic of the catalogue, checkpoints included; dead letters are not the log."""
    return [topic.name for topic in CATALOGUE]


class Log:
    """The audited topics as they stand when the audit starts: how many records there are to
    read (``total``), then the records, a partition's fetch at a time (``batches``)."""

    def __init__(self, consumer: AIOKafkaConsumer, batch: int) -> None:
        self.consumer = consumer
        self.batch = batch
        self.partitions: list[TopicPartition] = []
        self.starts: dict[TopicPartition, int] = {}
        self.ends: dict[TopicPartition, int] = {}

    async def measure(self, topics: list[str]) -> None:
        # One metadata request for the whole cluster: a consumer with no subscription keeps none.
        cluster = await self.consumer._client.fetch_all_metadata()
        self.partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in sorted(cluster.partitions_for_topic(topic) or ())
        ]
        if not self.partitions:
            return
        self.consumer.assign(self.partitions)
        await self.consumer.seek_to_beginning(*self.partitions)
        self.ends = await self.consumer.end_offsets(self.partitions)
        self.starts = await self.consumer.beginning_offsets(self.partitions)

    @property
    def total(self) -> int:
        return sum(self.ends[tp] - self.starts[tp] for tp in self.partitions)

    async def batches(self) -> AsyncIterator[LogBatch]:
        """Every record, a partition's fetch at a time, the partitions kept in step by the
        records' timestamps: a chain's events are spread over several topics, and what one
        partition has read ahead of the others waits in the audit's memory for its neighbours.
        A partition more than ``IN_STEP_MS`` ahead of the one furthest behind is not fetched
        from until that one has caught up (it always is: the furthest behind is always asked)."""
        remaining = {tp for tp in self.partitions if self.ends[tp] > self.starts[tp]}
        reached: dict[TopicPartition, int] = {}
        while remaining:
            behind = min(reached.get(tp, -1) for tp in remaining)
            asked = [tp for tp in remaining if reached.get(tp, -1) <= behind + IN_STEP_MS]
            fetched = await self.consumer.getmany(*asked, timeout_ms=1000, max_records=self.batch)
            for tp, records in fetched.items():
                end = self.ends[tp]
                if records and records[-1].offset >= end:  # written after the audit started
                    records = [record for record in records if record.offset < end]
                    remaining.discard(tp)
                elif await self.consumer.position(tp) >= end:
                    remaining.discard(tp)
                if records:
                    reached[tp] = records[-1].timestamp
                    yield LogBatch(
                        tp.topic,
                        tp.partition,
                        [record.offset for record in records],
                        [record.value for record in records],
                    )


@contextlib.asynccontextmanager
async def open_log(
    kafka: KafkaSettings, topics: list[str], batch: int = 5000
) -> AsyncIterator[Log]:
    consumer = AIOKafkaConsumer(
        **kafka.client_options(),
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    try:
        log = Log(consumer, batch)
        await log.measure(topics)
        yield log
    finally:
        await consumer.stop()


async def read_log(
    kafka: KafkaSettings, topics: list[str], batch: int = 5000
) -> AsyncIterator[LogRecord]:
    """Every record of the topics, one at a time."""
    async with open_log(kafka, topics, batch) as log:
        async for records in log.batches():
            for offset, value in zip(records.offsets, records.values, strict=True):
                yield LogRecord(records.topic, records.partition, offset, value or b"")
