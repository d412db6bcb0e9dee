"""The keyed digest of an HNF decision's rationale: the event carries it, the service recomputes
it for the auditor from the text it keeps, a text changed where it is kept gives another, and
once the child's key is erased it is gone for good."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from inclusion_shared.persistence.personal_data import PersonalDataVault

from .conftest import (
    DECLINE_ON_MERIT,
    SCHOOL,
    Funding,
    complete_application,
    events_of,
    panel_decision,
)

CHILD = "child-4b8669e033ccb7794915"


def decided(funding: Funding) -> str:
    submitted = funding.client.post(
        "/hnf/applications",
        json=complete_application(),
        headers=funding.as_("senco", setting=SCHOOL),
    )
    assert submitted.status_code == 201, submitted.text
    answer = panel_decision(funding, submitted.json()["application_id"], DECLINE_ON_MERIT)
    assert answer.status_code == 201, answer.text
    decision_id: str = answer.json()["decision"]["decision_id"]
    return decision_id


def digest_of(funding: Funding, decision_id: str, headers: dict[str, str] | None = None) -> Any:
    return funding.client.get(
        f"/decisions/{decision_id}/rationale-digest", headers=headers or funding.as_("auditor")
    )


async def in_the_store(
    funding: Funding, change: Callable[[asyncpg.Connection, PersonalDataVault], Awaitable[Any]]
) -> Any:
    connection = await asyncpg.connect(
        funding.database_url, server_settings={"search_path": "funding"}
    )
    try:
        return await change(connection, funding.client.app.state.vault)  # type: ignore[attr-defined]
    finally:
        await connection.close()


async def test_the_auditor_gets_the_digest_the_decision_event_carries(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting()
    decision_id = decided(funding)

    answer = digest_of(funding, decision_id)

    assert answer.status_code == 200, answer.text
    [event] = await events_of(kafka_bootstrap, "funding.decision.v1", "decision_id", decision_id)
    assert answer.json() == {
        "decision_id": decision_id,
        "rationale_digest": event["data"]["rationale_digest"],
    }


async def test_a_rationale_sealed_anew_with_other_words_gives_another_digest(
    funding: Funding, kafka_bootstrap: str
) -> None:
    await funding.register_setting()
    decision_id = decided(funding)
    [event] = await events_of(kafka_bootstrap, "funding.decision.v1", "decision_id", decision_id)

    async def reworded(connection: asyncpg.Connection, vault: PersonalDataVault) -> None:
        record_id = await connection.fetchval(
            "SELECT 'rationale:' || proposal_id FROM hnf_proposals WHERE decision_id = $1",
            decision_id,
        )
        await connection.execute("DELETE FROM personal_records WHERE record_id = $1", record_id)
        await vault.seal(
            connection, CHILD, record_id, "decision-rationale", {"rationale": "Other words."}
        )

    await in_the_store(funding, reworded)
    answer = digest_of(funding, decision_id)

    assert answer.status_code == 200, answer.text
    assert answer.json()["rationale_digest"] != event["data"]["rationale_digest"]


async def test_a_rationale_whose_ciphertext_was_edited_is_refused_as_altered(
    funding: Funding,
) -> None:
    await funding.register_setting()
    decision_id = decided(funding)

    async def edited(connection: asyncpg.Connection, vault: PersonalDataVault) -> None:
        await connection.execute(
            """UPDATE personal_records
               SET ciphertext = overlay(ciphertext PLACING '\\x00'::bytea FROM 20 FOR 1)
               WHERE kind = 'decision-rationale'"""
        )

    await in_the_store(funding, edited)
    answer = digest_of(funding, decision_id)

    assert answer.status_code == 409
    assert answer.json()["code"] == "rationale_altered"


async def test_once_the_childs_key_is_erased_the_digest_is_gone(funding: Funding) -> None:
    await funding.register_setting()
    decision_id = decided(funding)

    await in_the_store(funding, lambda connection, vault: vault.shred(connection, CHILD))
    answer = digest_of(funding, decision_id)

    assert answer.status_code == 410
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "erased"


async def test_no_such_decision_is_not_found(funding: Funding) -> None:
    assert digest_of(funding, "dec-none").status_code == 404


async def test_only_the_auditor_and_the_officers_of_its_places_have_the_digest(
    funding: Funding,
) -> None:
    await funding.register_setting()
    decision_id = decided(funding)

    answers = {
        who: digest_of(funding, decision_id, headers).status_code
        for who, headers in {
            "auditor": funding.as_("auditor"),
            "officer-east": funding.as_("kcc-officer", areas=("east-kent",)),
            "officer-west": funding.as_("kcc-officer", areas=("west-kent",)),
            "parent": funding.as_("parent", child=CHILD),
            "senco": funding.as_("senco", setting=SCHOOL),
        }.items()
    }

    assert answers == {
        "auditor": 200,
        "officer-east": 200,
        "officer-west": 403,
        "parent": 403,
        "senco": 403,
    }
