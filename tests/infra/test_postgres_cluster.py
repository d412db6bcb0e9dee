"""The real local PostgreSQL cluster: admin, per-service databases and roles, isolation."""

from __future__ import annotations

import itertools
import os

import asyncpg
import pytest

from inclusion_cli.infra.postgres import (
    SERVICE_NAMES,
    PgCluster,
    admin_dsn,
    ensure_postgres,
    ensure_service_databases,
    local_cluster,
)

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_ADMIN_DATABASE_URL")), reason="Postgres is given; none is started"
)


def _on_database(dsn: str, database: str) -> str:
    return f"{dsn.rpartition('/')[0]}/{database}"


@pytest.fixture(scope="module")
def cluster() -> PgCluster:
    local = local_cluster()
    ensure_postgres(local)
    return local


@pytest.fixture(scope="module")
def dsns(cluster: PgCluster) -> dict[str, str]:
    return ensure_service_databases(cluster)


def test_ensuring_again_changes_nothing(cluster: PgCluster, dsns: dict[str, str]) -> None:
    again = ensure_postgres(cluster)

    assert not again.started and not again.created
    assert ensure_service_databases(cluster) == dsns


async def test_admin_is_a_superuser_with_a_scram_password(cluster: PgCluster) -> None:
    connection = await asyncpg.connect(admin_dsn(cluster))
    try:
        row = await connection.fetchrow(
            "SELECT rolsuper, rolpassword FROM pg_authid WHERE rolname = current_user"
        )
    finally:
        await connection.close()

    assert row is not None
    assert row["rolsuper"]
    assert row["rolpassword"].startswith("SCRAM-SHA-256$")


async def test_each_service_role_owns_its_database(dsns: dict[str, str]) -> None:
    assert set(dsns) == set(SERVICE_NAMES)
    for service, dsn in dsns.items():
        connection = await asyncpg.connect(dsn)
        try:
            row = await connection.fetchrow(
                "SELECT current_user AS role, current_database() AS db, "
                "pg_get_userbyid(datdba) AS owner, rolsuper "
                "FROM pg_database, pg_roles "
                "WHERE datname = current_database() AND rolname = current_user"
            )
            # As owner it may create its schema (the migrations will).
            await connection.execute("CREATE TABLE infra_probe (id int); DROP TABLE infra_probe;")
        finally:
            await connection.close()
        assert row is not None
        assert (row["role"], row["db"], row["owner"], row["rolsuper"]) == (
            service,
            service,
            service,
            False,
        )


async def test_a_service_cannot_connect_to_another_services_database(
    dsns: dict[str, str],
) -> None:
    for own, other in itertools.permutations(SERVICE_NAMES, 2):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(_on_database(dsns[own], other))


async def test_a_wrong_password_is_refused(cluster: PgCluster) -> None:
    dsn = f"postgresql://funding:wrong@{cluster.host}:{cluster.port}/funding"

    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(dsn)


def test_password_files_are_private(cluster: PgCluster, dsns: dict[str, str]) -> None:
    files = sorted(cluster.secrets_dir.glob("postgres-*.password"))

    assert len(files) == len(SERVICE_NAMES) + 1
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in files)
