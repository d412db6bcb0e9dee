"""`inclusion log rebuild`: put the decision log back on a broker that lost it.

Each service's outbox is its log, hash-chained and append-only; the broker holds a copy. When
the broker's data was reset while the databases were kept (a re-cloned checkout, a rebuilt
Kafka cluster), a service says so at start and is not ready. This command stops each service
whose events the broker no longer holds, records a republication in its database (the relay
then publishes the whole outbox again from the first event, with the same ids, hashes and
order, and signs checkpoints afresh), starts the suite and waits until every republished log
is on the broker again; `inclusion audit verify` then passes.
"""

from __future__ import annotations

import asyncio
import time

import asyncpg
import typer

from inclusion_cli.paths import StateDir
from inclusion_cli.services import default_specs, stop_services
from inclusion_cli.stack import Infrastructure
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.continuity import lost_on_the_broker, republish
from inclusion_shared.persistence.outbox import REPUBLICATION

REASON = "inclusion log rebuild: the broker had lost events this service published"
UNPUBLISHED = f"""SELECT count(*) FROM outbox o WHERE NOT EXISTS (
                      SELECT 1 FROM outbox_delivery d
                      WHERE d.seq = o.seq AND d.republication = {REPUBLICATION})"""


async def _connect(dsn: str, service: str) -> asyncpg.Connection:
    return await asyncpg.connect(dsn, server_settings={"search_path": service})


async def lost_logs(infra: Infrastructure) -> dict[str, list[str]]:
    """Per service, the partitions whose published events the broker no longer holds."""
    kafka = KafkaSettings(bootstrap_servers=infra.kafka)
    found: dict[str, list[str]] = {}
    for service in (name for name in SERVICES if name in infra.databases):
        pool = await asyncpg.create_pool(
            infra.databases[service], min_size=1, max_size=1,
            server_settings={"search_path": service},
        )  # fmt: skip
        try:
            lost = await lost_on_the_broker(pool, kafka)
        finally:
            await pool.close()
        if lost:
            found[service] = [str(partition) for partition in lost]
    return found


async def record_republications(infra: Infrastructure, services: list[str]) -> None:
    for service in services:
        connection = await _connect(infra.databases[service], service)
        try:
            number = await republish(connection, REASON)
        finally:
            await connection.close()
        typer.echo(f"{service}: republication {number} recorded")


async def wait_republished(infra: Infrastructure, services: list[str], within: float) -> None:
    deadline = time.monotonic() + within
    for service in services:
        connection = await _connect(infra.databases[service], service)
        try:
            while (waiting := await connection.fetchval(UNPUBLISHED)) > 0:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service} still has {waiting} events to publish again")
                await asyncio.sleep(0.2)
        finally:
            await connection.close()
        typer.echo(f"{service}: its whole log is on the broker again")


def rebuild_stopped(state: StateDir, infra: Infrastructure) -> list[str]:
    """Find the services whose log the broker lost, stop them and record a republication in
    each; returns their names (none: nothing was changed). The caller starts the suite."""
    lost = asyncio.run(lost_logs(infra))
    if not lost:
        return []
    for service, partitions in lost.items():
        typer.echo(f"{service}: the broker lost what it published ({'; '.join(partitions)})")
    stop_services(state, [spec for spec in default_specs() if spec.name in lost])
    asyncio.run(record_republications(infra, list(lost)))
    return list(lost)
