"""Fixtures for the kit's integration tests: a migrated schema with a sample contract, a running
relay, and a sample inbox consumer that records each effect it applies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest

from inclusion_shared.events.catalogue import Topic
from inclusion_shared.events.registry import ContractRegistry
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import ensure_topics, relay_producer
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.outbox import Outbox
from inclusion_shared.testing import migrated_pool, sample_contracts


@dataclass
class Kit:
    """One throwaway 'service': its schema, outbox, sample contract and topic."""

    name: str
    database_url: str
    pool: asyncpg.Pool
    contracts: ContractRegistry
    topic: Topic
    event_type: str
    outbox: Outbox

    async def connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.database_url, server_settings={"search_path": self.name})


@pytest.fixture
async def kit(database_url: str, kafka_bootstrap: str, unique: str) -> AsyncIterator[Kit]:
    name = f"kit{unique}"
    contracts, topic, event_type = sample_contracts(name)
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap), [topic])
    pool = await migrated_pool(database_url, name)
    yield Kit(name, database_url, pool, contracts, topic, event_type, Outbox(name, contracts))
    await pool.close()


@pytest.fixture
async def running_relay(kit: Kit, kafka_bootstrap: str) -> AsyncIterator[Relay]:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    relay = Relay(
        kit.name,
        kit.connect,
        lambda: relay_producer(kafka, f"{kit.name}-relay"),
        batch_size=50,
        poll_interval=0.5,
    )
    stopping = asyncio.Event()
    task = asyncio.create_task(relay.run(stopping))
    yield relay
    stopping.set()
    await task
