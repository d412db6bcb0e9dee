"""The funding service running for real (HTTP → PostgreSQL → outbox → Kafka), with an upstream
'placements' publisher for the events it consumes, and tokens for every role."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi.testclient import TestClient

from funding.app import create_app
from funding.settings import Settings
from inclusion_shared.audit.checkpoints import audit_public_key, generate_audit_key
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.contracts.placements import SETTING_REGISTERED, SettingRegistered
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import AREA_OF, District
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import consumer_group
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.testing import UpstreamService, eventually, join_at_the_end, read_topic

SCHOOL = "school-0042"
NURSERY = "nursery-0311"
KENT = ("kent",)  # an officer's or Area Board's areas: all of Kent
PANEL = "panel-east-1"
RATIONALE = "Evidence shows daily individual support is needed; band 3 matches it."
OFFICER_1 = person_id_for("officer-1")
SENCO_2 = person_id_for("senco-2")
HEAD_3 = person_id_for("head-3")
SENCO_4 = person_id_for("senco-4")
"""East Kent's panel members, named by their person ids."""


@dataclass
class Funding:
    client: TestClient
    signing_key: bytes
    database_url: str
    placements: UpstreamService
    deployment: str
    keys_dir: Path

    def as_(self, role: str, subject: str | None = None, **claims: Any) -> dict[str, str]:
        """Headers with a token for the role and scope (``areas=KENT``, ``setting=SCHOOL``),
        its subject ``person_id_for("<role>-1")`` unless named."""
        token = mint_token(
            self.signing_key, role=role, subject=subject or person_id_for(f"{role}-1"), **claims
        )
        return {"Authorization": f"Bearer {token}"}

    def as_member(self, member_id: str, panel_id: str = PANEL) -> dict[str, str]:
        """Headers for a member of a panel's roster, voting or declaring as themselves."""
        return self.as_("panel-member", member_id, panels=(panel_id,))

    async def fetchval(self, query: str, *args: Any) -> Any:
        connection = await asyncpg.connect(
            self.database_url, server_settings={"search_path": "funding"}
        )
        try:
            return await connection.fetchval(query, *args)
        finally:
            await connection.close()

    async def register_setting(
        self, setting_id: str = SCHOOL, setting_type: str = "mainstream", district: str = "thanet"
    ) -> None:
        await self.placements.publish(
            SETTING_REGISTERED.type,
            setting_id,
            SettingRegistered(
                setting_id=setting_id,
                setting_type=setting_type,
                district=district,
                area=AREA_OF[District(district)],
            ),
        )
        await eventually(
            lambda: self.fetchval(
                "SELECT count(*) FROM known_settings WHERE setting_id = $1", setting_id
            )
        )


async def events_of(
    kafka: str, topic: str, subject_key: str, value: str, event_type: str | None = None
) -> list[dict[str, Any]]:
    """The events on a topic (of one type, if given) whose data has ``subject_key`` equal to
    ``value``, once there are any."""

    async def published() -> list[dict[str, Any]]:
        events = [json.loads(record.value) for record in await read_topic(kafka, topic)]
        return [
            event
            for event in events
            if event["data"].get(subject_key) == value and event_type in (None, event["type"])
        ]

    found: list[dict[str, Any]] = await eventually(published)
    return found


@pytest.fixture
def keys(tmp_path: Path) -> tuple[bytes, Path, Path]:
    signing_key = generate_signing_key()
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(signing_key))
    personal = tmp_path / "personal-data.key"
    personal.write_bytes(base64.b64encode(os.urandom(32)))
    (tmp_path / "audit-funding.pem").write_bytes(generate_audit_key())
    (tmp_path / "audit-funding.pub.pem").write_bytes(
        audit_public_key((tmp_path / "audit-funding.pem").read_bytes())
    )
    return signing_key, public, personal


@pytest.fixture
async def funding(
    database_url: str, kafka_bootstrap: str, keys: tuple[bytes, Path, Path], unique: str
) -> AsyncIterator[Funding]:
    signing_key, public, personal = keys
    settings = Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=public,
        personal_data_key_file=personal,
        relay_poll_interval_seconds=0.2,
        # Each test's service is a deployment of its own: one chain, auditable on its own.
        deployment=f"t{unique}",
        audit_signing_key_file=public.parent / "audit-funding.pem",
        audit_checkpoint_every_seconds=0.5,
    )
    await join_at_the_end(
        kafka_bootstrap,
        consumer_group(settings.deployment, "funding"),
        ["placements.setting.v1", "placements.placement.v1"],
    )
    producer = idempotent_producer(
        KafkaSettings(bootstrap_servers=kafka_bootstrap), f"placements-test-{unique}"
    )
    await producer.start()
    try:
        with TestClient(create_app(settings)) as client:
            yield Funding(
                client,
                signing_key,
                database_url,
                UpstreamService("placements", producer, deployment=settings.deployment),
                settings.deployment,
                public.parent,
            )
    finally:
        await producer.stop()


