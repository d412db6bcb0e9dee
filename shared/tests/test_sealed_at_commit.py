"""Events take their chain place as their transaction commits: sealed by the database exactly
as the reference seal defines it, in commit order, and a writer holds the chain head only
while it commits, not while its handler works."""

from __future__ import annotations

import asyncio
import json

from inclusion_shared.events.chain import canonical_json, event_hash
from inclusion_shared.events.envelope import GENESIS_HASH, CloudEvent
from inclusion_shared.persistence.outbox import NewEvent, verify_outbox
from inclusion_shared.testing import CaseNoted, command_cause

from .conftest import Kit

# Non-ASCII, astral, quote, backslash and control characters, and the place's own text.
AWKWARD_CASES = [
    "case-é",
    "case-\U0001d50eent",
    'case-"quoted"\\',
    "case-\u0007",
    '"chainprev":"","chainseq":0',
]


def noted(kit: Kit, case: str, step: int = 1) -> NewEvent:
    return NewEvent(kit.event_type, case, CaseNoted(case=case, step=step))


async def outbox_rows(kit: Kit) -> list[tuple[int, dict[str, object], bytes, str, str]]:
    rows = await kit.pool.fetch("SELECT seq, payload, prev_hash, hash FROM outbox ORDER BY seq")
    return [
        (row["seq"], json.loads(row["payload"]), row["payload"], row["prev_hash"], row["hash"])
        for row in rows
    ]


async def test_an_event_sealed_at_commit_is_what_the_reference_seal_makes(kit: Kit) -> None:
    async with kit.pool.acquire() as connection, connection.transaction():
        await kit.outbox.append(
            connection, [noted(kit, case) for case in AWKWARD_CASES], command_cause()
        )
    previous = GENESIS_HASH
    rows = await outbox_rows(kit)
    assert [row[1]["data"]["case"] for row in rows] == AWKWARD_CASES  # type: ignore[index]
    for seq, event, payload, prev_hash, hash_ in rows:
        assert (event["chainseq"], event["chainprev"], prev_hash) == (seq, previous, previous)
        assert event_hash(event) == event["chainhash"] == hash_
        assert payload == canonical_json(event)
        CloudEvent.from_bytes(payload)
        previous = hash_
    async with kit.pool.acquire() as connection:
        assert await verify_outbox(connection) is None


async def test_a_writer_holds_the_chain_head_only_while_it_commits(kit: Kit) -> None:
    slow = await kit.connect()
    try:
        handler_working = slow.transaction()
        await handler_working.start()
        await kit.outbox.append(slow, [noted(kit, "case-slow")], command_cause())
        # Another command appends and commits while the first is still in its handler.
        async with kit.pool.acquire() as connection, connection.transaction():
            await connection.execute("SET LOCAL lock_timeout = '5s'")
            await kit.outbox.append(connection, [noted(kit, "case-quick")], command_cause())
        await handler_working.commit()
    finally:
        await slow.close()
    rows = await outbox_rows(kit)
    assert [(row[0], row[1]["subject"]) for row in rows] == [(1, "case-quick"), (2, "case-slow")]


async def test_concurrent_commits_take_consecutive_places_in_commit_order(kit: Kit) -> None:
    async def command(case: str) -> None:
        async with kit.pool.acquire() as connection, connection.transaction():
            await kit.outbox.append(
                connection, [noted(kit, case, 1), noted(kit, case, 2)], command_cause()
            )

    await asyncio.gather(*(command(f"case-{n}") for n in range(20)))
    rows = await outbox_rows(kit)
    assert [row[0] for row in rows] == list(range(1, 41))
    for first, second in zip(rows[::2], rows[1::2], strict=True):
        # A transaction's events are sealed together, in the order it appended them.
        assert first[1]["subject"] == second[1]["subject"]
        assert (first[1]["data"]["step"], second[1]["data"]["step"]) == (1, 2)  # type: ignore[index]
    async with kit.pool.acquire() as connection:
        assert await verify_outbox(connection) is None


async def test_events_of_a_rolled_back_savepoint_are_never_sealed(kit: Kit) -> None:
    async with kit.pool.acquire() as connection, connection.transaction():
        await kit.outbox.append(connection, [noted(kit, "case-kept", 1)], command_cause())
        poison = connection.transaction()
        await poison.start()
        await kit.outbox.append(connection, [noted(kit, "case-poison")], command_cause())
        await poison.rollback()
        await kit.outbox.append(connection, [noted(kit, "case-kept", 2)], command_cause())
    rows = await outbox_rows(kit)
    assert [(row[0], row[1]["subject"]) for row in rows] == [(1, "case-kept"), (2, "case-kept")]
    assert await kit.pool.fetchval("SELECT count(*) FROM outbox_pending") == 0
