"""The outbox and its relay, against the real PostgreSQL and Kafka: every committed event is
published exactly once, in commit order per aggregate; the chain shows any edit."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError
from aiokafka.partitioner import DefaultPartitioner
from cloudevents.core.bindings import kafka as cloudevents_kafka

from inclusion_shared.events.chain import verify_chain
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import ensure_topics, fail_pending, relay_producer
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.outbox import Outbox, verify_outbox
from inclusion_shared.persistence.unit_of_work import unit_of_work
from inclusion_shared.testing import (
    CaseNoted,
    command_cause,
    eventually,
    migrated_pool,
    read_topic,
    sample_contracts,
)

from .conftest import Kit

WRITERS, STEPS = 8, 30


async def note_steps(kit: Kit, case: str, steps: int) -> None:
    """One writer: each step of a case is its own transaction, some emitting two events."""
    step = 0
    while step < steps:
        async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
            for _ in range(min(1 + step % 2, steps - step)):
                step += 1
                work.emit(kit.event_type, case, CaseNoted(case=case, step=step))


async def delivered(kit: Kit) -> int:
    return int(await kit.pool.fetchval("SELECT count(*) FROM outbox_delivery"))


async def test_concurrent_writers_are_each_published_once_in_commit_order(
    kit: Kit, running_relay: Relay, kafka_bootstrap: str
) -> None:
    await asyncio.gather(*(note_steps(kit, f"case-{n}", STEPS) for n in range(WRITERS)))
    expected = WRITERS * STEPS
    await eventually(lambda: _at_least(delivered(kit), expected))

    records = await read_topic(kafka_bootstrap, kit.topic.name)
    events = [json.loads(record.value) for record in records]

    assert len(events) == len({event["id"] for event in events}) == expected
    for n in range(WRITERS):
        steps = [event["data"]["step"] for event in events if event["subject"] == f"case-{n}"]
        assert steps == sorted(steps), f"case-{n} arrived out of order"
    assert verify_chain(sorted(events, key=lambda event: event["chainseq"])) is None


async def test_each_event_is_recorded_where_kafka_put_it_on_the_partition_of_its_key(
    kit: Kit, running_relay: Relay, kafka_bootstrap: str
) -> None:
    """The relay builds a Kafka batch per partition; what it records for each event is the
    partition and offset it has on the wire, and the partition is the one the producer's own
    partitioner picks for the key, as a record sent alone would have."""
    await asyncio.gather(*(note_steps(kit, f"case-{n}", STEPS) for n in range(WRITERS)))
    await eventually(lambda: _at_least(delivered(kit), WRITERS * STEPS))

    records = await read_topic(kafka_bootstrap, kit.topic.name)
    on_the_wire = {json.loads(r.value)["chainhash"]: (r.partition, r.offset) for r in records}
    recorded = await kit.pool.fetch(
        """SELECT o.hash, d.kafka_partition, d.kafka_offset
           FROM outbox_delivery d JOIN outbox o USING (seq)"""
    )
    every_partition = list(range(kit.topic.partitions))

    assert {row["hash"]: (row["kafka_partition"], row["kafka_offset"]) for row in recorded} == (
        on_the_wire
    )
    assert all(r.partition == DefaultPartitioner()(r.key, every_partition, None) for r in records)
    assert {r.partition for r in records} == set(every_partition)


async def test_deliveries_failing_mid_stream_lose_nothing_and_keep_each_cases_order(
    kit: Kit, kafka_bootstrap: str
) -> None:
    """Twice, while batches are in flight, everything the relay's producer holds fails at once
    (what happens when one delivery fails: ``fail_pending``). The relay publishes again from
    what Kafka acknowledged, through a new producer: every event arrives, and the first copy
    of each comes after the first copies of every earlier event of its case."""
    await asyncio.gather(*(note_steps(kit, f"case-{n}", STEPS * 4) for n in range(WRITERS)))
    expected = WRITERS * STEPS * 4
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    relay = Relay(kit.name, kit.connect, lambda: relay_producer(kafka, kit.name), batch_size=20)
    stopping = asyncio.Event()
    running = asyncio.create_task(relay.run(stopping))
    try:
        for failed_after in (100, 400):
            await eventually(lambda at=failed_after: _at_least(delivered(kit), at), every=0.005)
            assert relay.producer is not None
            fail_pending(relay.producer, KafkaConnectionError("the leader went away"))
        await eventually(lambda: _at_least(delivered(kit), expected))
    finally:
        stopping.set()
        await running

    events = [json.loads(r.value) for r in await read_topic(kafka_bootstrap, kit.topic.name)]
    seen: set[str] = set()
    first_copies = [e for e in events if e["id"] not in seen and not seen.add(e["id"])]
    assert len(first_copies) == expected
    for n in range(WRITERS):
        steps = [e["data"]["step"] for e in first_copies if e["subject"] == f"case-{n}"]
        assert steps == list(range(1, STEPS * 4 + 1)), f"case-{n} arrived out of order"


async def test_an_outside_cloudevents_sdk_reads_the_published_event(
    kit: Kit, running_relay: Relay, kafka_bootstrap: str
) -> None:
    async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
        work.emit(kit.event_type, "case-sdk", CaseNoted(case="case-sdk", step=1))
    await eventually(lambda: _at_least(delivered(kit), 1))

    [record] = await read_topic(kafka_bootstrap, kit.topic.name)
    message = cloudevents_kafka.KafkaMessage(
        headers=dict(record.headers), key=record.key, value=record.value
    )
    event = cloudevents_kafka.from_kafka_event(message)

    assert event.get_type() == kit.event_type
    assert event.get_subject() == "case-sdk"
    assert event.get_data() == {"case": "case-sdk", "step": 1}
    assert event.get_extension("chainseq") == 1


async def test_the_service_role_cannot_update_or_delete_an_event(kit: Kit) -> None:
    async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
        work.emit(kit.event_type, "case-1", CaseNoted(case="case-1", step=1))

    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await kit.pool.execute("UPDATE outbox SET key = 'case-2'")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await kit.pool.execute("DELETE FROM outbox")


@pytest.mark.parametrize("tampering", ["modified", "deleted"])
async def test_a_tampered_outbox_row_breaks_the_chain_check(kit: Kit, tampering: str) -> None:
    for step in range(1, 5):
        async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
            work.emit(kit.event_type, "case-1", CaseNoted(case="case-1", step=step))
    async with kit.pool.acquire() as connection:
        assert await verify_outbox(connection) is None
        # Only someone able to switch off the append-only triggers can do this.
        await connection.execute("SET session_replication_role = replica")
        if tampering == "modified":
            await connection.execute(
                """UPDATE outbox SET payload = convert_to(
                       replace(convert_from(payload, 'UTF8'), '"step":2', '"step":9'), 'UTF8')
                   WHERE seq = 2"""
            )
        else:
            await connection.execute("DELETE FROM outbox WHERE seq = 2")
        await connection.execute("SET session_replication_role = origin")

        found = await verify_outbox(connection)

    assert found is not None
    assert found.position == 2


async def _at_least(count: asyncio.Future[int] | object, wanted: int) -> bool:
    value = await count  # type: ignore[misc]
    return bool(value >= wanted)


async def test_the_relay_records_deliveries_as_the_services_own_unprivileged_role(
    admin_dsn: str, kafka_bootstrap: str, unique: str
) -> None:
    """Services run as an ordinary login role that owns its database, not as a superuser."""
    role, database = f"svc{unique}", f"svcdb{unique}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{unique}'")
        await admin.execute(f"CREATE DATABASE {database} OWNER {role}")
    finally:
        await admin.close()
    server = urlsplit(admin_dsn)
    dsn = urlunsplit(
        server._replace(
            netloc=f"{role}:pw-{unique}@{server.hostname}:{server.port}", path=f"/{database}"
        )
    )
    contracts, topic, event_type = sample_contracts(role)
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap), [topic])
    pool = await migrated_pool(dsn, role)
    outbox = Outbox(role, contracts)
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    relay = Relay(
        role,
        lambda: asyncpg.connect(dsn, server_settings={"search_path": role}),
        lambda: relay_producer(kafka, role),
    )
    try:
        async with unit_of_work(pool, outbox, command_cause()) as work:
            work.emit(event_type, "case-1", CaseNoted(case="case-1", step=1))
        async with pool.acquire() as connection:
            published, _ = await relay.publish_batch(connection, 0)
        assert published == 1
        assert await pool.fetchval("SELECT count(*) FROM outbox_delivery") == 1
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await pool.execute("UPDATE outbox SET key = 'x'")
    finally:
        await relay.close()
        await pool.close()
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f"DROP DATABASE {database} WITH (FORCE)")
            await admin.execute(f"DROP ROLE {role}")
        finally:
            await admin.close()
