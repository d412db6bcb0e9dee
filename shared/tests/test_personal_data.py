"""The personal-data vault's keyed digests: a text about a person gives one digest under their
key and another under anyone else's, and none once their key is erased; a sealed record
altered where it is kept does not open."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator

import asyncpg
import pytest

from inclusion_shared.persistence.personal_data import (
    PersonalDataVault,
    PersonErased,
    RecordAltered,
)
from inclusion_shared.testing import migrated_pool

RATIONALE = "Needs daily one-to-one support with communication."


@pytest.fixture
async def pool(database_url: str, unique: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await migrated_pool(database_url, f"vault{unique}")
    yield pool
    await pool.close()


@pytest.fixture
def vault() -> PersonalDataVault:
    return PersonalDataVault(os.urandom(32))


async def _with_key(vault: PersonalDataVault, pool: asyncpg.Pool, person_id: str) -> None:
    async with pool.acquire() as connection:
        await vault.seal(
            connection, person_id, f"rationale:{person_id}", "decision-rationale", {"text": "x"}
        )


async def test_the_same_text_about_the_same_person_gives_the_same_digest(
    vault: PersonalDataVault, pool: asyncpg.Pool
) -> None:
    await _with_key(vault, pool, "child-1")
    async with pool.acquire() as connection:
        first = await vault.digest(connection, "child-1", RATIONALE)
        again = await vault.digest(connection, "child-1", RATIONALE)
        other_text = await vault.digest(connection, "child-1", RATIONALE + " Transport agreed.")

    assert first == again
    assert len(first) == 64 and first == first.lower()
    assert other_text != first


async def test_the_digest_is_not_the_plain_hash_of_the_text(
    vault: PersonalDataVault, pool: asyncpg.Pool
) -> None:
    await _with_key(vault, pool, "child-1")
    async with pool.acquire() as connection:
        keyed = await vault.digest(connection, "child-1", RATIONALE)

    assert keyed != hashlib.sha256(RATIONALE.encode()).hexdigest()


async def test_the_same_text_about_another_person_gives_another_digest(
    vault: PersonalDataVault, pool: asyncpg.Pool
) -> None:
    await _with_key(vault, pool, "child-1")
    await _with_key(vault, pool, "child-2")
    async with pool.acquire() as connection:
        one = await vault.digest(connection, "child-1", RATIONALE)
        other = await vault.digest(connection, "child-2", RATIONALE)

    assert one != other


async def test_a_person_erased_has_no_digest_any_more(
    vault: PersonalDataVault, pool: asyncpg.Pool
) -> None:
    await _with_key(vault, pool, "child-1")
    async with pool.acquire() as connection:
        await vault.digest(connection, "child-1", RATIONALE)
        assert not await vault.erased(connection, "child-1")
        assert await vault.shred(connection, "child-1")
        assert await vault.erased(connection, "child-1")
        with pytest.raises(PersonErased):
            await vault.digest(connection, "child-1", RATIONALE)


async def test_a_digest_never_makes_a_key_for_a_person_without_one(
    vault: PersonalDataVault, pool: asyncpg.Pool
) -> None:
    async with pool.acquire() as connection:
        with pytest.raises(PersonErased):
            await vault.digest(connection, "child-unknown", RATIONALE)
        keys = await connection.fetchval("SELECT count(*) FROM personal_data")

    assert keys == 0


async def test_a_sealed_record_altered_where_it_is_kept_does_not_open(
    vault: PersonalDataVault, pool: asyncpg.Pool
) -> None:
    await _with_key(vault, pool, "child-1")
    async with pool.acquire() as connection:
        await connection.execute(
            """UPDATE personal_records
               SET ciphertext = overlay(ciphertext PLACING '\\x00'::bytea FROM 20 FOR 1)
               WHERE record_id = 'rationale:child-1'"""
        )
        with pytest.raises(RecordAltered):
            await vault.open(connection, "rationale:child-1")
