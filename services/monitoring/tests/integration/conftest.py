"""The monitoring service running for real (Kafka → inbox → PostgreSQL → pages), fed by four
upstream publishers with the scenario, once per test module. Each module names a deployment of
its own, so nothing another test publishes shows in its figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from fastapi.testclient import TestClient

from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.testing import UpstreamService, eventually, join_at_the_end
from monitoring.app import create_app
from monitoring.settings import Settings

from .scenario import Scenario

SERVICES = ("funding", "placements", "reviews", "feedback")


@dataclass
class Monitoring:
    client: TestClient
    settings: Settings
    signing_key: bytes
    public_key: Path
    scenario: Scenario

    def as_(self, role: str, subject: str | None = None, **scope: Any) -> dict[str, str]:
        """A caller's headers: Kent-wide unless a scope is given (``areas=("east-kent",)``,
        ``districts=(...)``, ``settings=(...)``, ``child=...``)."""
        scope = scope or {"areas": ("kent",)}
        token = mint_token(
            self.signing_key, role=role, subject=subject or person_id_for(f"{role}-1"), **scope
        )
        return {"Authorization": f"Bearer {token}"}

    def table(self, figure: str, scope: str = "kent", **query: str) -> dict[str, Any]:
        """A figure's published table, as a Kent-wide Area Board member downloads it."""
        answer = self.client.get(
            f"/figures/{figure}/table.json",
            params={"scope": scope, "year": "2026-27", **query},
            headers=self.as_("area-board"),
        )
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    async def fetchval(self, query: str, *args: Any) -> Any:
        connection = await asyncpg.connect(
            self.settings.database_url, server_settings={"search_path": "monitoring"}
        )
        try:
            return await connection.fetchval(query, *args)
        finally:
            await connection.close()

    async def consumed(self, events: list[Any]) -> None:
        """Wait until the inbox holds every one of these events."""
        ids = [event.id for event in events]

        async def all_in() -> bool:
            found = await self.fetchval(
                "SELECT count(*) FROM inbox WHERE event_id = ANY($1::uuid[])", ids
            )
            return bool(found == len(ids))

        await eventually(all_in, within=120)


def rows(table: dict[str, Any]) -> dict[str, list[Any]]:
    """A published table as {row key: values}, the total row under "total"."""
    found = {row["key"]: row["values"] for row in table["rows"]}
    if table["total"] is not None:
        found["total"] = table["total"]["values"]
    return found


def columns(table: dict[str, Any]) -> list[str]:
    return [column["key"] for column in table["columns"]]


@pytest.fixture(scope="module")
async def module_database(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh database for the module's service, dropped afterwards."""
    name = f"test_monitoring_{uuid4().hex[:10]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = admin_dsn.rpartition("/")
    yield f"{base}/{name}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path]:
    signing_key = generate_signing_key()
    public = tmp_path_factory.mktemp("keys") / "dev.pub.pem"
    public.write_bytes(public_key_pem(signing_key))
    return signing_key, public


def monitoring_settings(
    database_url: str, kafka: str, public: Path, deployment: str, **changes: Any
) -> Settings:
    fields: dict[str, Any] = {
        "database_url": database_url,
        "kafka": KafkaSettings(bootstrap_servers=kafka),
        "auth_public_key_file": public,
        "deployment": deployment,
        "dev_sign_in": True,
        "relay_poll_interval_seconds": 0.2,
    }
    return Settings(**(fields | changes))


async def join_at_the_topics_end(kafka: str, settings: Settings) -> None:
    """The service's consumer group (new: the module's deployment is) starts at the end of
    what it consumes, not at every earlier run on the shared broker. Reading from offset 0 is
    what the rebuild tests do."""
    inbox = create_app(settings).state.service.consumer
    await join_at_the_end(kafka, inbox.name, inbox.topics)


@pytest.fixture(scope="module")
async def monitoring(
    module_database: str, kafka_bootstrap: str, keys: tuple[bytes, Path]
) -> AsyncIterator[Monitoring]:
    """The service, with the scenario published and consumed."""
    signing_key, public = keys
    tag = uuid4().hex[:10]
    settings = monitoring_settings(module_database, kafka_bootstrap, public, f"monitoring-{tag}")
    producer = idempotent_producer(
        KafkaSettings(bootstrap_servers=kafka_bootstrap), f"upstream-monitoring-{tag}"
    )
    await producer.start()
    try:
        upstream = {name: UpstreamService(name, producer, settings.deployment) for name in SERVICES}
        scenario = Scenario(upstream, tag)
        await join_at_the_topics_end(kafka_bootstrap, settings)
        with TestClient(create_app(settings), base_url="https://testserver") as client:
            monitored = Monitoring(client, settings, signing_key, public, scenario)
            await scenario.publish()
            await monitored.consumed(scenario.events)
            yield monitored
    finally:
        await producer.stop()
