"""The reviews service running for real (HTTP → PostgreSQL → outbox → Kafka), tokens for every
role, and a review walked through its stages over HTTP.

A reviewer is the SENCO of a partner school: their token's subject is their reviewer id
(`senco(school)`, the person id seeded `senco-<school>`) and its setting is their own school.
Opening a cycle enrols the SENCO of every school in it on the roster (in term, trained), as an
officer keeps it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi.testclient import TestClient

from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.testing import eventually, read_topic
from reviews.app import create_app
from reviews.settings import Settings

TOPIC = "reviews.review.v1"
ROSTER_TOPIC = "reviews.reviewer.v1"
COMMUNITY = "cos-thanet-1"

FINDINGS = [
    {
        "finding_id": "finding-1",
        "area": "leadership",
        "kind": "strength",
        "summary": "SEND is a standing item for the senior team, with a named governor.",
        "evidence": ["doc-visit-notes-1"],
    },
    {
        "finding_id": "finding-2",
        "area": "assessment-and-identification",
        "kind": "area-for-development",
        "summary": "Needs identified late in Key Stage 2; screening is not used consistently.",
        "evidence": ["doc-visit-notes-1", "doc-provision-map-1"],
    },
    {
        "finding_id": "finding-3",
        "area": "working-with-pupils-and-parents",
        "kind": "area-for-development",
        "summary": "Parents are not yet part of reviewing support plans.",
        "evidence": ["doc-parent-survey-1"],
    },
]


def today() -> date:
    return datetime.now(UTC).date()


def in_days(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


def actions(first_due_in: int = 30, second_due_in: int = 90) -> list[dict[str, Any]]:
    """A plan answering both areas for development of FINDINGS."""
    return [
        {
            "item_id": "action-1",
            "finding_id": "finding-2",
            "action": "Introduce termly screening in Years 3 to 6.",
            "owner": "senco",
            "due_on": in_days(first_due_in),
        },
        {
            "item_id": "action-2",
            "finding_id": "finding-3",
            "action": "Invite parents to every support plan review.",
            "owner": "headteacher",
            "due_on": in_days(second_due_in),
        },
    ]


def senco(school: str) -> str:
    """The person id of the SENCO of a school: their token's subject and their reviewer id."""
    return person_id_for(f"senco-{school}")


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@dataclass
class Reviews:
    client: TestClient
    signing_key: bytes
    database_url: str

    def as_(
        self,
        role: str,
        subject: str | None = None,
        setting: str | None = None,
        *,
        settings: tuple[str, ...] = (),
        areas: tuple[str, ...] = (),
        districts: tuple[str, ...] = (),
        panels: tuple[str, ...] = (),
        child: str | None = None,
    ) -> dict[str, str]:
        """A token for the role, limited to the places, setting, panels or child given."""
        token = mint_token(
            self.signing_key,
            role=role,
            subject=subject or person_id_for(f"{role}-1"),
            setting=setting,
            settings=settings,
            areas=areas,
            districts=districts,
            panels=panels,
            child=child,
        )
        return {"Authorization": f"Bearer {token}"}

    def coordinator(self) -> dict[str, str]:
        """A KCC officer coordinating cycles anywhere in Kent."""
        return self.as_("kcc-officer", areas=("kent",))

    def area_board(self, area: str = "east-kent") -> dict[str, str]:
        """The Area Board of a Kent area (Thanet's, unless given)."""
        return self.as_("area-board", areas=(area,))

    def senco_of(self, school: str) -> dict[str, str]:
        """The SENCO of a school: its owner when reviewed, its reviewer when reviewing."""
        return self.as_("senco", subject=senco(school), setting=school)

    async def fetchval(self, query: str, *args: Any) -> Any:
        connection = await asyncpg.connect(
            self.database_url, server_settings={"search_path": "reviews"}
        )
        try:
            return await connection.fetchval(query, *args)
        finally:
            await connection.close()

    async def written(self) -> tuple[int, int, int, int, dict[str, int]]:
        """Cycles, reviews, overdue actions, outbox events and the roster (each reviewer's
        version)."""
        roster = await self.fetchval(
            "SELECT coalesce(jsonb_object_agg(reviewer_id, version), '{}') FROM reviewers"
        )
        return (
            await self.fetchval("SELECT count(*) FROM cycles"),
            await self.fetchval("SELECT count(*) FROM reviews"),
            await self.fetchval("SELECT count(*) FROM overdue_actions"),
            await self.fetchval("SELECT count(*) FROM outbox"),
            json.loads(roster),
        )

    async def document_of(self, review_id: str) -> Any:
        return await self.fetchval("SELECT document FROM reviews WHERE review_id = $1", review_id)

    def open_cycle(self, **changes: Any) -> dict[str, Any]:
        """A Thanet cycle of one triad (a, b, c) and one pair (d, e), every school reviewed;
        the SENCO of each school in it enrolled on the roster (unchanged if they were)."""
        body = {
            "community_id": COMMUNITY,
            "district": "thanet",
            "partnerships": [["school-a", "school-b", "school-c"], ["school-d", "school-e"]],
            **changes,
        }
        for partnership in body["partnerships"]:
            for school in partnership:
                ok(self.enrol(school, district=body["district"]))
        cycle: dict[str, Any] = ok(
            self.client.post("/cycles", json=body, headers=self.coordinator()), 201
        )
        return cycle

    def enrolment(self, school: str, **changes: Any) -> dict[str, Any]:
        """The roster entry of the SENCO of a Thanet `school`: in term from a month ago for a
        year, trained two months ago, no declared interests (unless `changes` say otherwise)."""
        return {
            "setting_id": school,
            "district": "thanet",
            "role": "senco",
            "term_from": in_days(-30),
            "term_to": in_days(365),
            "trained_on": in_days(-60),
            "declared_interests": [],
            **changes,
        }

    def enrol(
        self, school: str, headers: dict[str, str] | None = None, **changes: Any
    ) -> httpx.Response:
        """An officer (Kent-wide unless `headers` say who) sets the roster entry of the SENCO of
        `school` (see `enrolment`)."""
        response: httpx.Response = self.client.put(
            f"/reviewers/{senco(school)}",
            json=self.enrolment(school, **changes),
            headers=headers or self.coordinator(),
        )
        return response

    def assign(self, review_id: str, school: str) -> httpx.Response:
        """Assign the SENCO of `school`, as the roster has them."""
        response: httpx.Response = self.client.post(
            f"/reviews/{review_id}/reviewers",
            json={"reviewer_id": senco(school)},
            headers=self.coordinator(),
        )
        return response

    def move(self, review_id: str, to: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"/reviews/{review_id}/stage", json={"to": to}, headers=headers or self.coordinator()
        )

    def issue_report(
        self,
        review_id: str,
        school: str,
        reviewer: str,
        findings: list[dict[str, Any]] | None = None,
        *,
        issue: bool = True,
    ) -> None:
        """Walk a review from self-evaluation to its report, issued unless `issue` is false."""
        ok(
            self.client.post(
                f"/reviews/{review_id}/self-evaluation",
                json={"documents": ["doc-sef-1"]},
                headers=self.senco_of(school),
            )
        )
        ok(self.assign(review_id, reviewer), 201)
        for stage in ("preparation", "visit", "written-report"):
            ok(self.move(review_id, stage))
        ok(
            self.client.put(
                f"/reviews/{review_id}/report",
                json={"findings": findings or FINDINGS},
                headers=self.senco_of(reviewer),
            )
        )
        if issue:
            ok(self.move(review_id, "action-plan"))

    def agree_plan(self, review_id: str, school: str, items: list[dict[str, Any]]) -> Any:
        return self.client.post(
            f"/reviews/{review_id}/action-plan",
            json={"items": items},
            headers=self.senco_of(school),
        )


