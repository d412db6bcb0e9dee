"""Connection pools: every service keeps its tables in a schema named after itself, so the
services can share one database (docker-compose) or have one each (``make up``)."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
"""A connection of its own or one borrowed from a pool: handlers take either."""


async def create_pool(
    dsn: str,
    schema: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    statement_timeout: float | None = None,
) -> asyncpg.Pool:
    """A pool whose connections resolve unqualified table names in ``schema``.

    With ``statement_timeout`` (seconds) the server cancels a statement running longer, and the
    client gives up on one a few seconds after that (a server that no longer answers): a slow
    database makes a request fail clearly instead of holding a connection for ever."""
    await _ensure_schema(dsn, schema)
    settings = {"search_path": schema, "application_name": f"inclusion-{schema}"}
    if statement_timeout is not None:
        settings["statement_timeout"] = str(int(statement_timeout * 1000))
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        server_settings=settings,
        command_timeout=None if statement_timeout is None else statement_timeout + 5,
        reset=_keep_session,
    )
    assert pool is not None
    return pool


async def _keep_session(connection: asyncpg.Connection) -> None:
    """What a borrowed connection needs before its next borrower: nothing more than asyncpg
    always does (roll back an open transaction, drop listeners). The kit's pooled connections
    keep no session state: the search path is set at connect, locks are transaction-scoped, and
    LISTEN happens on the relay's own connection. The default reset (UNLISTEN, RESET ALL,
    advisory unlock) cost a round trip on every borrow, an eighth of a consumed event's."""


async def _ensure_schema(dsn: str, schema: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    finally:
        await connection.close()
