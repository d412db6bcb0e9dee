"""`inclusion-monitoring-replay`: rebuild the whole monitoring model from offset 0 of the topics
it consumes, into fresh tables (a schema of their own), through the very handlers the running
service uses, then compare every figure's tallies with the live model's.

    inclusion-monitoring-replay [--schema monitoring_replay]

It reads the same settings as the service (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, DEPLOYMENT)
and counts only that deployment's events ("ignored" in the report: another deployment's, or
a type monitoring does not count). It prints a JSON report and exits 0 when the rebuilt
model publishes the same figures as the live one, 1 when any figure differs (the report names
which). Events the live service has not consumed yet show as differences: run it when the
service has caught up. The live model is never changed; the rebuilt one is left for inspection
and replaced by the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

import asyncpg
from aiokafka import AIOKafkaProducer

from inclusion_shared.bootstrap import Service
from inclusion_shared.messaging.consumer import Delivery
from inclusion_shared.persistence.migrate import migrate
from inclusion_shared.persistence.outbox import source_of
from inclusion_shared.persistence.pool import create_pool
from monitoring import stream
from monitoring.adapters.log import read_from_the_start
from monitoring.app import MIGRATIONS
from monitoring.reports import digest
from monitoring.settings import Settings

SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
SOURCE = re.compile(rb'"source"\s*:\s*"([^"]*)"')


def of_deployment(value: bytes | None, prefix: bytes) -> bool:
    """Whether a record's event comes from this deployment, told without parsing it: reading
    from offset 0 of a shared broker, most records are another deployment's."""
    found = SOURCE.search(value or b"")
    return found is not None and found[1].startswith(prefix)


class DeadLettersAlreadySent:
    """A replay never dead-letters again: the running service did so when the message first
    came. It counts them instead."""

    def __init__(self) -> None:
        self.count = 0

    async def send_and_wait(self, *_: Any, **__: Any) -> None:
        self.count += 1


@dataclass
class Rebuilt:
    schema: str
    outcomes: Counter[str] = field(default_factory=Counter)


async def rebuild(settings: Settings, schema: str) -> Rebuilt:
    """A fresh model in ``schema`` from every consumed topic's offset 0."""
    if not SCHEMA.match(schema) or schema == settings.service_name:
        raise ValueError(f"{schema!r} is not a schema the replay may build into")
    connection = await asyncpg.connect(settings.database_url)
    try:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await connection.close()
    pool = await create_pool(settings.database_url, schema)
    try:
        await migrate(pool, settings.service_name, MIGRATIONS)
        # The consumer the service itself runs (same handlers, same inbox name), unsubscribed.
        consumer = Service(settings, migrations=MIGRATIONS).consumer
        stream.subscribe(consumer)
        consumer.bind(pool, cast(AIOKafkaProducer, DeadLettersAlreadySent()))
        rebuilt = Rebuilt(schema)
        ours = source_of(settings.deployment, "").encode()
        async for record in read_from_the_start(settings.kafka_bootstrap_servers, consumer.topics):
            if not of_deployment(record.value, ours):
                rebuilt.outcomes["ignored"] += 1
                continue
            outcome = await consumer.process(
                Delivery(
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    key=record.key,
                    value=record.value or b"",
                    headers=dict(record.headers),
                )
            )
            rebuilt.outcomes[outcome.value] += 1
        return rebuilt
    finally:
        await pool.close()


async def compare(settings: Settings, schema: str) -> dict[str, bool]:
    """For each figure's tallies: whether the live model and the one in ``schema`` agree."""
    digests = []
    for name in (settings.service_name, schema):
        pool = await create_pool(settings.database_url, name)
        try:
            async with pool.acquire() as connection:
                digests.append(await digest(connection))
        finally:
            await pool.close()
    live, rebuilt = digests
    return {source: live[source] == rebuilt[source] for source in sorted(live)}


async def replay(settings: Settings, schema: str) -> dict[str, Any]:
    rebuilt = await rebuild(settings, schema)
    same = await compare(settings, schema)
    return {
        "deployment": settings.deployment,
        "schema": schema,
        "events": dict(rebuilt.outcomes),
        "figures": {source: "same" if agree else "DIFFERENT" for source, agree in same.items()},
        "identical": all(same.values()),
    }


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default="monitoring_replay", help="where to rebuild")
    args = parser.parse_args(argv)
    report = asyncio.run(replay(Settings(), args.schema))
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["identical"] else 1)
