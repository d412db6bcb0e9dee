"""The feedback service running for real (HTTP → PostgreSQL → outbox → Kafka), with upstream
'placements', 'funding' and 'reviews' publishers for the events it consumes, and tokens for
every role."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient

from feedback.app import create_app
from feedback.settings import Settings
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.testing import UpstreamService, eventually, read_topic

SURVEY = "survey-placements-2026"
FORUM = "forum-transport-2026"
WORDS = "Ada's transport was late every week and nobody rang us back."
ROLES = [
    "senco",
    "kcc-officer",
    "panel-member",
    "parent",
    "young-person",
    "area-board",
    "auditor",
    "platform-admin",
]
PLACED = {"kcc-officer", "area-board"}  # roles whose scope is their areas or districts


@dataclass
class Feedback:
    client: TestClient
    signing_key: bytes
    database_url: str
    placements: UpstreamService
    funding: UpstreamService
    reviews: UpstreamService

    def as_(
        self,
        role: str,
        subject: str | None = None,
        *,
        setting: str | None = None,
        child: str | None = None,
        areas: tuple[str, ...] | None = None,
        districts: tuple[str, ...] = (),
        panels: tuple[str, ...] = (),
    ) -> dict[str, str]:
        """A bearer token's header. Officers and Area Boards work Kent-wide unless given their
        areas or districts (`areas=()` and no districts: no place at all)."""
        if areas is None:
            areas = ("kent",) if role in PLACED and not districts else ()
        token = mint_token(
            self.signing_key,
            role=role,
            subject=subject or person_id_for(f"{role}-1"),
            setting=setting,
            child=child,
            areas=areas,
            districts=districts,
            panels=panels,
        )
        return {"Authorization": f"Bearer {token}"}

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(
            self.database_url, server_settings={"search_path": "feedback"}
        )
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()

    async def fetchval(self, query: str, *args: Any) -> Any:
        rows = await self.fetch(query, *args)
        return rows[0][0] if rows else None

    async def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """The events the service has emitted (of one type, if given), as sent."""
        rows = await self.fetch(
            """SELECT convert_from(payload, 'UTF8') AS event FROM outbox
               WHERE $1::text IS NULL OR event_type = $1 ORDER BY seq""",
            event_type,
        )
        return [json.loads(row["event"]) for row in rows]

    def publish_survey(self, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """Draft and publish a survey as an officer; returns it as published."""
        officer = self.as_("kcc-officer")
        body = body or placement_survey()
        drafted = self.client.post("/surveys", json=body, headers=officer)
        assert drafted.status_code == 201, drafted.text
        published = self.client.post(f"/surveys/{body['survey_id']}/publication", headers=officer)
        assert published.status_code == 200, published.text
        answer: dict[str, Any] = published.json()
        return answer

    def respond(
        self, survey_id: str = SURVEY, *, as_: dict[str, str] | None = None, **changes: Any
    ) -> dict[str, Any]:
        response = self.client.post(
            f"/surveys/{survey_id}/responses",
            json=parent_response(**changes),
            headers=as_ or self.as_("parent", child="child-4b8669e033ccb7794915"),
        )
        assert response.status_code == 201, response.text
        answer: dict[str, Any] = response.json()
        return answer


def placement_survey(**changes: Any) -> dict[str, Any]:
    """A survey for parents, children and young people: one question of each kind."""
    return {
        "survey_id": SURVEY,
        "title": "How is the placement going?",
        "channel": "survey",
        "voices": ["parent-carer", "child", "young-person"],
        "questions": [
            {"kind": "scale", "question_id": "overall", "prompt": "How happy are you overall?"},
            {
                "kind": "choice",
                "question_id": "listened_to",
                "prompt": "Did the school listen to you?",
                "options": ["yes", "partly", "no"],
            },
            {"kind": "free-text", "question_id": "tell_us_more", "prompt": "Tell us more"},
        ],
        **changes,
    }


def parent_response(*, words: str | None = WORDS, **changes: Any) -> dict[str, Any]:
    """A named parent's response from Thanet; `words=None` leaves the free text out."""
    answers: list[dict[str, Any]] = [
        {"kind": "scale", "question_id": "overall", "value": 2},
        {"kind": "choice", "question_id": "listened_to", "option": "partly"},
    ]
    if words is not None:
        answers.append({"kind": "free-text", "question_id": "tell_us_more", "text": words})
    return {
        "voice": "parent-carer",
        "consent": {"given": True},
        "district": "thanet",
        "community_of_schools": "cos-thanet-1",
        "answers": answers,
        **changes,
    }


async def on_kafka(kafka: str, topic: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The given outbox events as they landed on a topic, once all of them have (other tests
    publish to the same topics, so events are matched by id)."""
    wanted = {event["id"] for event in events}

    async def landed() -> list[dict[str, Any]]:
        found = [json.loads(record.value) for record in await read_topic(kafka, topic)]
        mine = [event for event in found if event["id"] in wanted]
        return mine if {event["id"] for event in mine} == wanted else []

    landed_events: list[dict[str, Any]] = await eventually(landed)
    return landed_events


@pytest.fixture
def keys(tmp_path: Path) -> tuple[bytes, Path, Path]:
    signing_key = generate_signing_key()
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(signing_key))
    personal = tmp_path / "personal-data.key"
    personal.write_bytes(base64.b64encode(os.urandom(32)))
    return signing_key, public, personal


@pytest.fixture
async def feedback(
    database_url: str, kafka_bootstrap: str, keys: tuple[bytes, Path, Path], unique: str
) -> AsyncIterator[Feedback]:
    signing_key, public, personal = keys
    settings = Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=public,
        personal_data_key_file=personal,
        relay_poll_interval_seconds=0.2,
        invite_family_weeks_after_placement=6,
    )
    producer = idempotent_producer(
        KafkaSettings(bootstrap_servers=kafka_bootstrap), f"upstream-test-{unique}"
    )
    await producer.start()
    try:
        with TestClient(create_app(settings)) as client:
            yield Feedback(
                client,
                signing_key,
                database_url,
                UpstreamService("placements", producer),
                UpstreamService("funding", producer),
                UpstreamService("reviews", producer),
            )
    finally:
        await producer.stop()
