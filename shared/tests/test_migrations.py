"""Versioned migrations run once, even when several replicas start at the same moment."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from inclusion_shared.persistence.migrate import (
    KIT_MIGRATIONS,
    MigrationChanged,
    migrate,
    migrations_in,
)
from inclusion_shared.persistence.pool import create_pool


async def test_replicas_starting_together_apply_each_migration_once(
    database_url: str, unique: str, tmp_path: Path
) -> None:
    (tmp_path / "0001_applications.sql").write_text(
        "CREATE TABLE applications (id text PRIMARY KEY);"
    )
    pools = [await create_pool(database_url, f"svc{unique}") for _ in range(3)]
    try:
        results = await asyncio.gather(*(migrate(pool, f"svc{unique}", tmp_path) for pool in pools))
        again = await migrate(pools[0], f"svc{unique}", tmp_path)
        names = await pools[0].fetch("SELECT name FROM schema_migrations ORDER BY name")
    finally:
        for pool in pools:
            await pool.close()

    expected = [migration.name for migration in migrations_in(KIT_MIGRATIONS, "kit")]
    expected.append(f"svc{unique}/0001_applications.sql")
    assert sorted(name for applied in results for name in applied) == expected
    assert again == []
    assert [row["name"] for row in names] == expected


async def test_editing_an_applied_migration_stops_the_start(
    database_url: str, unique: str, tmp_path: Path
) -> None:
    migration = tmp_path / "0001_applications.sql"
    migration.write_text("CREATE TABLE applications (id text PRIMARY KEY);")
    pool = await create_pool(database_url, f"svc{unique}")
    try:
        await migrate(pool, f"svc{unique}", tmp_path)
        migration.write_text("CREATE TABLE applications (id text PRIMARY KEY, band int);")
        with pytest.raises(MigrationChanged):
            await migrate(pool, f"svc{unique}", tmp_path)
    finally:
        await pool.close()