def review_of(cycle: dict[str, Any], school: str) -> str:
    review_id: str = next(r["review_id"] for r in cycle["reviews"] if r["setting_id"] == school)
    return review_id


async def events_about(
    kafka: str,
    subject: str,
    event_type: str | None = None,
    *,
    at_least: int = 1,
    topic: str = TOPIC,
) -> list[Any]:
    """The events on the reviews topic (or another of the service's) keyed by `subject` (of one
    type, if given), in order, once there are at least `at_least` of them."""

    async def published() -> list[dict[str, Any]]:
        events = [json.loads(record.value) for record in await read_topic(kafka, topic)]
        about = [
            event
            for event in sorted(events, key=lambda e: e["chainseq"])
            if event["subject"] == subject and event_type in (None, event["type"])
        ]
        return about if len(about) >= at_least else []

    found: list[dict[str, Any]] = await eventually(published)
    return found


@pytest.fixture
async def reviews(
    database_url: str, kafka_bootstrap: str, tmp_path: Path
) -> AsyncIterator[Reviews]:
    signing_key = generate_signing_key()
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(signing_key))
    settings = Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=public,
        relay_poll_interval_seconds=0.2,
    )
    with TestClient(create_app(settings)) as client:
        yield Reviews(client, signing_key, database_url)
