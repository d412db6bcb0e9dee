"""The outbox and its relay, against the real PostgreSQL and Kafka: every committed event is
published exactly once, in commit order per aggregate; the chain shows any edit."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import pytest
from cloudevents.core.bindings import kafka as cloudevents_kafka

from inclusion_shared.events.chain import verify_chain
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.outbox import verify_outbox
from inclusion_shared.persistence.unit_of_work import unit_of_work
from inclusion_shared.testing import CaseNoted, command_cause, eventually, read_topic

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
