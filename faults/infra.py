"""The campaign's own Kafka broker and PostgreSQL cluster, which it kills and restarts at will.

Never the shared ones (9092, `15/inclusion` on 5433) that `make up`, the tests and everyone else
use: a broker under `.local/faults/kafka` on ports of its own, and the cluster
`15/inclusion-faults`, both started with the same helpers `inclusion up` uses. Each run starts
from an empty broker log and empty service databases, so its oracle sees only its own history.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from inclusion_cli.connection import PROPERTIES_VARIABLE
from inclusion_cli.infra.kafka import KafkaNode, ensure_kafka, kafka_pid, stop_kafka
from inclusion_cli.infra.postgres import (
    SERVICE_NAMES,
    PgCluster,
    admin_dsn,
    cluster_info,
    ensure_postgres,
    ensure_service_databases,
)
from inclusion_cli.procs import pid_alive, port_open, wait_until
from inclusion_shared.messaging.connection import KafkaSettings, without_kafka_settings

SHARED_KAFKA_PORTS = (9092, 9093)
SHARED_CLUSTER = "inclusion"


@dataclass(frozen=True)
class Ports:
    kafka: int = 19092
    controller: int = 19093
    postgres: int = 15433
    first_service: int = 18001


@dataclass(frozen=True)
class FaultInfra:
    """Where the campaign's broker and cluster live, and how to reach them."""

    root: Path
    node: KafkaNode
    cluster: PgCluster

    @classmethod
    def under(cls, root: Path, ports: Ports, cluster_name: str = "inclusion-faults") -> FaultInfra:
        if ports.kafka in SHARED_KAFKA_PORTS or ports.controller in SHARED_KAFKA_PORTS:
            raise ValueError("the campaign restarts its broker: never on the shared one's ports")
        if cluster_name == SHARED_CLUSTER or ports.postgres == 5433:
            raise ValueError("the campaign restarts its cluster: never the shared one")
        node = KafkaNode(
            home=root / "kafka",
            log_file=root / "logs" / "kafka.log",
            port=ports.kafka,
            controller_port=ports.controller,
            max_heap="512m",
        )
        cluster = PgCluster(secrets_dir=root / "secrets", name=cluster_name, port=ports.postgres)
        return cls(root, node, cluster)

    @property
    def kafka(self) -> KafkaSettings:
        """How every client of the campaign reaches its broker."""
        return self.node.admin

    @property
    def admin_dsn(self) -> str:
        return admin_dsn(self.cluster)

    # --- starting afresh ------------------------------------------------------------------

    def start_fresh(self) -> dict[str, str]:
        """An empty broker and empty service databases; returns each service's DSN."""
        self.root.mkdir(parents=True, exist_ok=True)
        stop_kafka(self.node, timeout=30.0)
        shutil.rmtree(self.node.home, ignore_errors=True)
        ensure_kafka(self.node)
        ensure_postgres(self.cluster)
        asyncio.run(self._drop_databases(SERVICE_NAMES))
        return ensure_service_databases(self.cluster)

    async def _drop_databases(self, names: Sequence[str]) -> None:
        admin = await asyncpg.connect(self.admin_dsn)
        try:
            for name in names:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    def stop(self) -> None:
        """Stop the broker and the cluster (their data stays until the next run's fresh start)."""
        stop_kafka(self.node, timeout=30.0)
        info = cluster_info(self.cluster)
        if info is not None and info.running:
            _pg_ctl(self.cluster, "stop", "-m", "fast")

    # --- faults -----------------------------------------------------------------------------

    def restart_broker(self, *, kill: bool) -> float:
        """SIGKILL (as a crash) or stop cleanly (SIGTERM, controlled shutdown), then start the
        broker again; returns the seconds until a client could talk to it again."""
        began = time.monotonic()
        pid = kafka_pid(self.node)
        if pid is not None and kill:
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not pid_alive(pid), timeout=30.0, interval=0.05)
        else:
            stop_kafka(self.node, timeout=60.0)
        # A JVM's main thread shows as exited while its other threads still hold the sockets.
        node = self.node
        wait_until(lambda: not port_open(node.host, node.port), timeout=30.0, interval=0.05)
        ensure_kafka(self.node, timeout=180.0)
        return time.monotonic() - began

    def restart_postgres(self) -> float:
        """Immediate mode: every backend is killed with no checkpoint, and the next start runs
        crash recovery from the WAL, as after a power cut of the database alone."""
        began = time.monotonic()
        _pg_ctl(self.cluster, "restart", "-m", "immediate")
        asyncio.run(_until_admin_logs_in(self.admin_dsn))
        return time.monotonic() - began

    def stop_postgres(self) -> None:
        """Immediate mode, as `restart_postgres` stops it; down until `start_postgres`."""
        _pg_ctl(self.cluster, "stop", "-m", "immediate")

    def start_postgres(self) -> None:
        """Start it again (crash recovery first) and wait until the superuser logs in."""
        _pg_ctl(self.cluster, "start")
        asyncio.run(_until_admin_logs_in(self.admin_dsn))


def kafka_environment(
    kafka: KafkaSettings, inherited: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """An environment for a subprocess of the campaign whose Kafka is `kafka` and nothing else:
    no Kafka setting inherited (a developer's shell pointing at another broker, or the CLI's
    properties file, must not send the campaign's subprocesses elsewhere)."""
    environment = without_kafka_settings(inherited)
    environment.pop(PROPERTIES_VARIABLE, None)
    return environment | kafka.environment()


def _pg_ctl(cluster: PgCluster, *action: str) -> None:
    command = ["pg_ctlcluster", cluster.version, cluster.name, *action]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120, cwd="/")


async def _until_admin_logs_in(dsn: str, within: float = 120.0) -> None:
    async with asyncio.timeout(within):
        while True:
            try:
                connection = await asyncpg.connect(dsn, timeout=5)
            except (OSError, asyncpg.PostgresError, TimeoutError):
                await asyncio.sleep(0.1)
            else:
                await connection.close()
                return
