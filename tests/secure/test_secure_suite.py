"""The whole suite on the secure stack, as `make up SECURE=1` runs it: the five services, each
as its own Kafka principal over SASL_SSL and its own PostgreSQL role over verified TLS, run the
Kent demo's commands, publish their events, consume each other's, and the auditor reads back a
log that verifies."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from inclusion_cli.demo.data import kent_demo
from inclusion_cli.demo.report import read_the_log
from inclusion_cli.demo.scenario import Calendar, Scenario
from inclusion_cli.demo.suite import DONE, FAILED, SKIPPED, Suite
from inclusion_cli.infra.postgres import admin_dsn, dsn
from inclusion_cli.keys import (
    audit_public_keys,
    ensure_audit_keys,
    ensure_dev_signing_key,
    ensure_personal_data_key,
)
from inclusion_cli.paths import StateDir
from inclusion_cli.secure import DEPLOYED, SecureStack
from inclusion_cli.services import (
    ServiceSpec,
    default_specs,
    log_file,
    service_env,
    start_services,
    stop_services,
)
from inclusion_cli.sync import run_sync
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.acls import AUDITOR


@dataclass(frozen=True)
class SecureSuite:
    urls: dict[str, str]
    keys: Path
    databases: dict[str, str]  # service -> its DSN, as its own role


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _own_database(secure: SecureStack, service: str, name: str, *, drop: bool = False) -> str:
    """A fresh database owned by the service's role, which no other role may open."""
    admin = await asyncpg.connect(admin_dsn(secure.cluster), timeout=10)
    try:
        if drop:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            await admin.execute(f'CREATE DATABASE "{name}" OWNER "{service}"')
            await admin.execute(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC')
            await admin.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{name}" TO "{service}"')
    finally:
        await admin.close()
    return dsn(secure.cluster, service, name)


@pytest.fixture(scope="module")
def secure_suite(
    secure: SecureStack, deployment: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SecureSuite]:
    state = StateDir(tmp_path_factory.mktemp("secure-suite")).ensure()
    specs = [ServiceSpec(spec.name, _free_port(), spec.command) for spec in default_specs()]
    assert {spec.name for spec in specs} == set(DEPLOYED)
    key = ensure_dev_signing_key(state.keys)
    personal_data_key = ensure_personal_data_key(state.keys)
    audit_keys = ensure_audit_keys(state.keys, [spec.name for spec in specs])
    names = {spec.name: f"secure_{spec.name}_{uuid4().hex[:8]}" for spec in specs}
    databases = {
        service: run_sync(lambda s=service, n=name: _own_database(secure, s, n))
        for service, name in names.items()
    }
    envs = {
        spec.name: {
            **service_env(
                spec,
                kafka=secure.node.bootstrap_servers,
                database_url=databases[spec.name],
                public_key=key.public,
                personal_data_key=personal_data_key,
                audit_key=audit_keys[spec.name],
                kafka_environment=secure.service_environment(spec.name),
            ),
            "RELAY_POLL_INTERVAL_SECONDS": "0.2",
            "DEPLOYMENT": deployment,
        }
        for spec in specs
    }
    try:
        outcomes = start_services(state, specs, envs, timeout=120.0)
        failed = [o.spec for o in outcomes if not o.ready]
        if failed:
            logs = {s.name: log_file(state, s).read_text()[-3000:] for s in failed}
            pytest.fail(f"the suite did not start on the secure stack: {logs}")
        yield SecureSuite({spec.name: spec.url for spec in specs}, state.keys, databases)
    finally:
        stop_services(state, specs)
        for service, name in names.items():
            run_sync(lambda s=service, n=name: _own_database(secure, s, n, drop=True))


async def _consumed(url: str) -> Counter[str]:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        rows = await connection.fetch("SELECT split_part(topic, '.', 1) AS owner FROM inbox")
    finally:
        await connection.close()
    return Counter(row["owner"] for row in rows)


async def test_every_service_runs_the_demo_over_sasl_ssl_and_tls_and_the_auditor_verifies_it(
    secure: SecureStack, secure_suite: SecureSuite, deployment: str, unique: str
) -> None:
    prefix = f"secure{unique}"
    demo = kent_demo(int(unique, 16) % 100_000, prefix=prefix)
    with Suite(secure_suite.urls, secure_suite.keys, key_prefix=prefix) as suite:
        Scenario(suite, demo, Calendar(datetime.now(UTC).date())).run()
    steps = Counter(outcome.status for outcome in suite.outcomes)
    assert (steps[FAILED], steps[SKIPPED]) == (0, 0), steps
    assert steps[DONE] > 400

    reading = await read_the_log(
        secure.kafka(AUDITOR), deployment, audit_public_keys(secure_suite.keys, SERVICES), demo
    )
    assert reading.report.failures == [], reading.render(deployment)
    # Each consequence is one service consuming another's events.
    assert reading.consequences["funding.application.reapplication-opened"] == 5
    assert reading.consequences["feedback.invitation.issued"] >= 20
    # Monitoring, which publishes nothing, read every publishing service's events.
    monitoring = await _consumed(secure_suite.databases["monitoring"])
    assert set(SERVICES) <= set(monitoring), monitoring
