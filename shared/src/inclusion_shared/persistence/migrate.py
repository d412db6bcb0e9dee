"""Versioned SQL migrations, applied at start-up under an advisory lock so that several
replicas starting at once apply each migration exactly once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import asyncpg

KIT_MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_TIMEOUT = 3600.0


class MigrationChanged(RuntimeError):
    """An applied migration's file was edited afterwards; add a new migration instead."""


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def migrations_in(folder: Path, prefix: str) -> list[Migration]:
    """The ``*.sql`` files of a folder in name order, named ``prefix/file``."""
    return [
        Migration(f"{prefix}/{path.name}", path.read_text())
        for path in sorted(folder.glob("*.sql"))
    ]


async def migrate(pool: asyncpg.Pool, service: str, service_migrations: Path | None) -> list[str]:
    """Apply the kit's migrations, then the service's, each once; returns the names applied."""
    wanted = migrations_in(KIT_MIGRATIONS, "kit")
    if service_migrations is not None:
        wanted += migrations_in(service_migrations, service)
    applied: list[str] = []
    async with pool.acquire() as connection:
        await connection.execute("SELECT pg_advisory_lock(hashtext($1))", f"migrate:{service}")
        try:
            await connection.execute(
                """CREATE TABLE IF NOT EXISTS schema_migrations (
                       name text PRIMARY KEY, checksum text NOT NULL,
                       applied_at timestamptz NOT NULL DEFAULT now())"""
            )
            done = {
                row["name"]: row["checksum"]
                for row in await connection.fetch("SELECT name, checksum FROM schema_migrations")
            }
            for migration in wanted:
                if migration.name in done:
                    if done[migration.name] != migration.checksum:
                        raise MigrationChanged(f"{migration.name} changed after it was applied")
                    continue
                async with connection.transaction():
                    # A migration may take longer than a request may (up to an hour).
                    await connection.execute("SET LOCAL statement_timeout = 0")
                    await connection.execute(migration.sql, timeout=MIGRATION_TIMEOUT)
                    await connection.execute(
                        "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)",
                        migration.name,
                        migration.checksum,
                    )
                applied.append(migration.name)
        finally:
            await connection.execute(
                "SELECT pg_advisory_unlock(hashtext($1))", f"migrate:{service}"
            )
    return applied
