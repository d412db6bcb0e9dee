"""Processes SIGKILLed at the worst moments, against the real Kafka and PostgreSQL: after a
restart nothing is lost and every effect happens exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from inclusion_shared.faults import CRASH_ENV
from inclusion_shared.testing import read_topic

from .conftest import Kit

WORKER = Path(__file__).parent / "workers" / "crash_worker.py"


async def run_worker(
    kit: Kit, bootstrap: str, mode: str, count: int, crash_at: str | None = None
) -> int:
    env = {key: value for key, value in os.environ.items() if key != CRASH_ENV}
    if crash_at:
        env[CRASH_ENV] = crash_at
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), mode,
        "--database-url", kit.database_url, "--schema", kit.name,
        "--bootstrap", bootstrap, "--count", str(count),
        env=env,
    )  # fmt: skip
    return await asyncio.wait_for(process.wait(), 120)


async def test_a_writer_killed_between_commit_and_publish_loses_nothing(
    kit: Kit, kafka_bootstrap: str
) -> None:
    assert (
        await run_worker(kit, kafka_bootstrap, "write", 3, crash_at="unit_of_work.after_commit")
        == -signal.SIGKILL
    )
    assert await kit.pool.fetchval("SELECT count(*) FROM outbox") == 1
    assert await kit.pool.fetchval("SELECT count(*) FROM outbox_delivery") == 0

    assert await run_worker(kit, kafka_bootstrap, "relay", 1) == 0

    records = await read_topic(kafka_bootstrap, kit.topic.name)
    assert len(records) == 1


async def test_a_relay_killed_between_publish_and_recording_doubles_no_effect(
    kit: Kit, kafka_bootstrap: str
) -> None:
    await kit.pool.execute("CREATE TABLE effects (event_id uuid NOT NULL, step int NOT NULL)")
    assert await run_worker(kit, kafka_bootstrap, "write", 5) == 0

    assert (
        await run_worker(kit, kafka_bootstrap, "relay", 5, crash_at="relay.after_publish")
        == -signal.SIGKILL
    )
    assert await kit.pool.fetchval("SELECT count(*) FROM outbox_delivery") == 0
    assert await run_worker(kit, kafka_bootstrap, "relay", 5) == 0
    on_the_wire = await read_topic(kafka_bootstrap, kit.topic.name)
    assert await run_worker(kit, kafka_bootstrap, "consume", 5) == 0

    assert len(on_the_wire) == 10, "the restarted relay published the same five events again"
    steps = await kit.pool.fetch("SELECT step FROM effects ORDER BY step")
    assert [row["step"] for row in steps] == [1, 2, 3, 4, 5]


async def test_a_consumer_killed_before_committing_its_offset_applies_each_effect_once(
    kit: Kit, kafka_bootstrap: str
) -> None:
    await kit.pool.execute("CREATE TABLE effects (event_id uuid NOT NULL, step int NOT NULL)")
    assert await run_worker(kit, kafka_bootstrap, "write", 3) == 0
    assert await run_worker(kit, kafka_bootstrap, "relay", 3) == 0

    assert (
        await run_worker(kit, kafka_bootstrap, "consume", 3, crash_at="consumer.before_commit")
        == -signal.SIGKILL
    )
    # The first poll's records committed together (one, two or all three, as they arrived).
    assert 1 <= await kit.pool.fetchval("SELECT count(*) FROM effects") <= 3
    assert await run_worker(kit, kafka_bootstrap, "consume", 3) == 0

    steps = await kit.pool.fetch("SELECT step FROM effects ORDER BY step")
    assert [row["step"] for row in steps] == [1, 2, 3]


async def test_a_consumer_killed_between_the_records_of_a_poll_commits_none_of_it(
    kit: Kit, kafka_bootstrap: str
) -> None:
    """Killed after the first record's handler, before the poll's commit: none of the poll's
    effects are there; started again, it applies each of them once."""
    await kit.pool.execute("CREATE TABLE effects (event_id uuid NOT NULL, step int NOT NULL)")
    assert await run_worker(kit, kafka_bootstrap, "write", 3) == 0
    assert await run_worker(kit, kafka_bootstrap, "relay", 3) == 0

    assert (
        await run_worker(kit, kafka_bootstrap, "consume", 3, crash_at="consumer.between_records")
        == -signal.SIGKILL
    )
    assert await kit.pool.fetchval("SELECT count(*) FROM effects") == 0
    assert await kit.pool.fetchval("SELECT count(*) FROM inbox") == 0
    assert await run_worker(kit, kafka_bootstrap, "consume", 3) == 0

    steps = await kit.pool.fetch("SELECT step FROM effects ORDER BY step")
    assert [row["step"] for row in steps] == [1, 2, 3]
