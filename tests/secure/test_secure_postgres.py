"""PostgreSQL as the secure stack runs it: TLS or nothing, and each service's role in its own
database only."""

from __future__ import annotations

import ssl
from pathlib import Path

import asyncpg
import pytest

from inclusion_cli.infra.postgres import dsn, ensure_service_databases
from inclusion_cli.infra.tls import LocalCA
from inclusion_cli.secure import SecureStack


@pytest.fixture(scope="module")
def databases(secure: SecureStack) -> dict[str, str]:
    return ensure_service_databases(secure.cluster)


async def _server_ssl(url: str) -> bool:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        return bool(
            await connection.fetchval("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        )
    finally:
        await connection.close()


async def test_each_service_reaches_its_own_database_over_verified_tls(
    databases: dict[str, str],
) -> None:
    for service, url in databases.items():
        assert "sslmode=verify-full" in url, service
        assert await _server_ssl(url), service


async def test_a_services_role_cannot_open_another_services_database(
    secure: SecureStack, databases: dict[str, str]
) -> None:
    for intruder, victim in (("funding", "placements"), ("monitoring", "feedback")):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(dsn(secure.cluster, intruder, victim), timeout=10)


async def test_a_connection_without_tls_is_refused(
    secure: SecureStack, databases: dict[str, str]
) -> None:
    plain = databases["funding"].partition("?")[0] + "?sslmode=disable"
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError):
        await asyncpg.connect(plain, timeout=10)


async def test_a_client_that_trusts_another_ca_fails_closed(
    databases: dict[str, str], tmp_path: Path
) -> None:
    stranger = LocalCA(tmp_path / "another-ca").ensure()
    url = databases["funding"].partition("?")[0]
    with pytest.raises(ssl.SSLCertVerificationError):
        await asyncpg.connect(
            f"{url}?sslmode=verify-full&sslrootcert={stranger.certificate}", timeout=10
        )
