"""What `inclusion up` needs: Kafka and per-service databases, external (from the environment)
or local (started here), recording in the state file what this started."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from inclusion_cli import state as state_file
from inclusion_cli.infra.kafka import ensure_kafka, local_node
from inclusion_cli.infra.postgres import (
    SERVICE_NAMES,
    ensure_postgres,
    ensure_service_databases,
    local_cluster,
)
from inclusion_cli.paths import StateDir
from inclusion_cli.secure import bootstrap, secure_stack
from inclusion_cli.sync import run_sync


@dataclass(frozen=True)
class Infrastructure:
    kafka: str
    databases: dict[str, str]  # service -> DSN
    kafka_external: bool
    postgres_external: bool
    kafka_started: bool = False
    postgres_started: bool = False
    # Per service, the KAFKA_* variables beyond the brokers' address (secure: who it is).
    kafka_environments: dict[str, dict[str, str]] = field(default_factory=dict)
    postgres_address: str = "127.0.0.1:5433"


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


def ensure_secure_infrastructure(state: StateDir, deployment: str) -> Infrastructure:
    """The secure local stack (inclusion_cli.secure): its broker and cluster, started unless
    they run; the topics and every principal's ACLs for ``deployment``; the principals'
    properties files. Never an external broker or database: this mode is how they are made."""
    stack = secure_stack(state)
    run = ensure_kafka(stack.node)
    if run.started:
        state_file.record_started(state.state_file, "kafka-secure")
    run_sync(lambda: bootstrap(stack, deployment))
    stack.write_properties()
    pg = ensure_postgres(stack.cluster)
    if pg.started:
        state_file.record_started(state.state_file, "postgres-secure")
    databases = ensure_service_databases(stack.cluster)
    return Infrastructure(
        run.bootstrap_servers,
        databases,
        kafka_external=False,
        postgres_external=False,
        kafka_started=run.started,
        postgres_started=pg.started,
        kafka_environments={name: stack.service_environment(name) for name in databases},
        postgres_address=f"{stack.cluster.host}:{stack.cluster.port}",
    )
