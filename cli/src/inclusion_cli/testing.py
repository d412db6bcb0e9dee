"""Infrastructure for test sessions, started the same way `inclusion up` starts it.

Plain functions (the project's conftest.py wraps them in fixtures). Each honours an explicit
setting first, then a Docker engine (testcontainers), then the local real infrastructure in
.local/, which it starts if needed and leaves running for the next session and `inclusion up`.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import os
import shutil
import subprocess
from typing import Any

from inclusion_cli.infra.kafka import ensure_kafka, local_node
from inclusion_cli.infra.postgres import ensure_postgres, local_cluster
from inclusion_cli.paths import state_dir


def ensure_test_kafka() -> str:
    """Bootstrap servers of a real Kafka broker."""
    explicit = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if explicit:
        return explicit
    if _docker_available():
        return _kafka_container()
    return ensure_kafka(local_node(state_dir().ensure())).bootstrap_servers


def ensure_test_postgres() -> str:
    """A superuser DSN of a real PostgreSQL server (tests create scratch databases with it)."""
    explicit = os.environ.get("TEST_ADMIN_DATABASE_URL")
    if explicit:
        return explicit
    if _docker_available():
        return _postgres_container()
    return ensure_postgres(local_cluster()).admin_dsn


def _docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


# Docker branch: testcontainers is imported lazily, as it is only installed where Docker runs.
# Cached, so a session gets one container of each, stopped when the session's process exits.
@functools.cache
def _kafka_container() -> str:
    kafka = importlib.import_module("testcontainers.kafka").KafkaContainer(
        "confluentinc/cp-kafka:7.6.0"
    )
    return str(_started(kafka.with_kraft()).get_bootstrap_server())


@functools.cache
def _postgres_container() -> str:
    postgres = importlib.import_module("testcontainers.postgres").PostgresContainer("postgres:15")
    return str(_started(postgres).get_connection_url(driver=None))


def _started(container: Any) -> Any:
    container.start()
    atexit.register(container.stop)
    return container
