"""One lifetime for the local deployment's durable state.

`.local/` holds the keys — the personal-data key that seals children's details, the audit keys
that sign each chain's checkpoints — and the broker's data; the PostgreSQL cluster belongs to
the machine (several checkouts share it). When the checkout is re-cloned, `.local/` is new
while the cluster keeps the services' data from before: sealed and signed with keys that are
gone, published to a broker that is gone. So `.local/lifetime` names this deployment, the
cluster records the name of the one whose data it holds, and `inclusion up` refuses to mix
two: it stops and says what to do (`make purge` to start afresh, or bring the old `.local/`
back). A broker that alone lost its data is a different case: `inclusion log rebuild`.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg

from inclusion_cli.paths import StateDir, write_private_once

TABLE = "inclusion_lifetime"


class OtherLifetime(RuntimeError):
    """The cluster holds the services' data of another deployment than this checkout's."""


def lifetime_file(state: StateDir) -> Path:
    return state.root / "lifetime"


def this_lifetime(state: StateDir) -> str:
    """This checkout's deployment's name, made the first time it is asked for."""
    path = lifetime_file(state)
    write_private_once(path, uuid.uuid4().hex.encode())
    return path.read_text().strip()


async def _claim(admin_dsn: str, lifetime: str, database: str) -> str:
    """The lifetime the cluster records (recording ``lifetime`` if it records none yet)."""
    connection = await asyncpg.connect(admin_dsn, database=database)
    try:
        await connection.execute(
            f"""CREATE TABLE IF NOT EXISTS {TABLE} (
                    one boolean PRIMARY KEY DEFAULT true CHECK (one),
                    lifetime text NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now())"""
        )
        await connection.execute(
            f"INSERT INTO {TABLE} (lifetime) VALUES ($1) ON CONFLICT DO NOTHING", lifetime
        )
        recorded: str = await connection.fetchval(f"SELECT lifetime FROM {TABLE}")
        return recorded
    finally:
        await connection.close()


def check_lifetime(
    state: StateDir, admin_dsn: str, where: str, *, database: str = "postgres"
) -> None:
    """Nothing when the cluster holds this checkout's deployment (or none yet, which it then
    records); OtherLifetime, saying what to do, when it holds another's."""
    ours = this_lifetime(state)
    recorded = asyncio.run(_claim(admin_dsn, ours, database))
    if recorded != ours:
        raise OtherLifetime(
            f"PostgreSQL at {where} holds the services' data of another deployment than this "
            f"checkout's ({recorded[:8]}, not {ours[:8]}): its keys and broker data were in "
            f"another .local/ (a checkout since deleted or re-cloned), so children's details "
            "there cannot be unsealed, its checkpoints cannot be verified and its events are "
            "not on this broker. Nothing was started. `make purge` deletes it and starts "
            "afresh; or put that .local/ back in this checkout."
        )
