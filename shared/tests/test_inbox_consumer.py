"""The inbox consumer, against the real Kafka and PostgreSQL: duplicates are absorbed, poison
messages reach the dead-letter topic after bounded attempts while the partition moves on, and
a new consumer can replay a topic from offset 0."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker

from inclusion_shared.events.chain import verify_chain
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import Delivery, InboxConsumer, Outcome, Stuck
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.observability.metrics import DEAD_LETTERS, RECORD_RETRIES, configure_metrics
from inclusion_shared.persistence.unit_of_work import UnitOfWork, unit_of_work
from inclusion_shared.testing import CaseNoted, command_cause, eventually, read_topic

from .conftest import Kit

FAILING_STEP = 13


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = idempotent_producer(
        KafkaSettings(bootstrap_servers=kafka_bootstrap), "test-producer"
    )
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def effects_table(kit: Kit) -> None:
    await kit.pool.execute(
        "CREATE TABLE effects (consumer text NOT NULL, event_id uuid NOT NULL, step int NOT NULL)"
    )


def effect_recorder(kit: Kit, name: str, deployment: str | None = None) -> InboxConsumer:
    """A consumer whose effect is a row per event; one step always fails, like a bug would."""
    consumer = InboxConsumer(
        name, kit.outbox, contracts=kit.contracts, retry_delay=0.05, deployment=deployment
    )

    @consumer.on(kit.event_type)
    async def record(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        assert isinstance(data, CaseNoted)
        if data.step == FAILING_STEP:
            raise RuntimeError("this step trips a bug in the handler")
        await work.connection.execute(
            "INSERT INTO effects VALUES ($1, $2, $3)", name, event.id, data.step
        )

    return consumer


async def sealed_events(kit: Kit, steps: list[int]) -> list[dict[str, Any]]:
    async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
        for step in steps:
            work.emit(kit.event_type, "case-1", CaseNoted(case="case-1", step=step))
    # Sealed as the unit of work committed: the chain's last rows.
    rows = await kit.pool.fetch("SELECT payload FROM outbox ORDER BY seq DESC LIMIT $1", len(steps))
    return [json.loads(row["payload"]) for row in reversed(rows)]


async def consume_until(
    kit: Kit, consumer: InboxConsumer, producer: AIOKafkaProducer, bootstrap: str, effects: int
) -> None:
    consumer.bind(kit.pool, producer)
    broker = KafkaBroker(bootstrap)
    consumer.subscribe(broker)
    await broker.start()
    try:
        await eventually(
            lambda: _count(
                kit, "SELECT count(*) FROM effects WHERE consumer = $1", consumer.name, effects
            )
        )
    finally:
        await broker.stop()


async def test_duplicates_are_absorbed_and_poison_is_dead_lettered_while_the_partition_moves_on(
    kit: Kit, effects_table: None, producer: AIOKafkaProducer, kafka_bootstrap: str, unique: str
) -> None:
    e1, e2, e_failing, e3, e4 = await sealed_events(kit, [1, 2, FAILING_STEP, 3, 4])
    unknown_type = {**e3, "id": str(uuid4()), "type": f"{kit.name}.case.vanished"}
    wrong_schema = {**e3, "id": str(uuid4()), "data": {"case": 5}}
    deliveries = [e1, e1, b"{not json", e2, e_failing, e3, unknown_type, wrong_schema, e4]
    for message in deliveries:
        value = message if isinstance(message, bytes) else json.dumps(message).encode()
        await producer.send_and_wait(kit.topic.name, value=value, key=b"case-1")

    consumer = effect_recorder(kit, f"recorder-{unique}")
    await consume_until(kit, consumer, producer, kafka_bootstrap, effects=4)

    rows = await kit.pool.fetch("SELECT step FROM effects ORDER BY step")
    assert [row["step"] for row in rows] == [1, 2, 3, 4]
    assert await kit.pool.fetchval("SELECT count(*) FROM inbox") == 4
    dead = await eventually(lambda: _records(kafka_bootstrap, kit.topic.dead_letters, 4))
    headers = [dict(record.headers) for record in dead]
    assert [h["dlq-attempts"] for h in headers] == [b"1", b"3", b"1", b"1"]
    assert all(h["dlq-origin-topic"] == kit.topic.name.encode() for h in headers)
    assert b"RuntimeError" in headers[1]["dlq-error"]
    assert b"unknown event type" in headers[2]["dlq-error"]
    assert dead[1].value == json.dumps(e_failing).encode()


async def test_a_new_consumer_replays_the_topic_from_offset_zero(
    kit: Kit, effects_table: None, producer: AIOKafkaProducer, kafka_bootstrap: str, unique: str
) -> None:
    for event in await sealed_events(kit, [1, 2, 3]):
        await producer.send_and_wait(
            kit.topic.name, value=json.dumps(event).encode(), key=b"case-1"
        )
    await consume_until(kit, effect_recorder(kit, f"first-{unique}"), producer, kafka_bootstrap, 3)

    await consume_until(kit, effect_recorder(kit, f"replay-{unique}"), producer, kafka_bootstrap, 3)

    rows = await kit.pool.fetch("SELECT consumer, count(*) AS n FROM effects GROUP BY consumer")
    assert {row["consumer"]: row["n"] for row in rows} == {
        f"first-{unique}": 3,
        f"replay-{unique}": 3,
    }


async def _count(kit: Kit, query: str, argument: str, wanted: int) -> bool:
    return bool(await kit.pool.fetchval(query, argument) >= wanted)


async def _records(bootstrap: str, topic: str, wanted: int) -> list[Any]:
    records = await read_topic(bootstrap, topic)
    return records if len(records) >= wanted else []


async def test_a_consumer_ignores_another_deployments_events_on_a_shared_broker(
    kit: Kit, effects_table: None, producer: AIOKafkaProducer, unique: str
) -> None:
    [ours] = await sealed_events(kit, [1])
    theirs = {**ours, "id": str(uuid4()), "source": f"/inclusion/elsewhere/{kit.name}"}
    consumer = effect_recorder(kit, f"scoped-{unique}", deployment="kent")
    consumer.bind(kit.pool, producer)

    outcomes = [
        await consumer.process(
            Delivery(kit.topic.name, 0, offset, b"case-1", json.dumps(event).encode(), {})
        )
        for offset, event in enumerate([ours, theirs])
    ]

    assert outcomes == [Outcome.PROCESSED, Outcome.IGNORED]
    assert await kit.pool.fetchval("SELECT count(*) FROM effects") == 1


async def _committed(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}


async def test_a_poison_message_whose_dead_letter_cannot_be_written_holds_its_partition_until_it_is(
    kit: Kit, effects_table: None, producer: AIOKafkaProducer, kafka_bootstrap: str, unique: str
) -> None:
    first, second = await sealed_events(kit, [1, 2])
    for value in (json.dumps(first).encode(), b"{not json", json.dumps(second).encode()):
        await producer.send_and_wait(kit.topic.name, value=value, key=b"case-1", partition=0)
    poison_offset = 1
    # Dead letters go through a producer that is no longer connected, as when Kafka is away.
    gone = idempotent_producer(KafkaSettings(bootstrap_servers=kafka_bootstrap), "gone")
    await gone.start()
    await gone.stop()
    consumer = effect_recorder(kit, f"held-{unique}")
    consumer.retry_delay, consumer.stuck_after, consumer.dead_letter_timeout = 0.05, 0.2, 0.5
    consumer.bind(kit.pool, gone)
    broker = KafkaBroker(kafka_bootstrap)
    consumer.subscribe(broker)
    await broker.start()
    try:
        # The poison is tried again and again, and reported, while the event behind it waits.
        stuck = await eventually(lambda: _stuck_at(consumer, poison_offset))
        assert (stuck.topic, stuck.partition) == (kit.topic.name, 0)
        committed = await _committed(kafka_bootstrap, consumer.name, kit.topic.name)
        assert committed.get(0, 0) <= poison_offset
        assert await kit.pool.fetchval("SELECT array_agg(step) FROM effects") == [1]

        consumer.bind(kit.pool, producer)  # Kafka is back

        await eventually(
            lambda: _count(
                kit, "SELECT count(*) FROM effects WHERE consumer = $1", consumer.name, 2
            )
        )
    finally:
        await broker.stop()
    dead = await eventually(lambda: _records(kafka_bootstrap, kit.topic.dead_letters, 1))
    assert [dict(record.headers)["dlq-origin-offset"] for record in dead] == [b"1"]
    assert consumer.stuck == []


async def _stuck_at(consumer: InboxConsumer, offset: int) -> Stuck | None:
    found = [stuck for stuck in consumer.stuck if stuck.offset == offset and stuck.attempts >= 3]
    return found[0] if found else None


async def test_a_statement_timeout_is_waited_out_never_dead_lettering_a_valid_event(
    kit: Kit, effects_table: None, producer: AIOKafkaProducer, kafka_bootstrap: str, unique: str
) -> None:
    """A slow database (here a real statement timeout, five times running: more than the
    attempts a failing handler gets) is an outage: the event is applied once it is quick
    again, and nothing is dead-lettered."""
    [event] = await sealed_events(kit, [1])
    await producer.send_and_wait(kit.topic.name, value=json.dumps(event).encode(), key=b"case-1")
    consumer = InboxConsumer(f"slow-{unique}", kit.outbox, contracts=kit.contracts)
    consumer.retry_delay, consumer.max_retry_delay = 0.05, 0.1
    timed_out: list[int] = []

    @consumer.on(kit.event_type)
    async def record(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        assert isinstance(data, CaseNoted)
        if len(timed_out) < 5:
            timed_out.append(1)
            await work.connection.execute("SET LOCAL statement_timeout = '20ms'")
            await work.connection.execute("SELECT pg_sleep(1)")
        await work.connection.execute(
            "INSERT INTO effects VALUES ($1, $2, $3)", consumer.name, event.id, data.step
        )

    configure_metrics("test", None)
    retried = RECORD_RETRIES.total(topic=kit.topic.name)
    await consume_until(kit, consumer, producer, kafka_bootstrap, 1)

    assert len(timed_out) == 5
    assert RECORD_RETRIES.total(topic=kit.topic.name) == retried + 5
    assert DEAD_LETTERS.total(topic=kit.topic.name) == 0


async def test_the_records_of_a_poll_commit_together_and_a_failing_one_rolls_back_alone(
    kit: Kit, producer: AIOKafkaProducer, unique: str
) -> None:
    """Seven records in one poll: the two before a failing handler commit in one transaction
    (the failing one's effect undone with them first, then they are applied again without it),
    the failing one is tried on its own and dead-lettered, the four after it (one of them a
    second delivery of an earlier event) commit together in another; each inbox row once, and
    each event the handlers emit in the outbox once, in order."""
    await kit.pool.execute(
        "CREATE TABLE effects (consumer text, event_id uuid, step int, txid bigint)"
    )
    consumer = InboxConsumer(
        f"together-{unique}", kit.outbox, contracts=kit.contracts, retry_delay=0.01
    )

    @consumer.on(kit.event_type)
    async def record(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        assert isinstance(data, CaseNoted)
        await work.connection.execute(
            "INSERT INTO effects VALUES ($1, $2, $3, txid_current())",
            consumer.name,
            event.id,
            data.step,
        )
        work.emit(kit.event_type, "case-2", CaseNoted(case="case-2", step=data.step))
        if data.step == FAILING_STEP:
            raise RuntimeError("this step trips a bug in the handler")

    consumer.bind(kit.pool, producer)
    e1, e2, failing, e3, e4, e5 = await sealed_events(kit, [1, 2, FAILING_STEP, 3, 4, 5])
    events = [e1, e2, failing, e3, e1, e4, e5]
    deliveries = [
        Delivery(kit.topic.name, 0, offset, b"case-1", json.dumps(event).encode(), {})
        for offset, event in enumerate(events)
    ]

    outcomes = await consumer.finish_all(deliveries)

    P, D = Outcome.PROCESSED, Outcome.DUPLICATE
    assert outcomes == [P, P, Outcome.DEAD_LETTERED, P, D, P, P]
    rows = await kit.pool.fetch("SELECT step, txid FROM effects ORDER BY step")
    assert [row["step"] for row in rows] == [1, 2, 3, 4, 5]  # the failing step left nothing
    transactions = {row["step"]: row["txid"] for row in rows}
    assert transactions[1] == transactions[2] != transactions[3]
    assert transactions[3] == transactions[4] == transactions[5]
    inbox = await kit.pool.fetch("SELECT kafka_offset FROM inbox ORDER BY kafka_offset")
    assert [row["kafka_offset"] for row in inbox] == [0, 1, 3, 5, 6]
    emitted = await kit.pool.fetch("SELECT payload FROM outbox WHERE key = 'case-2' ORDER BY seq")
    caused = [json.loads(row["payload"]) for row in emitted]
    assert [event["data"]["step"] for event in caused] == [1, 2, 3, 4, 5]
    by_step = {event["data"]["step"]: event["id"] for event in (e1, e2, e3, e4, e5)}
    assert [event["causationid"] for event in caused] == [by_step[n] for n in (1, 2, 3, 4, 5)]
    all_events = await kit.pool.fetch("SELECT payload FROM outbox ORDER BY seq")
    assert verify_chain([json.loads(row["payload"]) for row in all_events]) is None
