"""The secure local stack (inclusion_cli.secure) for the secure tests: the broker that speaks
only SASL_SSL and the PostgreSQL cluster that speaks only TLS, as `make up SECURE=1` runs them.

Shared with `make up SECURE=1` when it runs (the same broker, cluster and credentials); what
the session starts, it stops. The principals get ACLs for the session's own deployment, whose
consumer groups are its own; their client files are written to a scratch directory, so the
CLI's other tests keep reaching the plain broker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from inclusion_cli.infra.kafka import ensure_kafka, stop_kafka
from inclusion_cli.infra.postgres import ensure_postgres, stop_postgres
from inclusion_cli.paths import state_dir
from inclusion_cli.secure import SecureStack, bootstrap, consumed_topics, secure_stack
from inclusion_cli.sync import run_sync


@pytest.fixture(scope="session")
def consumes() -> dict[str, list[str]]:
    return consumed_topics()


@pytest.fixture(scope="session")
def deployment() -> str:
    return os.environ["DEPLOYMENT"]  # the session's own (the root conftest.py)


@pytest.fixture(scope="session")
def secure(consumes: dict[str, list[str]], deployment: str) -> Iterator[SecureStack]:
    stack = secure_stack(state_dir().ensure())
    kafka = ensure_kafka(stack.node)
    postgres = ensure_postgres(stack.cluster)
    try:
        run_sync(lambda: bootstrap(stack, deployment, consumes))
        yield stack
    finally:
        if kafka.started:
            stop_kafka(stack.node)
        if postgres.started:
            stop_postgres(stack.cluster)


@pytest.fixture(scope="session")
def properties(secure: SecureStack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of the principals' client properties files, as `up --secure` writes them."""
    directory = tmp_path_factory.mktemp("secure-properties")
    secure.write_properties(into=directory)
    return directory
