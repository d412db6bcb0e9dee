"""The real local broker and database the bench runs against, scratch databases and bench
topics it creates and removes, and a refusal to talk to anything but this machine.

Every Kafka client of the bench is made from a ``KafkaSettings`` (``client_options``), as the
services' are; the funding service it starts gets the same settings as ``KAFKA_*`` variables."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from inclusion_cli.testing import ensure_test_kafka, ensure_test_postgres
from inclusion_shared.events.catalogue import Topic
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import ensure_topics


class NotLocal(RuntimeError):
    """The bench loads what it talks to: it refuses anything but the loopback interface."""


@dataclass(frozen=True)
class Infra:
    kafka: KafkaSettings
    admin_dsn: str
    secure: KafkaSettings | None = None
    """The secure broker's super user, for the cost of TLS and SASL (None: not measured)."""


def local_infra() -> Infra:
    """Kafka and PostgreSQL the way the tests get them (started if needed), loopback only."""
    kafka = KafkaSettings(bootstrap_servers=ensure_test_kafka())
    admin_dsn = ensure_test_postgres()
    require_local_kafka(kafka)
    _require_loopback(urlsplit(admin_dsn).hostname or "", "PostgreSQL")
    return Infra(kafka, admin_dsn)


def require_local_kafka(kafka: KafkaSettings) -> None:
    for server in kafka.bootstrap_servers.split(","):
        _require_loopback(server.rpartition(":")[0], f"Kafka {kafka.bootstrap_servers}")


def _require_loopback(host: str, what: str) -> None:
    try:
        address = ipaddress.ip_address(socket.gethostbyname(host.strip("[]")))
    except (OSError, ValueError):
        raise NotLocal(f"{what}: cannot resolve {host!r}") from None
    if not address.is_loopback:
        raise NotLocal(f"{what} is at {address}, not this machine: the bench runs locally only")


def database_url(admin_dsn: str, database: str) -> str:
    parts = urlsplit(admin_dsn)
    return parts._replace(path=f"/{database}").geturl()


@contextlib.asynccontextmanager
async def scratch_database(admin_dsn: str, name: str) -> AsyncIterator[str]:
    """A fresh database for one bench run, dropped afterwards whatever happens."""
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield database_url(admin_dsn, name)
    finally:
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def create_topics(kafka: KafkaSettings, topics: Iterable[Topic]) -> None:
    """Bench topics are created the kit's way (with their dead-letter topics); on the secure
    broker ``kafka`` is its super user, the one principal there allowed to create topics."""
    await ensure_topics(kafka, topics)


async def delete_topics(kafka: KafkaSettings, prefix: str) -> list[str]:
    """Delete every topic whose name starts with ``prefix`` (a bench id, never a catalogue name)."""
    if not prefix.startswith("bench-"):
        raise ValueError(f"refusing to delete topics named {prefix}*: not a bench prefix")
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        doomed = [name for name in await admin.list_topics() if name.startswith(prefix)]
        if doomed:
            await admin.delete_topics(doomed)
        return doomed
    finally:
        await admin.close()
