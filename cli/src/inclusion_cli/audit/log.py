"""Reading the decision log from Kafka: every audited topic from offset 0 to its end as it is
when the audit starts, in no consumer group (an audit commits nothing)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from aiokafka import AIOKafkaConsumer, TopicPartition

from inclusion_cli.audit.verify import LogRecord
from inclusion_shared.events.catalogue import CATALOGUE

Progress = Callable[[int, int], None]


def audited_topics() -> list[str]:
    """Every topic of the catalogue, checkpoints included; dead letters are not the log."""
    return [topic.name for topic in CATALOGUE]


async def read_log(
    bootstrap_servers: str, topics: list[str], progress: Progress | None = None, batch: int = 5000
) -> AsyncIterator[LogRecord]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    try:
        # One metadata request for the whole cluster: a consumer with no subscription keeps none.
        cluster = await consumer._client.fetch_all_metadata()
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in sorted(cluster.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
        total = sum(ends[tp] - starts[tp] for tp in partitions)
        remaining = {tp for tp in partitions if ends[tp] > starts[tp]}
        done = 0
        while remaining:
            fetched = await consumer.getmany(*remaining, timeout_ms=1000, max_records=batch)
            for tp, records in fetched.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        remaining.discard(tp)
                        break
                    done += 1
                    yield LogRecord(record.topic, record.partition, record.offset, record.value)
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
            if progress is not None:
                progress(done, total)
    finally:
        await consumer.stop()
