"""The auditor's tool against the feedback service running for real (HTTP and Kafka → inbox →
PostgreSQL → outbox → Kafka). `inclusion audit replay`: its read models rebuilt from offset 0
into a scratch schema equal the live ones, a live row someone changed is named as a
difference, and the live tables are left as they are; every service's declaration accounts for
every table it keeps. `inclusion audit verify`: a person's details erased by crypto-shredding
show as redacted, not as tampering."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient

from feedback.app import create_app
from feedback.settings import Settings
from inclusion_cli.audit.log import audited_topics
from inclusion_cli.audit.replay import SERVICES, declaration_of, render_text, replay_services
from inclusion_cli.audit.report import render_text as render_verify
from inclusion_cli.audit.run import audit_log
from inclusion_cli.audit.verify import Verifier
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.contracts.placements import (
    PLACEMENT_STARTED,
    SETTING_REGISTERED,
    PlacementStarted,
    SettingRegistered,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import consumer_group
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.replay import KIT_TABLES
from inclusion_shared.testing import UpstreamService, eventually, join_at_the_end

SETTINGS = ("school-r1", "school-r2")


@dataclass
class LiveFeedback:
    database_url: str
    deployment: str
    client: TestClient
    signing_key: bytes

    def as_(self, role: str, **claims: Any) -> dict[str, str]:
        if role == "kcc-officer":
            claims.setdefault("areas", ("kent",))  # a Kent-wide officer
        token = mint_token(
            self.signing_key, role=role, subject=person_id_for(f"{role}-1"), **claims
        )
        return {"Authorization": f"Bearer {token}"}

    async def counted(self, table: str, rows: int) -> bool:
        found = await self.fetch(f"SELECT count(*) FROM {table}")
        return bool(found[0][0] == rows)

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(
            self.database_url, server_settings={"search_path": "feedback"}
        )
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()


@pytest.fixture
async def feedback(
    database_url: str, kafka_bootstrap: str, tmp_path: Path, unique: str
) -> AsyncIterator[LiveFeedback]:
    """The feedback service, having consumed two settings and a placement starting."""
    signing_key = generate_signing_key()
    public = tmp_path / "dev.pub.pem"
    public.write_bytes(public_key_pem(signing_key))
    personal = tmp_path / "personal-data.key"
    personal.write_bytes(base64.b64encode(os.urandom(32)))
    settings = Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=public,
        personal_data_key_file=personal,
        deployment=f"t{unique}",
    )
    await join_at_the_end(
        kafka_bootstrap,
        consumer_group(settings.deployment, "feedback"),
        ["placements.setting.v1", "placements.placement.v1"],
    )
    producer = idempotent_producer(
        KafkaSettings(bootstrap_servers=kafka_bootstrap), f"placements-replay-{unique}"
    )
    await producer.start()
    try:
        with TestClient(create_app(settings)) as client:
            live = LiveFeedback(database_url, settings.deployment, client, signing_key)
            placements = UpstreamService("placements", producer, deployment=settings.deployment)
            for number, setting_id in enumerate(SETTINGS, start=1):
                await placements.publish(
                    SETTING_REGISTERED.type,
                    setting_id,
                    SettingRegistered(
                        setting_id=setting_id,
                        setting_type="mainstream",
                        district="thanet",
                        area="east-kent",
                        community_of_schools=f"cos-thanet-{number}",
                    ),
                )
            await eventually(lambda: live.counted("known_settings", len(SETTINGS)))
            # Only then does a placement start: the invitation it causes takes the setting's
            # Community of Schools from the registry, as it would have come to be known.
            await placements.publish(
                PLACEMENT_STARTED.type,
                "child-6cb1fa932929281b0319",
                PlacementStarted(
                    placement_id="placement-r1",
                    child_id="child-6cb1fa932929281b0319",
                    setting_id=SETTINGS[0],
                    setting_type="mainstream",
                    district="thanet",
                    area="east-kent",
                    phase="primary",
                    year_group=3,
                    starts_on=date(2026, 9, 1),
                ),
            )

            await eventually(lambda: live.counted("invitations", 1))
            yield live
    finally:
        await producer.stop()


async def replay_feedback(live: LiveFeedback, kafka_bootstrap: str) -> Any:
    return await replay_services(
        ["feedback"],
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        deployment=live.deployment,
        databases={"feedback": live.database_url},
    )


async def test_read_models_rebuilt_from_the_log_equal_the_live_ones(
    feedback: LiveFeedback, kafka_bootstrap: str
) -> None:
    report = await replay_feedback(feedback, kafka_bootstrap)

    assert report.passed, render_text(report)
    [replayed] = report.services
    assert [(t.table, t.live_rows, t.rebuilt_rows) for t in replayed.tables] == [
        ("known_settings", 2, 2),
        ("invitations", 1, 1),
    ]
    assert replayed.outcomes["processed"] == 3
    assert "PASSED" in render_text(report)


async def test_a_changed_live_row_is_named_as_a_difference_and_left_as_it_is(
    feedback: LiveFeedback, kafka_bootstrap: str
) -> None:
    await feedback.fetch(
        "UPDATE known_settings SET community_of_schools = 'cos-elsewhere' WHERE setting_id = $1",
        SETTINGS[1],
    )

    report = await replay_feedback(feedback, kafka_bootstrap)

    assert not report.passed
    [replayed] = report.services
    assert replayed.differences == 1
    first = replayed.first_difference
    assert first is not None
    assert first.startswith("known_settings: live row")
    assert "cos-elsewhere" in first and "cos-thanet-2" in first
    assert "FAILED" in render_text(report)
    assert report.as_json()["services"]["feedback"]["first_difference"] == first
    # The replay wrote only its own schema: the live row is still as it was changed.
    [row] = await feedback.fetch(
        "SELECT community_of_schools FROM known_settings WHERE setting_id = $1", SETTINGS[1]
    )
    assert row[0] == "cos-elsewhere"


async def test_an_answered_invitation_is_not_a_difference(
    feedback: LiveFeedback, kafka_bootstrap: str
) -> None:
    """The day an invitation was answered is a respondent's doing, not an event's."""
    await feedback.fetch("UPDATE invitations SET responded_on = '2026-10-20'")

    report = await replay_feedback(feedback, kafka_bootstrap)

    assert report.passed, render_text(report)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_accounts_for_every_table_it_keeps(service: str) -> None:
    declaration = declaration_of(service)
    assert declaration.migrations is not None
    created = {
        name
        for sql in declaration.migrations.glob("*.sql")
        for name in re.findall(r"CREATE TABLE (\w+)", sql.read_text())
    }
    declared = {model.table for model in declaration.read_models} | set(declaration.state)

    assert declared == created - KIT_TABLES
    assert not {model.table for model in declaration.read_models} & set(declaration.state)


SURVEY = {
    "survey_id": "survey-erasure",
    "title": "How is the placement going?",
    "channel": "survey",
    "voices": ["parent-carer"],
    "questions": [
        {"kind": "scale", "question_id": "overall", "prompt": "How happy are you overall?"},
        {"kind": "free-text", "question_id": "tell_us_more", "prompt": "Tell us more"},
    ],
}


async def test_details_erased_by_crypto_shredding_show_as_redacted_not_tampered(
    feedback: LiveFeedback, kafka_bootstrap: str
) -> None:
    officer = feedback.as_("kcc-officer")
    assert feedback.client.post("/surveys", json=SURVEY, headers=officer).status_code == 201
    published = feedback.client.post("/surveys/survey-erasure/publication", headers=officer)
    assert published.status_code == 200, published.text
    answered = feedback.client.post(
        "/surveys/survey-erasure/responses",
        json={
            "voice": "parent-carer",
            "consent": {"given": True},
            "district": "thanet",
            "community_of_schools": "cos-thanet-1",
            "answers": [
                {"kind": "scale", "question_id": "overall", "value": 2},
                {"kind": "free-text", "question_id": "tell_us_more", "text": "words to erase"},
            ],
        },
        headers=feedback.as_("parent", child="child-1c9357ef61fcbdb6011f"),
    )
    assert answered.status_code == 201, answered.text
    erased = feedback.client.post("/people/child-1c9357ef61fcbdb6011f/erasure", headers=officer)
    assert erased.status_code == 200, erased.text
    [keys] = await feedback.fetch(
        "SELECT count(*) FROM personal_data WHERE person_id = 'child-1c9357ef61fcbdb6011f'"
    )
    assert keys[0] == 0, "the child's key is shredded: their words are unreadable anywhere"

    async def audited() -> Any:
        report = await audit_log(
            KafkaSettings(bootstrap_servers=kafka_bootstrap),
            audited_topics(),
            Verifier({}, deployment=feedback.deployment),
        )
        chain = report.chains.get("feedback")
        # Once the relay has published the withdrawal, the whole chain has been read.
        return report if chain is not None and chain.erasures else None

    report = await eventually(audited)

    assert report.passed, report.failures
    assert report.chains["feedback"].erasures == 1
    assert "shown as redacted" in render_verify(report, feedback.deployment)
