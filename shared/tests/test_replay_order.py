"""A replay reads the partitions of the log side by side and merges them by time, holding one
record per partition: the order is the order a full sort would give, and memory follows the
number of partitions, not the length of the log."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

from aiokafka import ConsumerRecord

from inclusion_shared.replay import Record, merged_by_time, replay_order


def _record(topic: str, partition: int, offset: int, timestamp: int) -> Record:
    return ConsumerRecord(topic, partition, offset, timestamp, 0, b"k", b"v", None, 1, 1, [])


class Partition:
    """A partition's records in offset order, counting how far it has been read."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.read = 0

    async def stream(self) -> AsyncIterator[Record]:
        for record in self.records:
            self.read += 1
            yield record


def _log(rng: random.Random) -> list[Partition]:
    partitions = []
    for number in range(6):
        clock, records = 0, []
        for offset in range(rng.randrange(0, 400)):
            clock += rng.randrange(0, 5)  # time moves on, sometimes not at all
            records.append(_record(f"topic-{number % 2}", number, offset, clock))
        partitions.append(Partition(records))
    return partitions


async def test_the_merge_gives_the_order_of_a_full_sort() -> None:
    for seed in range(20):
        partitions = _log(random.Random(seed))
        merged = [r async for r in merged_by_time([p.stream() for p in partitions])]
        everything = [record for partition in partitions for record in partition.records]
        assert merged == sorted(everything, key=replay_order), seed


async def test_the_merge_reads_no_more_than_one_record_ahead_per_partition() -> None:
    partitions = _log(random.Random(7))
    yielded = 0
    async for _ in merged_by_time([p.stream() for p in partitions]):
        yielded += 1
        ahead = sum(p.read for p in partitions) - yielded
        assert ahead <= len(partitions)
    assert yielded == sum(len(p.records) for p in partitions)
