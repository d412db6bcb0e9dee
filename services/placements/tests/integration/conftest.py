"""The placements service running for real (HTTP → PostgreSQL → outbox → Kafka), its calendar
pinned so tests move time, tokens for every role, and a small registry in Thanet."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.testing import eventually, read_topic
from placements.api.deps import Calendar
from placements.app import create_app
from placements.settings import Settings

TODAY = date(2026, 10, 1)
PRIMARY = "mainstream-0101"
SECONDARY = "mainstream-0201"
SECONDARY_SRP = "srp-0301"
SPECIAL = "special-0401"
NURSERY = "nursery-0601"
PRIMARY_WITH_NURSERY = "mainstream-0102"
OTHER_PRIMARY = "mainstream-0103"

SETTINGS: dict[str, dict[str, Any]] = {
    PRIMARY: {"provision": "mainstream", "lowest_year": 0, "highest_year": 6},
    OTHER_PRIMARY: {"provision": "mainstream", "lowest_year": 0, "highest_year": 6},
    SECONDARY: {"provision": "mainstream", "lowest_year": 7, "highest_year": 13},
    SECONDARY_SRP: {
        "provision": "srp",
        "lowest_year": 7,
        "highest_year": 11,
        "need_types": ["ASD"],
    },
    SPECIAL: {
        "provision": "special",
        "lowest_year": 0,
        "highest_year": 14,
        "need_types": ["ASD", "SLD"],
    },
    NURSERY: {"provision": "early-years", "lowest_year": -1, "highest_year": -1},
    PRIMARY_WITH_NURSERY: {"provision": "mainstream", "lowest_year": -1, "highest_year": 6},
}

SRP_OPTIONS = [
    {"option": "graduated_response", "not_enough_because": "needs_exceed_sen_support"},
    {"option": "lift_or_stls", "not_enough_because": "stls_advice_insufficient"},
    {"option": "nearest_mainstream", "not_enough_because": "sensory_environment"},
]
PANEL = {
    "panel_id": "panel-thanet-1",
    "members": [
        {"member_id": "officer-1", "role": "kcc-officer"},
        {"member_id": "senco-1", "role": "senco"},
        {"member_id": "head-1", "role": "headteacher"},
        {"member_id": "senco-2", "role": "senco", "declared_interests": [SECONDARY_SRP]},
    ],
    "quorum": {"min_voting_members": 3, "min_kcc_officers": 1, "min_sencos": 1},
}
VOTES = [{"member_id": m, "choice": "for"} for m in ("officer-1", "senco-1", "head-1")]
RATIONALE = "The SRP meets the child's communication needs with access to mainstream lessons."
UNSUITABLE = "unsuitable_for_age_ability_aptitude_or_need"


@dataclass
class Placements:
    client: TestClient
    signing_key: bytes
    database_url: str
    kafka: str
    calendar: Calendar

    def as_(self, role: str, **claims: Any) -> dict[str, str]:
        """A token of the role, limited as the claims say (areas, districts, settings or
        setting, panels, child)."""
        token = mint_token(self.signing_key, role=role, subject=f"{role}-1", **claims)
        return {"Authorization": f"Bearer {token}"}

    @property
    def officer(self) -> dict[str, str]:
        """A KCC officer working across Kent."""
        return self.as_("kcc-officer", areas=("kent",))

    async def fetchval(self, query: str, *args: Any) -> Any:
        connection = await asyncpg.connect(
            self.database_url, server_settings={"search_path": "placements"}
        )
        try:
            return await connection.fetchval(query, *args)
        finally:
            await connection.close()

    def post(
        self, path: str, body: dict[str, Any] | None = None, as_: dict[str, str] | None = None
    ) -> Response:
        """A command as a KCC officer, unless someone else is named."""
        return self.client.post(path, json=body, headers=as_ or self.officer)

    def register(self, *setting_ids: str) -> None:
        for setting_id in setting_ids:
            response = self.post("/settings", setting(setting_id))
            assert response.status_code == 201, response.text

    def set_capacity(self, setting_id: str, academic_year: str, **basis: Any) -> None:
        response = self.client.put(
            f"/settings/{setting_id}/capacity",
            json={"academic_year": academic_year, **basis},
            headers=self.officer,
        )
        assert response.status_code == 200, response.text

    def receive(self, **changes: Any) -> dict[str, Any]:
        response = self.post("/requests", placement_request(**changes))
        assert response.status_code == 201, response.text
        found: dict[str, Any] = response.json()
        return found

    def consult(self, request_id: str, nearest: str = SECONDARY) -> list[dict[str, Any]]:
        response = self.post(
            f"/requests/{request_id}/consultations", {"nearest_mainstream_id": nearest}
        )
        assert response.status_code == 201, response.text
        consultations: list[dict[str, Any]] = response.json()["consultations"]
        return consultations

    def decide(self, request_id: str, **changes: Any) -> Response:
        return self.post(f"/requests/{request_id}/decision", decision(**changes))

    def place(
        self, child_id: str, setting_id: str, year_group: int, academic_year: str, starts_on: str
    ) -> dict[str, Any]:
        """A mainstream place from request to a started placement, as the family prefers."""
        nearest = setting_id if setting_id.startswith("mainstream") else SECONDARY
        request = self.receive(
            child_id=child_id,
            year_group=year_group,
            academic_year=academic_year,
            provision_sought="mainstream",
            preferences=[setting_id],
        )
        self.consult(request["request_id"], nearest)
        decided = self.decide(
            request["request_id"],
            setting_id=setting_id,
            options_considered=[],
            preference_refusals=[],
        )
        assert decided.status_code == 201, decided.text
        offer_id = decided.json()["offer"]["offer_id"]
        accepted = self.post(
            f"/offers/{offer_id}/acceptance", as_=self.as_("parent", child=child_id)
        )
        assert accepted.status_code == 200, accepted.text
        started = self.post("/placements", {"offer_id": offer_id, "starts_on": starts_on})
        assert started.status_code == 201, started.text
        placement: dict[str, Any] = started.json()
        return placement


def setting(setting_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "setting_id": setting_id,
        "district": "thanet",
        "community_id": "cos-17",
        **SETTINGS.get(setting_id, {}),
        **changes,
    }


def placement_request(**changes: Any) -> dict[str, Any]:
    """A Year 7 place in 2027-28 for an autistic child with an EHCP: the family prefer the
    special school, then the secondary SRP."""
    return {
        "child_id": "child-7f3a",
        "received_on": TODAY.isoformat(),
        "district": "thanet",
        "academic_year": "2027-28",
        "year_group": 7,
        "need_type": "ASD",
        "has_ehcp": True,
        "provision_sought": "srp",
        "preferences": [SPECIAL, SECONDARY_SRP],
        **changes,
    }


def decision(**changes: Any) -> dict[str, Any]:
    """Name the secondary SRP: the options before an SRP considered, the first preference
    refused for a statutory reason, carried by a quorate panel."""
    return {
        "setting_id": SECONDARY_SRP,
        "panel": PANEL,
        "votes": VOTES,
        "options_considered": SRP_OPTIONS,
        "preference_refusals": [{"setting_id": SPECIAL, "reason": UNSUITABLE}],
        "rationale": RATIONALE,
        **changes,
    }


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
    return signing_key, public, personal


@pytest.fixture
async def placements(
    database_url: str, kafka_bootstrap: str, keys: tuple[bytes, Path, Path]
) -> AsyncIterator[Placements]:
    signing_key, public, personal = keys
    settings = Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=public,
        personal_data_key_file=personal,
        relay_poll_interval_seconds=0.2,
        pinned_today=TODAY,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield Placements(client, signing_key, database_url, kafka_bootstrap, app.state.calendar)


@pytest.fixture
def child(unique: str) -> str:
    """A child id no other test's events on the shared topics carry."""
    return f"child-{unique}"
