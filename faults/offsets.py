"""Committed offsets are never ahead of the inbox, checked while the faults happen: every second
or two, each consumer group's committed offsets are read first, then its service's inbox is
asked about every event it handles below them. An event below a committed offset that the inbox
has not recorded is one a crash at that moment would have lost."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from faults.aio import cancelled_for_real
from faults.stores import HANDLED, consumed_topics, in_inbox
from faults.tap import Record, Tap
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import consumer_group


@dataclass
class OffsetSampler:
    kafka: KafkaSettings
    admin_dsn: str
    deployment: str
    tap: Tap
    samples: int = 0
    events_checked: int = 0
    violations: list[dict[str, Any]] = field(default_factory=list)
    _checked: dict[tuple[str, str, int], int] = field(default_factory=dict)

    async def run(self, stop: asyncio.Event, every: float = 1.5) -> None:
        while not stop.is_set():
            for service in HANDLED:
                try:
                    await self.sample(service)
                except (KafkaError, OSError, asyncpg.PostgresError, TimeoutError):
                    pass  # the broker or the database is down: sample again next time
                except asyncio.CancelledError:
                    if cancelled_for_real():
                        raise
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)

    async def committed(self, service: str) -> dict[tuple[str, int], int]:
        admin = AIOKafkaAdminClient(**self.kafka.client_options(), request_timeout_ms=5000)
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(
                consumer_group(self.deployment, service)
            )
        finally:
            await admin.close()
        topics = consumed_topics(service)
        return {
            (tp.topic, tp.partition): meta.offset
            for tp, meta in offsets.items()
            if tp.topic in topics and meta.offset >= 0
        }

    async def sample(self, service: str) -> None:
        committed = await self.committed(service)  # first the offsets, then the inbox
        due: dict[str, tuple[Record, int]] = {}
        reached: dict[tuple[str, int], int] = {}
        for (topic, partition), offset in committed.items():
            since = self._checked.get((service, topic, partition), 0)
            upto = min(offset, self.tap.position(topic, partition))
            for record in self.tap.records.get((topic, partition), [])[since:upto]:
                if self._handles(service, record):
                    event = record.event()
                    assert event is not None
                    due[str(event["id"])] = (record, offset)
            reached[(topic, partition)] = upto
        recorded = await in_inbox(self.admin_dsn, service, due)
        self.samples += 1
        self.events_checked += len(due)
        for event_id, (record, offset) in due.items():
            if event_id not in recorded:
                self.violations.append(
                    {
                        "group": consumer_group(self.deployment, service),
                        "topic": record.topic,
                        "partition": record.partition,
                        "offset": record.offset,
                        "committed": offset,
                        "event_id": event_id,
                    }
                )
        for (topic, partition), upto in reached.items():
            self._checked[(service, topic, partition)] = upto

    def _handles(self, service: str, record: Record) -> bool:
        return handles(service, self.deployment, record)


def handles(service: str, deployment: str, record: Record) -> bool:
    """The record is an event of this deployment of a type the service's inbox takes."""
    try:
        event = json.loads(record.value)
    except ValueError:
        return False
    return (
        isinstance(event, dict)
        and event.get("type") in HANDLED[service]
        and str(event.get("source", "")).startswith(f"/inclusion/{deployment}/")
        and len(record.value) <= 512 * 1024
    )
