"""`inclusion status`: one line per component, probed in parallel."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

import asyncpg
import httpx

from inclusion_cli.infra.kafka import kafka_pid, local_node, probe_kafka
from inclusion_cli.infra.postgres import (
    PgCluster,
    admin_dsn,
    cluster_info,
    local_cluster,
    secure_cluster,
)
from inclusion_cli.infra.tls import LocalCA
from inclusion_cli.paths import StateDir, cache_dir
from inclusion_cli.secure import secure_directory, secure_node, secure_stack
from inclusion_cli.services import default_specs, probe_ready, service_pid
from inclusion_cli.stack import external_databases, external_kafka
from inclusion_cli.sync import run_sync
from inclusion_shared.messaging.acls import AUDITOR
from inclusion_shared.messaging.connection import load_kafka_settings


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    state: str  # running | stopped | external
    pid: int | None
    address: str
    ready: bool


async def _postgres_ready(dsn: str) -> bool:
    try:
        connection = await asyncpg.connect(dsn, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


async def _kafka(state: StateDir) -> ComponentStatus:
    external = external_kafka(os.environ)
    if external:
        ready = await probe_kafka(load_kafka_settings(os.environ))
        return ComponentStatus("kafka", "external", None, external, ready)
    node = local_node(state)
    pid = kafka_pid(node)
    ready = pid is not None and await probe_kafka(node.admin)
    running = "running" if pid else "stopped"
    return ComponentStatus("kafka", running, pid, node.bootstrap_servers, ready)


async def _secure_kafka(state: StateDir) -> list[ComponentStatus]:
    """The secure broker, when it runs: ready if the auditor can sign in to it."""
    node = secure_node(state)
    pid = kafka_pid(node)
    if pid is None:
        return []
    # Its credentials exist wherever it could have been started from.
    credentials = (secure_directory(state.root.parent) / f"{AUDITOR}.password").is_file()
    ready = credentials and await probe_kafka(secure_stack(state).kafka(AUDITOR))
    return [ComponentStatus("kafka-sec", "running", pid, node.bootstrap_servers, ready)]


async def _postgres(state: StateDir) -> ComponentStatus:
    external = external_databases(os.environ)
    if external:
        # Show where, never the password.
        where = ", ".join(sorted({url.rpartition("@")[2] for url in external.values()}))
        ready = all(await asyncio.gather(*(_postgres_ready(u) for u in external.values())))
        return ComponentStatus("postgres", "external", None, where, ready)
    return await _cluster("postgres", local_cluster())


async def _secure_postgres(state: StateDir) -> list[ComponentStatus]:
    """The secure cluster, when it runs and this checkout has run the secure stack (the
    cluster is the machine's): ready if its admin signs in over verified TLS."""
    if not secure_directory(state.root.parent).is_dir():
        return []
    ca = LocalCA(cache_dir() / "secure-ca")
    row = await _cluster("postgres-sec", secure_cluster(ca if ca.certificate.is_file() else None))
    return [row] if row.state == "running" else []


async def _cluster(name: str, cluster: PgCluster) -> ComponentStatus:
    info = await asyncio.to_thread(cluster_info, cluster)
    running = info is not None and info.running
    known = (cluster.secrets_dir / "postgres-inclusion_admin.password").is_file()
    ready = running and known and await _postgres_ready(admin_dsn(cluster))
    return ComponentStatus(
        name,
        "running" if running else "stopped",
        info.pid if info else None,
        f"{cluster.host}:{cluster.port}",
        ready,
    )


async def _services(state: StateDir) -> list[ComponentStatus]:
    specs = default_specs()
    async with httpx.AsyncClient() as client:
        pids = [service_pid(state, spec) for spec in specs]
        ready = await asyncio.gather(
            *(probe_ready(client, spec) for spec, pid in zip(specs, pids, strict=True) if pid)
        )
    flags = iter(ready)
    return [
        ComponentStatus(
            spec.name,
            "running" if pid else "stopped",
            pid,
            spec.url,
            next(flags) if pid else False,
        )
        for spec, pid in zip(specs, pids, strict=True)
    ]


def collect(state: StateDir) -> list[ComponentStatus]:
    async def gather() -> list[ComponentStatus]:
        kafka, secure, postgres, secure_postgres, services = await asyncio.gather(
            _kafka(state),
            _secure_kafka(state),
            _postgres(state),
            _secure_postgres(state),
            _services(state),
        )
        return [kafka, *secure, postgres, *secure_postgres, *services]

    return run_sync(gather)


def render(rows: list[ComponentStatus]) -> str:
    lines = [f"{'COMPONENT':<13}{'STATE':<10}{'PID':<9}{'ADDRESS':<26}READY"]
    for row in rows:
        pid = str(row.pid) if row.pid else "-"
        ready = "yes" if row.ready else "no"
        lines.append(f"{row.name:<13}{row.state:<10}{pid:<9}{row.address:<26}{ready}")
    return "\n".join(lines)
