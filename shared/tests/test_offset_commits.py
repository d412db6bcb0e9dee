"""Consumer offsets are committed in batches, against a real broker: never past a record that
was processed, all of them once the stream goes quiet, and what is not yet committed is read
again by the next member of the group (where the inbox skips it)."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.messaging.offsets import OffsetBatcher
from inclusion_shared.testing import eventually

RECORDS = 25


async def a_topic_with_records(bootstrap: str, topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        await admin.close()
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap), "offsets-test")
    await producer.start()
    try:
        for number in range(RECORDS):
            await producer.send(topic, value=str(number).encode(), key=b"case")
        await producer.flush()
    finally:
        await producer.stop()


async def a_group_member(bootstrap: str, topic: str, group: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    return consumer


async def test_offsets_wait_for_a_batch_yet_never_pass_what_was_processed(
    kafka_bootstrap: str, unique: str
) -> None:
    topic, group = f"offsets-{unique}", f"group-{unique}"
    partition = TopicPartition(topic, 0)
    await a_topic_with_records(kafka_bootstrap, topic)
    batcher = OffsetBatcher(every=10, within=60)
    consumer = await a_group_member(kafka_bootstrap, topic, group)
    try:
        for _ in range(14):
            record = await consumer.getone()
            await batcher.processed(consumer, record.topic, record.partition, record.offset)
        # Ten processed: committed. Four more processed, fetched ahead: not committed.
        assert await consumer.committed(partition) == 10
        assert batcher.pending == {partition: 14}
        assert await consumer.position(partition) >= 14
    finally:
        await consumer.stop()

    # The next member of the group starts from the last commit: four records come again.
    consumer = await a_group_member(kafka_bootstrap, topic, group)
    try:
        record = await consumer.getone()
        assert record.offset == 10
    finally:
        await consumer.stop()


async def test_a_quiet_stream_commits_everything_processed(
    kafka_bootstrap: str, unique: str
) -> None:
    topic, group = f"offsets-{unique}", f"group-{unique}"
    partition = TopicPartition(topic, 0)
    await a_topic_with_records(kafka_bootstrap, topic)
    batcher = OffsetBatcher(every=1000, within=0.2)
    consumer = await a_group_member(kafka_bootstrap, topic, group)
    try:
        for _ in range(RECORDS):
            record = await consumer.getone()
            await batcher.processed(consumer, record.topic, record.partition, record.offset)

        async def all_committed() -> bool:
            return await consumer.committed(partition) == RECORDS

        await eventually(all_committed, within=10)
        assert batcher.pending == {}
    finally:
        await consumer.stop()


async def test_stopping_commits_what_was_processed(kafka_bootstrap: str, unique: str) -> None:
    topic, group = f"offsets-{unique}", f"group-{unique}"
    partition = TopicPartition(topic, 0)
    await a_topic_with_records(kafka_bootstrap, topic)
    batcher = OffsetBatcher(every=1000, within=600)
    consumer = await a_group_member(kafka_bootstrap, topic, group)
    try:
        for _ in range(7):
            record = await consumer.getone()
            await batcher.processed(consumer, record.topic, record.partition, record.offset)
        assert await consumer.committed(partition) is None
        await batcher.close()
        assert await consumer.committed(partition) == 7
    finally:
        await consumer.stop()
