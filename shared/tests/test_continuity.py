"""A service notices when the broker no longer holds what it published: with the broker's log
of a topic emptied (its data reset) while the outbox still records deliveries there, each such
partition is named; before that, nothing is."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient

from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.continuity import lost_on_the_broker
from inclusion_shared.messaging.kafka import ensure_topics
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.unit_of_work import unit_of_work
from inclusion_shared.testing import CaseNoted, command_cause, eventually

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


async def _delivered(kit: Kit, wanted: int) -> bool:
    return bool(await kit.pool.fetchval("SELECT count(*) FROM outbox_delivery") >= wanted)


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
