"""The one Kafka fixture and the one PostgreSQL fixture every test uses.

Integration tests run against a real Apache Kafka broker and a real PostgreSQL server, started
the same way ``make up`` starts them (or given by KAFKA_BOOTSTRAP_SERVERS and
TEST_ADMIN_DATABASE_URL, or by testcontainers where a Docker engine exists).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import asyncpg
import pytest

from inclusion_cli.testing import ensure_test_kafka, ensure_test_postgres

# Every service a test starts names this deployment in its events, so test runs never mix their
# events into the demo's decision log (`make up` uses the deployment "kent") on a shared broker.
os.environ.setdefault("DEPLOYMENT", f"test-{uuid4().hex[:8]}")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return ensure_test_kafka()


@pytest.fixture(scope="session")
def admin_dsn() -> str:
    return ensure_test_postgres()


@pytest.fixture
async def database_url(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"test_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield _with_database(admin_dsn, name)
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
def unique() -> Iterator[str]:
    """A short unique token for names (topics, groups) that must not collide between tests."""
    yield uuid4().hex[:10]


def _with_database(dsn: str, database: str) -> str:
    base, _, _ = dsn.rpartition("/")
    return f"{base}/{database}"
