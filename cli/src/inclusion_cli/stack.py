"""What `inclusion up` needs: Kafka and per-service databases, external (from the environment)
or local (started here), recording in the state file what this started."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from inclusion_cli import state as state_file
from inclusion_cli.infra.kafka import ensure_kafka, local_node
from inclusion_cli.infra.postgres import (
    SERVICE_NAMES,
    ensure_postgres,
    ensure_service_databases,
    local_cluster,
)
from inclusion_cli.paths import StateDir


@dataclass(frozen=True)
class Infrastructure:
    kafka: str
    databases: dict[str, str]  # service -> DSN
    kafka_external: bool
    postgres_external: bool
    kafka_started: bool = False
    postgres_started: bool = False


def external_kafka(environ: Mapping[str, str]) -> str | None:
    return environ.get("KAFKA_BOOTSTRAP_SERVERS") or None


def external_databases(
    environ: Mapping[str, str], services: Iterable[str] = SERVICE_NAMES
) -> dict[str, str] | None:
    """`<SERVICE>_DATABASE_URL`, else the shared DATABASE_URL, for every service; None (use the
    local cluster) if any service has neither."""
    shared = environ.get("DATABASE_URL")
    found = {name: environ.get(f"{name.upper()}_DATABASE_URL") or shared for name in services}
    if all(found.values()):
        return {name: url for name, url in found.items() if url}
    return None


def ensure_infrastructure(
    state: StateDir, environ: Mapping[str, str] | None = None
) -> Infrastructure:
    """Kafka and Postgres are decided separately: an external one replaces only its own kind."""
    environ = os.environ if environ is None else environ
    kafka = external_kafka(environ)
    kafka_external, kafka_started = kafka is not None, False
    if kafka is None:
        run = ensure_kafka(local_node(state))
        kafka, kafka_started = run.bootstrap_servers, run.started
        if run.started:
            state_file.record_started(state.state_file, "kafka")

    databases = external_databases(environ)
    postgres_external, postgres_started = databases is not None, False
    if databases is None:
        cluster = local_cluster()
        pg = ensure_postgres(cluster)
        postgres_started = pg.started
        if pg.started:
            state_file.record_started(state.state_file, "postgres")
        databases = ensure_service_databases(cluster)

    return Infrastructure(
        kafka, databases, kafka_external, postgres_external, kafka_started, postgres_started
    )
