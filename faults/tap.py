"""Every record on the campaign's broker, as it lands: the suite's topics and their dead-letter
topics, read by an assigned consumer (no group, so it commits nothing and disturbs no one) that
rides through the broker's restarts. The oracle and the offset sampler read from it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from faults.aio import cancelled_for_real
from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.messaging.connection import KafkaSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    timestamp: float  # seconds since the epoch, as the producer stamped it
    key: bytes | None
    value: bytes
    headers: dict[str, bytes]

    def event(self) -> dict[str, Any] | None:
        """The record as a suite event (a JSON object with an id), or None for anything else."""
        try:
            found = json.loads(self.value)
        except ValueError:
            return None
        return found if isinstance(found, dict) and "id" in found else None


def tapped_topics() -> list[str]:
    return [name for topic in CATALOGUE for name in (topic.name, topic.dead_letters)]


@dataclass
class Tap:
    """Reads every partition of the tapped topics from offset 0 until stopped."""

    kafka: KafkaSettings
    records: dict[tuple[str, int], list[Record]] = field(default_factory=lambda: defaultdict(list))
    keyed: Counter[str] = field(default_factory=Counter)  # per topic: records with a key
    _task: asyncio.Task[None] | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tap")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def position(self, topic: str, partition: int) -> int:
        """The next offset the tap will read on a partition (all before it are in `records`)."""
        found = self.records.get((topic, partition))
        return found[-1].offset + 1 if found else 0

    def on(self, topic: str) -> list[Record]:
        return [r for (name, _), records in self.records.items() if name == topic for r in records]

    def all(self) -> list[Record]:
        return [r for records in self.records.values() for r in records]

    def behind(self, ends: dict[tuple[str, int], int]) -> dict[str, int]:
        """Partitions the tap has not read to these end offsets yet: how far behind each is."""
        return {
            f"{topic}[{p}]": end - self.position(topic, p)
            for (topic, p), end in ends.items()
            if self.position(topic, p) < end
        }

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._read()
            except asyncio.CancelledError:
                if cancelled_for_real():
                    raise
                log.warning("tap interrupted (a cancellation nobody asked for), reading on")
                await asyncio.sleep(0.5)
            except Exception as error:  # the broker restarting, mostly: read on from where it was
                log.warning("tap interrupted, reading on: %r", error)
                await asyncio.sleep(0.5)

    async def _read(self) -> None:
        consumer = AIOKafkaConsumer(
            **self.kafka.client_options(),
            enable_auto_commit=False,
            max_partition_fetch_bytes=4 * 1024 * 1024,
            fetch_max_bytes=32 * 1024 * 1024,
        )
        try:
            await consumer.start()
            assigned: set[TopicPartition] = set()
            wanted: set[TopicPartition] = set()
            refreshed = 0.0
            loop = asyncio.get_running_loop()
            while not self._stopping.is_set():
                # Dead-letter topics appear as consumers first need them: look again now and then.
                if loop.time() - refreshed > 2.0:
                    async with asyncio.timeout(15):  # a request lost in a broker restart
                        wanted = await _partitions(consumer)
                    refreshed = loop.time()
                if wanted != assigned:
                    consumer.assign(sorted(wanted))
                    for tp in wanted:
                        consumer.seek(tp, self.position(tp.topic, tp.partition))
                    assigned = wanted
                async with asyncio.timeout(15):
                    fetched = await consumer.getmany(timeout_ms=500, max_records=2000)
                for tp, records in fetched.items():
                    kept = self.records[(tp.topic, tp.partition)]
                    for record in records:
                        if kept and record.offset <= kept[-1].offset:
                            continue  # read again after a reconnect
                        if record.key is not None:
                            self.keyed[record.topic] += 1
                        kept.append(
                            Record(
                                record.topic,
                                record.partition,
                                record.offset,
                                record.timestamp / 1000,
                                record.key,
                                record.value or b"",
                                {name: value for name, value in record.headers},
                            )
                        )
        finally:
            await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer) -> set[TopicPartition]:
    cluster = await consumer._client.fetch_all_metadata()
    return {
        TopicPartition(topic, number)
        for topic in tapped_topics()
        for number in cluster.partitions_for_topic(topic) or ()
    }


async def end_offsets(kafka: KafkaSettings) -> dict[tuple[str, int], int]:
    """Each tapped partition's end offset now."""
    consumer = AIOKafkaConsumer(**kafka.client_options(), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = sorted(await _partitions(consumer))
        ends = await consumer.end_offsets(partitions)
        return {(tp.topic, tp.partition): offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()
