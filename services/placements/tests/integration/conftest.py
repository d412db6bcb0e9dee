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
from inclusion_shared.identifiers import child_id_for, person_id_for
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
PANEL_ID = "panel-thanet-1"
"""East Kent's placement panel: Thanet's cases go before it."""
QUORUM = {"min_voting_members": 3, "min_kcc_officers": 1, "min_sencos": 1}


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


OFFICER_1 = person_id_for("officer-1")
SENCO_1 = person_id_for("senco-1")
HEAD_1 = person_id_for("head-1")
SENCO_2 = person_id_for("senco-2")
"""The panel's members, named by person ids made from their seats."""
ROSTER = [
    roster_member(OFFICER_1, "kcc-officer"),
    roster_member(SENCO_1, "senco"),
    roster_member(HEAD_1, "headteacher"),
    roster_member(SENCO_2, "senco", SECONDARY_SRP),
]
"""The panel's roster: senco-2 has declared an interest in the secondary SRP."""
VOTERS = (OFFICER_1, SENCO_1, HEAD_1)
RATIONALE = "The SRP meets the child's communication needs with access to mainstream lessons."
UNSUITABLE = "unsuitable_for_age_ability_aptitude_or_need"


@dataclass
class Placements:
    client: TestClient
    signing_key: bytes
    database_url: str
    kafka: str
    calendar: Calendar

    def as_(self, role: str, subject: str | None = None, **claims: Any) -> dict[str, str]:
        """A token of the role, limited as the claims say (areas, districts, settings or
        setting, panels, child), its subject the person id of ``<role>-1`` unless named."""
        token = mint_token(
            self.signing_key, role=role, subject=subject or person_id_for(f"{role}-1"), **claims
        )
        return {"Authorization": f"Bearer {token}"}

    def as_member(self, member_id: str, panel_id: str = PANEL_ID) -> dict[str, str]:
        """A member of a panel's roster, voting or declaring an interest as themselves."""
        return self.as_("panel-member", member_id, panels=(panel_id,))

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

    def set_roster(
        self,
        panel_id: str = PANEL_ID,
        members: list[dict[str, Any]] | None = None,
        area: str = "east-kent",
        quorum: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        """The officer keeps the panel's roster (the same roster again changes nothing)."""
        response = self.client.put(
            f"/panels/{panel_id}",
            json={
                "area": area,
                "members": ROSTER if members is None else members,
                "quorum": quorum or QUORUM,
            },
            headers=self.officer,
        )
        assert response.status_code == 200, response.text
        roster: dict[str, Any] = response.json()
        return roster

    def propose(
        self, request_id: str, as_: dict[str, str] | None = None, **changes: Any
    ) -> Response:
        """The officer puts a proposed decision to the panel (East Kent's unless told)."""
        return self.post(f"/requests/{request_id}/proposals", proposal(**changes), as_)

    def vote(
        self, proposal_id: str, member_id: str, choice: str = "for", panel_id: str = PANEL_ID
    ) -> Response:
        """A member's own vote on a proposal."""
        return self.post(
            f"/proposals/{proposal_id}/votes",
            {"choice": choice},
            self.as_member(member_id, panel_id),
        )

    def decide(
        self, request_id: str, *, voters: tuple[str, ...] = VOTERS, **changes: Any
    ) -> Response:
        """The whole way to a panel's decision: the roster kept (if it is not yet), the
        officer's proposal, each voter's own vote. The answer is the proposal's when it is
        refused, else the last vote's (which carries the decision, with its offer, once the
        votes are quorate)."""
        panel_id = changes.get("panel_id", PANEL_ID)
        if self.client.get(f"/panels/{panel_id}", headers=self.as_("auditor")).status_code == 404:
            self.set_roster(panel_id)
        answer = proposed = self.propose(request_id, **changes)
        if proposed.status_code != 201:
            return proposed
        for member_id in voters:
            answer = self.vote(proposed.json()["proposal_id"], member_id, panel_id=panel_id)
            if answer.status_code != 201:
                return answer
        return answer

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
        offer_id = decided.json()["decision"]["offer"]["offer_id"]
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
        "child_id": "child-4b8669e033ccb7794915",
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


def proposal(**changes: Any) -> dict[str, Any]:
    """Name the secondary SRP before East Kent's panel: the options before an SRP considered,
    the first preference refused for a statutory reason."""
    return {
        "setting_id": SECONDARY_SRP,
        "panel_id": PANEL_ID,
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
    return child_id_for(unique)
