"""A service notices when the broker no longer holds what it published: with the broker's log
of a topic emptied (its data reset) while the outbox still records deliveries there, each such
partition is named; before that, nothing is. A republication then publishes the outbox again,
the same events in the same order, and the log is whole."""

from __future__ import annotations

import asyncio
import json

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from inclusion_shared.events.chain import verify_chain
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.continuity import lost_on_the_broker, republish
from inclusion_shared.messaging.kafka import ensure_topics, relay_producer
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.unit_of_work import unit_of_work
from inclusion_shared.testing import CaseNoted, command_cause, eventually, read_topic

from .conftest import Kit


async def test_a_broker_that_lost_published_events_is_named_partition_by_partition(
    kit: Kit, running_relay: Relay, kafka_bootstrap: str
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
        for step in (1, 2, 3):
            work.emit(kit.event_type, "case-1", CaseNoted(case="case-1", step=step))
    await eventually(lambda: _delivered(kit, 3))
    assert await lost_on_the_broker(kit.pool, kafka) == []

    await _reset(kafka, kit.topic.name)
    await ensure_topics(kafka, [kit.topic])  # back, and empty, as after a reset broker

    [lost] = await eventually(lambda: lost_on_the_broker(kit.pool, kafka))
    assert (lost.topic, lost.broker_ends_at, lost.published_up_to) == (kit.topic.name, 0, 2)
    assert "published up to offset 2" in str(lost)


async def test_a_rebuilt_broker_that_others_have_written_to_since_is_named_too(
    kit: Kit, running_relay: Relay, kafka_bootstrap: str
) -> None:
    """The broker's log reaches past the last offset recorded, but the records there are not the
    ones this service published: a reset broker that other producers (tests, another
    deployment) wrote to before the service started again."""
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
        for step in (1, 2):
            work.emit(kit.event_type, "case-1", CaseNoted(case="case-1", step=step))
    await eventually(lambda: _delivered(kit, 2))
    [partition] = {r["partition"] for r in await kit.pool.fetch(_PARTITIONS)}
    assert await lost_on_the_broker(kit.pool, kafka) == []

    await _reset(kafka, kit.topic.name)
    await ensure_topics(kafka, [kit.topic])
    await _write_others(kafka, kit.topic.name, partition, count=5)

    [lost] = await eventually(lambda: lost_on_the_broker(kit.pool, kafka))
    assert (lost.topic, lost.partition, lost.overwritten) == (kit.topic.name, partition, True)
    assert lost.broker_ends_at == 5 and lost.published_up_to == 1
    assert "the broker now holds another record" in str(lost)


async def test_a_republication_puts_the_whole_log_back_on_a_broker_that_lost_it(
    kit: Kit, kafka_bootstrap: str
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    for case in ("case-1", "case-2"):
        async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
            for step in (1, 2, 3):
                work.emit(kit.event_type, case, CaseNoted(case=case, step=step))
    async with _relaying(kit, kafka):
        await eventually(lambda: _delivered(kit, 6))
    await _reset(kafka, kit.topic.name)
    await ensure_topics(kafka, [kit.topic])
    assert await eventually(lambda: lost_on_the_broker(kit.pool, kafka))

    async with kit.pool.acquire() as connection:
        assert await republish(connection, "the test broker's topic was deleted") == 1
    assert await lost_on_the_broker(kit.pool, kafka) == []  # nothing published there yet
    async with _relaying(kit, kafka):
        await eventually(lambda: _delivered(kit, 6, republication=1))

    events = [json.loads(r.value) for r in await read_topic(kafka_bootstrap, kit.topic.name)]
    in_the_outbox = await kit.pool.fetch("SELECT event_id::text, hash FROM outbox ORDER BY seq")
    by_position = sorted(events, key=lambda event: event["chainseq"])
    assert [(e["id"], e["chainhash"]) for e in by_position] == [tuple(r) for r in in_the_outbox]
    assert verify_chain(by_position) is None
    for case in ("case-1", "case-2"):
        assert [e["data"]["step"] for e in events if e["subject"] == case] == [1, 2, 3]
    assert await lost_on_the_broker(kit.pool, kafka) == []
    # The first publication's deliveries are kept, under republication 0.
    assert await kit.pool.fetchval("SELECT count(*) FROM outbox_delivery") == 12


class _relaying:
    """A relay publishing while the block runs."""

    def __init__(self, kit: Kit, kafka: KafkaSettings) -> None:
        self.relay = Relay(kit.name, kit.connect, lambda: relay_producer(kafka, kit.name))
        self.stopping = asyncio.Event()

    async def __aenter__(self) -> Relay:
        self.running = asyncio.create_task(self.relay.run(self.stopping))
        return self.relay

    async def __aexit__(self, *_: object) -> None:
        self.stopping.set()
        await self.running


async def _delivered(kit: Kit, wanted: int, republication: int = 0) -> bool:
    count = await kit.pool.fetchval(
        "SELECT count(*) FROM outbox_delivery WHERE republication = $1", republication
    )
    return bool(count >= wanted)


_PARTITIONS = "SELECT DISTINCT kafka_partition AS partition FROM outbox_delivery"


async def _write_others(kafka: KafkaSettings, topic: str, partition: int, count: int) -> None:
    producer = AIOKafkaProducer(**kafka.client_options())
    await producer.start()
    try:
        for n in range(count):
            await producer.send_and_wait(topic, f"another's {n}".encode(), partition=partition)
    finally:
        await producer.stop()


async def _reset(kafka: KafkaSettings, topic: str) -> None:
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        await admin.delete_topics([topic])

        async def gone() -> bool:
            return topic not in await admin.list_topics()

        await eventually(gone)
    finally:
        await admin.close()
