"""The keyed digest of a placement decision's rationale: the event carries it, the service
recomputes it for the auditor from the text it keeps, a text changed where it is kept gives
another, and once the child's key is erased it is gone for good."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from inclusion_shared.persistence.personal_data import PersonalDataVault

from .conftest import OFFICER_1, SECONDARY, SECONDARY_SRP, SPECIAL, Placements, events_of


def decided(placements: Placements, child: str) -> str:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])
    answer = placements.decide(request["request_id"])
    assert answer.status_code == 201, answer.text
    decision_id: str = answer.json()["decision"]["decision_id"]
    return decision_id


def digest_of(
    placements: Placements, decision_id: str, headers: dict[str, str] | None = None
) -> Any:
    return placements.client.get(
        f"/decisions/{decision_id}/rationale-digest", headers=headers or placements.as_("auditor")
    )


async def in_the_store(
    placements: Placements,
    change: Callable[[asyncpg.Connection, PersonalDataVault], Awaitable[Any]],
) -> Any:
    connection = await asyncpg.connect(
        placements.database_url, server_settings={"search_path": "placements"}
    )
    try:
        return await change(connection, placements.client.app.state.vault)  # type: ignore[attr-defined]
    finally:
        await connection.close()


async def test_the_auditor_gets_the_digest_the_decision_event_carries(
    placements: Placements, child: str
) -> None:
    decision_id = decided(placements, child)

    answer = digest_of(placements, decision_id)

    assert answer.status_code == 200, answer.text
    [event] = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "decision_id",
        decision_id,
        "placements.placement.decided",
    )
    assert answer.json() == {
        "decision_id": decision_id,
        "rationale_digest": event["data"]["rationale_digest"],
    }


async def test_a_rationale_sealed_anew_with_other_words_gives_another_digest(
    placements: Placements, child: str
) -> None:
    decision_id = decided(placements, child)
    before = digest_of(placements, decision_id).json()["rationale_digest"]

    async def reworded(connection: asyncpg.Connection, vault: PersonalDataVault) -> None:
        record_id = f"rationale:{decision_id}"
        await connection.execute("DELETE FROM personal_records WHERE record_id = $1", record_id)
        await vault.seal(
            connection, child, record_id, "decision-rationale", {"rationale": "Other words."}
        )

    await in_the_store(placements, reworded)
    answer = digest_of(placements, decision_id)

    assert answer.status_code == 200, answer.text
    assert answer.json()["rationale_digest"] != before


async def test_a_rationale_whose_ciphertext_was_edited_is_refused_as_altered(
    placements: Placements, child: str
) -> None:
    decision_id = decided(placements, child)

    async def edited(connection: asyncpg.Connection, vault: PersonalDataVault) -> None:
        await connection.execute(
            """UPDATE personal_records
               SET ciphertext = overlay(ciphertext PLACING '\\x00'::bytea FROM 20 FOR 1)
               WHERE record_id = $1""",
            f"rationale:{decision_id}",
        )

    await in_the_store(placements, edited)
    answer = digest_of(placements, decision_id)

    assert answer.status_code == 409
    assert answer.json()["code"] == "rationale_altered"


async def test_once_the_childs_key_is_erased_the_digest_is_gone(
    placements: Placements, child: str
) -> None:
    decision_id = decided(placements, child)

    await in_the_store(placements, lambda connection, vault: vault.shred(connection, child))
    answer = digest_of(placements, decision_id)

    assert answer.status_code == 410
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "erased"


async def test_no_such_decision_is_not_found(placements: Placements) -> None:
    assert digest_of(placements, "pdec-none").status_code == 404


async def test_only_the_auditor_and_the_officers_of_its_places_have_the_digest(
    placements: Placements, child: str
) -> None:
    decision_id = decided(placements, child)

    answers = {
        who: digest_of(placements, decision_id, headers).status_code
        for who, headers in {
            "auditor": placements.as_("auditor"),
            "officer-east": placements.as_("kcc-officer", areas=("east-kent",)),
            "officer-west": placements.as_("kcc-officer", areas=("west-kent",)),
            "parent": placements.as_("parent", child=child),
            "member": placements.as_member(OFFICER_1),
        }.items()
    }

    assert answers == {
        "auditor": 200,
        "officer-east": 200,
        "officer-west": 403,
        "parent": 403,
        "member": 403,
    }
