"""The local deployment's durable state has one lifetime: a PostgreSQL cluster holding another
checkout's deployment (its .local/ — keys, broker data — gone) is refused with what to do,
never mixed with this one; the same checkout, or a cluster holding none yet, goes ahead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from inclusion_cli.lifetime import OtherLifetime, check_lifetime, lifetime_file
from inclusion_cli.paths import StateDir
from inclusion_cli.sync import run_sync


@pytest.fixture
def scratch(admin_dsn: str) -> Iterator[str]:
    """A database of its own standing in for the cluster's `postgres` one."""
    name = f"lifetime_{uuid4().hex[:10]}"
    run_sync(lambda: _admin(admin_dsn, f"CREATE DATABASE {name}"))
    yield name
    run_sync(lambda: _admin(admin_dsn, f"DROP DATABASE {name} WITH (FORCE)"))


async def _admin(dsn: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def test_a_recloned_checkout_is_refused_a_cluster_holding_the_old_deployment(
    tmp_path: Path, admin_dsn: str, scratch: str
) -> None:
    first = StateDir(tmp_path / "first" / ".local").ensure()
    check_lifetime(first, admin_dsn, "127.0.0.1:5433", database=scratch)  # recorded
    check_lifetime(first, admin_dsn, "127.0.0.1:5433", database=scratch)  # the same: fine

    recloned = StateDir(tmp_path / "recloned" / ".local").ensure()
    with pytest.raises(OtherLifetime, match="make purge"):
        check_lifetime(recloned, admin_dsn, "127.0.0.1:5433", database=scratch)

    lifetime_file(recloned).write_text(lifetime_file(first).read_text())  # .local put back
    check_lifetime(recloned, admin_dsn, "127.0.0.1:5433", database=scratch)
