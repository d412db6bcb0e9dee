"""Background work that never dies silently: a failure is logged with its traceback, counted
and followed by a restart; a task that keeps dying fails liveness; the relay, supervised, comes
back from an error nobody foresaw and drains the outbox."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import relay_producer
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.observability.metrics import (
    TASK_FAILURES,
    configure_metrics,
    metrics_endpoint,
)
from inclusion_shared.persistence.unit_of_work import unit_of_work
from inclusion_shared.supervision import Supervised
from inclusion_shared.testing import CaseNoted, command_cause, eventually

from .conftest import Kit


async def test_a_failing_task_is_logged_counted_and_restarted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stopping, runs = asyncio.Event(), []

    async def work() -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise RuntimeError(f"an error nobody foresaw ({len(runs)})")
        await stopping.wait()

    with caplog.at_level(logging.ERROR, logger="inclusion_shared.supervision"):
        task = Supervised("work", work, stopping, backoff=0.01).start()
        await eventually(lambda: _true(task.running and len(runs) == 3))
        stopping.set()
        await task.wait()

    assert (task.failures, task.alive, task.running) == (2, True, False)
    failures = [r for r in caplog.records if r.getMessage().startswith("background task failed")]
    assert len(failures) == 2
    assert all(r.exc_info and isinstance(r.exc_info[1], RuntimeError) for r in failures)


async def test_a_task_that_keeps_dying_is_no_longer_alive() -> None:
    stopping = asyncio.Event()

    async def work() -> None:
        raise RuntimeError("dies at once, every time")

    task = Supervised("doomed", work, stopping, backoff=0.001, dying_after=3).start()
    await eventually(lambda: _true(not task.alive))
    stopping.set()
    await task.wait()
    assert task.failing >= 3 and not task.running


async def test_work_that_returns_while_the_service_runs_is_restarted() -> None:
    stopping, runs = asyncio.Event(), []

    async def work() -> None:
        runs.append(1)
        if len(runs) > 1:
            await stopping.wait()

    task = Supervised("returns", work, stopping, backoff=0.01).start()
    await eventually(lambda: _true(len(runs) == 2))
    stopping.set()
    await task.wait()
    assert task.failures == 1


async def test_the_supervised_relay_recovers_from_an_unexpected_error_and_drains_the_outbox(
    kit: Kit, kafka_bootstrap: str
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    async with unit_of_work(kit.pool, kit.outbox, command_cause()) as work:
        for step in range(1, 6):
            work.emit(kit.event_type, "case-1", CaseNoted(case="case-1", step=step))
    relay = Relay(
        kit.name,
        kit.connect,
        lambda: relay_producer(kafka, f"{kit.name}-relay"),
        batch_size=2,
        poll_interval=0.1,
    )
    record, tripped = relay._record, []

    async def trips_once(*args: Any) -> None:
        if not tripped:
            tripped.append(True)
            raise KeyError("a bug in recording deliveries")
        await record(*args)

    relay._record = trips_once  # type: ignore[method-assign]
    configure_metrics("test", None)
    counted_before = TASK_FAILURES.total(task="relay")
    stopping = asyncio.Event()
    task = Supervised("relay", lambda: relay.run(stopping), stopping, backoff=0.05).start()
    try:
        await eventually(
            lambda: _at_least(kit.pool.fetchval("SELECT count(*) FROM outbox_delivery"), 5)
        )
    finally:
        stopping.set()
        await task.wait()
    assert task.failures == 1 and task.alive
    assert TASK_FAILURES.total(task="relay") == counted_before + 1  # what an operator graphs
    assert await kit.pool.fetchval("SELECT count(DISTINCT seq) FROM outbox_delivery") == 5


async def _true(value: bool) -> bool:
    return value


async def _at_least(count: Any, wanted: int) -> bool:
    return bool(await count >= wanted)


def test_metrics_go_beside_the_traces_unless_sent_elsewhere() -> None:
    traces = "http://collector:4318/v1/traces"
    assert metrics_endpoint(traces, None) == "http://collector:4318/v1/metrics"
    assert metrics_endpoint(traces, "http://other/v1/metrics") == "http://other/v1/metrics"
    assert metrics_endpoint(None, None) is None
