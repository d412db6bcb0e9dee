"""Does the broker still hold what this service published?

The outbox records where each event landed (topic, partition, offset). If the broker's log of a
partition now ends at or before an offset the outbox recorded, the broker has lost events — its
data was reset while the service's database was kept (a re-cloned checkout, a Kafka cluster
rebuilt from nothing). Readers would see a log with a hole, and the audit would fail on it;
the service says so plainly at start and is not ready until an operator acts.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.persistence.outbox import REPUBLICATION

# The last offset recorded per partition (deliveries are recorded in commit order).
PUBLISHED_ENDS = f"""SELECT o.topic, d.kafka_partition AS partition, max(d.kafka_offset) AS last
                     FROM outbox_delivery d JOIN outbox o USING (seq)
                     WHERE d.republication = {REPUBLICATION}
                     GROUP BY o.topic, d.kafka_partition"""


@dataclass(frozen=True)
class Lost:
    topic: str
    partition: int
    published_up_to: int  # the last offset the outbox recorded
    broker_ends_at: int  # the broker's next offset

    def __str__(self) -> str:
        return (
            f"{self.topic} partition {self.partition}: published up to offset "
            f"{self.published_up_to}, the broker's log ends at {self.broker_ends_at}"
        )


async def lost_on_the_broker(pool: asyncpg.Pool, kafka: KafkaSettings) -> list[Lost]:
    """Every partition whose log ends before what this service recorded publishing there."""
    rows = await pool.fetch(PUBLISHED_ENDS)
    if not rows:
        return []
    consumer = AIOKafkaConsumer(**kafka.client_options(), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(row["topic"], row["partition"]) for row in rows]
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    return [
        Lost(row["topic"], row["partition"], row["last"], ends[tp])
        for row, tp in zip(rows, partitions, strict=True)
        if ends.get(tp, 0) <= row["last"]
    ]


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
