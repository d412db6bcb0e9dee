"""Poison messages, produced straight onto the topics the services consume, about one for every
hundred events the suite publishes: malformed JSON, an envelope whose data breaks its schema, an
event type no contract declares, and a record too large to be an event.

The well-formed ones name a source outside the campaign's deployment (``<deployment>-rogue``):
they claim no place in its hash chains, as a misbehaving client's records would not. Consumers
must still dead-letter every one of them (they fail to parse before the source is looked at).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from faults.aio import cancelled_for_real
from faults.tap import Tap
from inclusion_shared.messaging.connection import KafkaSettings

KINDS = ("malformed-json", "wrong-schema", "unknown-type", "oversized")
OVERSIZED_BYTES = 600 * 1024  # over the consumers' 512 KiB limit, under the broker's 1 MiB


@dataclass(frozen=True)
class Poisoned:
    kind: str
    topic: str
    partition: int
    offset: int
    produced_at: float


class Poisoner:
    def __init__(
        self, kafka: KafkaSettings, deployment: str, topics: list[str], rng: random.Random
    ):
        self.kafka = kafka
        self.rogue_source_prefix = f"/inclusion/{deployment}-rogue/"
        self.source_prefix = f"/inclusion/{deployment}/"
        self.topics = topics
        self.rng = rng
        self.sent: list[Poisoned] = []

    async def keep_up(self, tap: Tap, stop: asyncio.Event, per_events: int = 100) -> None:
        """One poison for every `per_events` of the suite's events on the consumed topics."""
        while not stop.is_set():
            events = sum(tap.keyed[topic] for topic in self.topics)
            if len(self.sent) < events // per_events:
                await self.send_one(tap)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.5)

    async def top_up(self, tap: Tap, each: int) -> None:
        """At least `each` poisons of every kind, however short the run was."""
        for kind in KINDS:
            while sum(p.kind == kind for p in self.sent) < each:
                await self.send_one(tap, kind)

    async def send_one(
        self, tap: Tap, kind: str | None = None, topics: Collection[str] = ()
    ) -> Poisoned:
        """One poison on one of `topics` (any consumed topic if none), once the broker has it."""
        kind = kind or KINDS[len(self.sent) % len(KINDS)]
        topic, template = self._template(tap, sorted(topics) or self.topics)
        value = self._value(kind, template)
        while True:
            producer = AIOKafkaProducer(
                **self.kafka.client_options(), acks="all", max_request_size=2 * 1024 * 1024
            )
            try:
                await producer.start()
                partitions = sorted(await producer.partitions_for(topic))
                stamped = time.time()
                meta = await producer.send_and_wait(
                    topic,
                    value=value,
                    partition=self.rng.choice(partitions),
                    timestamp_ms=int(stamped * 1000),
                )
                poisoned = Poisoned(kind, topic, meta.partition, meta.offset, stamped)
                self.sent.append(poisoned)
                return poisoned
            except (KafkaError, OSError, asyncio.CancelledError):
                if cancelled_for_real():
                    raise
                await asyncio.sleep(0.5)  # the broker is restarting: send it when it is back
            finally:
                with contextlib.suppress(KafkaError, OSError):
                    await producer.stop()

    def _template(self, tap: Tap, topics: list[str]) -> tuple[str, dict[str, Any] | None]:
        """One of the topics, and one of the suite's events on it to shape a poison after."""
        topic = self.rng.choice(topics)
        for record in reversed(tap.on(topic)):
            event = record.event()
            if event is not None and str(event.get("source", "")).startswith(self.source_prefix):
                return topic, event
        return topic, None

    def _value(self, kind: str, template: dict[str, Any] | None) -> bytes:
        if kind == "malformed-json" or template is None:
            return b'{"specversion": "1.0", "id": "' + uuid4().hex.encode() + b'", "type": '
        event = dict(template)
        service = str(event["source"]).rsplit("/", 1)[-1]
        event["id"] = str(uuid4())
        event["source"] = self.rogue_source_prefix + service
        if kind == "wrong-schema":
            event["data"] = {"unexpected": True}
        elif kind == "unknown-type":
            event["type"] = f"{service}.unheard-of.v9"
        else:
            event["data"] = {**event["data"], "padding": "x" * OVERSIZED_BYTES}
        return json.dumps(event).encode()