def complete_application(**changes: Any) -> dict[str, Any]:
    """An application meeting every rule, as a SENCO's system would send it."""
    return {
        "child_id": "child-4b8669e033ccb7794915",
        "setting_id": SCHOOL,
        "setting_type": "mainstream",
        "district": "thanet",
        "phase": "primary",
        "has_ehcp": False,
        "sen_support_severe_and_complex": True,
        "on_roll_full_time": True,
        "normally_available_resources_used": True,
        "matches_mainstream_core_standards": True,
        "needs_reports": ["doc-ep-report-1"],
        "lift_outcome": {
            "document_id": "doc-lift-1",
            "kind": "specialist-intervention",
            "recommendations_implemented": True,
            "recommendations_evaluated": True,
        },
        "provision_plans": [
            {"document_id": "doc-plan-1", "dated": "2026-01-12"},
            {"document_id": "doc-plan-2", "dated": "2026-05-18"},
        ],
        "staff_trained_on": "2025-06-30",
        "costed_provision_pence": 1_450_000,
        "requested_band": 3,
        **changes,
    }


def roster_member(
    member_id: str,
    role: str,
    *interests: str,
    term: tuple[str, str] = ("2020-01-01", "2099-12-31"),
    trained_on: str | None = "2019-12-01",
) -> dict[str, Any]:
    """A member as the officer keeps them on the roster: in term and trained unless told."""
    return {
        "member_id": member_id,
        "role": role,
        "term_from": term[0],
        "term_to": term[1],
        "trained_on": trained_on,
        "declared_interests": list(interests),
    }


ROSTER = [
    roster_member(OFFICER_1, "kcc-officer"),
    roster_member(SENCO_2, "senco"),
    roster_member(HEAD_3, "headteacher"),
    roster_member(SENCO_4, "senco", SCHOOL),
]
"""East Kent's panel: senco-4 has declared an interest in the applying school."""


def set_roster(
    funding: Funding,
    panel_id: str = PANEL,
    members: list[dict[str, Any]] | None = None,
    area: str = "east-kent",
) -> dict[str, Any]:
    """The officer keeps the panel's roster (the same roster again changes nothing)."""
    response = funding.client.put(
        f"/panels/{panel_id}",
        json={"area": area, "members": ROSTER if members is None else members},
        headers=funding.as_("kcc-officer", areas=KENT),
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def propose(
    funding: Funding,
    application_id: str,
    outcome: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    **changes: Any,
) -> httpx.Response:
    """The officer puts a proposed decision to the panel (East Kent's unless told)."""
    return funding.client.post(
        f"/hnf/applications/{application_id}/proposals",
        json={
            "panel_id": PANEL,
            "outcome": outcome,
            "rationale": RATIONALE,
            **changes,
        },
        headers=headers or funding.as_("kcc-officer", areas=KENT),
    )


def vote(
    funding: Funding, proposal_id: str, member_id: str, choice: str = "for", panel_id: str = PANEL
) -> httpx.Response:
    return funding.client.post(
        f"/hnf/proposals/{proposal_id}/votes",
        json={"choice": choice},
        headers=funding.as_member(member_id, panel_id),
    )


def panel_decision(
    funding: Funding,
    application_id: str,
    outcome: dict[str, Any],
    *,
    voters: tuple[str, ...] = (OFFICER_1, SENCO_2, HEAD_3),
    **changes: Any,
) -> httpx.Response:
    """The whole way to a panel's decision: the roster kept (if it is not yet), the officer's
    proposal, each voter's own vote. The answer is the proposal's when it is refused, else the
    last vote's (which carries the decision once the votes are quorate)."""
    panel_id = changes.get("panel_id", PANEL)
    if funding.client.get(f"/panels/{panel_id}", headers=funding.as_("auditor")).status_code == 404:
        set_roster(funding, panel_id)
    proposed = propose(funding, application_id, outcome, **changes)
    if proposed.status_code != 201:
        return proposed
    answer = proposed
    for member_id in voters:
        answer = vote(funding, proposed.json()["proposal_id"], member_id, panel_id=panel_id)
        assert answer.status_code == 201, answer.text
    return answer


APPROVE_BAND_3 = {"kind": "approve", "band": 3, "start_on": "2026-12-01", "review_on": "2027-11-30"}


def senif_application(**changes: Any) -> dict[str, Any]:
    """A SENIF application meeting every rule, from an early years setting."""
    return {
        "child_id": "child-b88d32471e6d349d261f",
        "setting_id": NURSERY,
        "setting_type": "pvi",
        "route": "support-plan",
        "takes_up_funded_early_education": True,
        "has_ehcp": False,
        "eligible_two_year_old": False,
        "funded_hours_attended_per_week": 30,
        "hours_requested_per_week": 20,
        "for_one_to_one_support": False,
        "ordinarily_available_provision_in_place": True,
        "support_plan_id": "doc-support-plan-1",
        "support_plan_reviewed_on": "2026-09-20",
        **changes,
    }


DECLINE_ON_MERIT = {
    "kind": "decline",
    "merit_reasons": ["needs_met_from_normally_available_resources"],
}
