"""Does the broker still hold what this service published?

The outbox records where each event landed (topic, partition, offset). If the broker's log of a
partition now ends at or before the last offset the outbox recorded there, or holds another
record at that offset (a broker rebuilt and written to since, by this service's tests or other
producers), the broker has lost events — its data was reset while the service's database was
kept (a re-cloned checkout, a Kafka cluster rebuilt from nothing). Readers would see a log with
a hole, and the audit would fail on it; the service says so plainly at start and is not ready
until an operator acts. A record the topic's retention has deleted since is not a loss.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.persistence.outbox import REPUBLICATION

# The last offset recorded per partition, and what was published there.
PUBLISHED_ENDS = f"""SELECT DISTINCT ON (o.topic, d.kafka_partition)
                            o.topic, d.kafka_partition AS partition, d.kafka_offset AS last,
                            o.payload
                     FROM outbox_delivery d JOIN outbox o USING (seq)
                     WHERE d.republication = {REPUBLICATION}
                     ORDER BY o.topic, d.kafka_partition, d.kafka_offset DESC"""
READ_BACK_SECONDS = 15.0
"""How long to wait for the broker to return the last records published, before saying so."""


@dataclass(frozen=True)
class Lost:
    topic: str
    partition: int
    published_up_to: int  # the last offset the outbox recorded
    broker_ends_at: int  # the broker's next offset
    overwritten: bool = False  # the broker holds another record at that offset

    def __str__(self) -> str:
        if self.overwritten:
            return (
                f"{self.topic} partition {self.partition}: published up to offset "
                f"{self.published_up_to}, where the broker now holds another record"
            )
        return (
            f"{self.topic} partition {self.partition}: published up to offset "
            f"{self.published_up_to}, the broker's log ends at {self.broker_ends_at}"
        )


async def lost_on_the_broker(pool: asyncpg.Pool, kafka: KafkaSettings) -> list[Lost]:
    """Every partition whose log ends before what this service recorded publishing there, or
    holds another record where its last one was."""
    rows = await pool.fetch(PUBLISHED_ENDS)
    if not rows:
        return []
    partitions = [TopicPartition(row["topic"], row["partition"]) for row in rows]
    consumer = AIOKafkaConsumer(**kafka.client_options(), enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
        lost = [
            Lost(row["topic"], row["partition"], row["last"], ends.get(tp, 0))
            for row, tp in zip(rows, partitions, strict=True)
            if ends.get(tp, 0) <= row["last"]
        ]
        # Where the log reaches past the last offset (and retention has not deleted it), the
        # record there must be the one published.
        held = {
            tp: row
            for row, tp in zip(rows, partitions, strict=True)
            if starts.get(tp, 0) <= row["last"] < ends.get(tp, 0)
        }
        found = await _records_at(consumer, {tp: row["last"] for tp, row in held.items()})
    finally:
        await consumer.stop()
    return lost + [
        Lost(tp.topic, tp.partition, row["last"], ends[tp], overwritten=True)
        for tp, row in held.items()
        if found.get(tp) != bytes(row["payload"])
    ]


async def _records_at(
    consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]
) -> dict[TopicPartition, bytes | None]:
    """The value of the record at each partition's offset (None for a record without one)."""
    if not offsets:
        return {}
    consumer.assign(list(offsets))
    for tp, offset in offsets.items():
        consumer.seek(tp, offset)
    found: dict[TopicPartition, bytes | None] = {}
    deadline = time.monotonic() + READ_BACK_SECONDS
    while len(found) < len(offsets):
        if time.monotonic() > deadline:
            waiting = sorted(f"{tp.topic}[{tp.partition}]" for tp in offsets.keys() - found)
            raise TimeoutError(f"the broker did not return the last records of {waiting}")
        batches = await consumer.getmany(timeout_ms=500)
        for tp, records in batches.items():
            # A transaction's marker takes an offset of its own: the first record at or after
            # the offset is the one there, if any is.
            if tp in found:
                continue
            first = next((r for r in records if r.offset >= offsets[tp]), None)
            if first is not None:
                found[tp] = first.value if first.offset == offsets[tp] else b""
                consumer.pause(tp)
    return found


async def republish(connection: asyncpg.Connection, reason: str) -> int:
    """Have the relay publish the whole outbox again, from the first event, with the same ids,
    hashes and order, and sign checkpoints of it afresh: for a broker that lost what was
    published. Takes effect when the relay next takes the lead (restart the service); returns
    the republication's number. Deliveries so far are kept, under the republication before."""
    number: int = await connection.fetchval(
        f"""INSERT INTO outbox_republication (number, reason) SELECT {REPUBLICATION} + 1, $1
            RETURNING number""",
        reason,
    )
    return number
