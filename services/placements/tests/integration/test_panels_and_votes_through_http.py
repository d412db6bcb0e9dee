"""Placement panels through HTTP: an officer keeps a panel's roster and quorum, a member
declares their own interests, the officer puts a case to the panel, and each member votes as
themselves; the vote that makes the votes quorate takes the decision, and the decision event
names the proposal, its proposer, the roster version and the members who voted."""

from __future__ import annotations

import json
from typing import Any

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.testing import eventually, read_topic

from .conftest import (
    HEAD_1,
    OFFICER_1,
    PANEL_ID,
    QUORUM,
    ROSTER,
    SECONDARY,
    SECONDARY_SRP,
    SENCO_1,
    SENCO_2,
    SPECIAL,
    Placements,
    events_of,
    roster_member,
)

SENCO_3 = person_id_for("senco-3")
SENCO_9 = person_id_for("senco-9")
HEAD_2 = person_id_for("head-2")


async def published(
    placements: Placements, event_type: str, key: str, value: str, count: int
) -> list[dict[str, Any]]:
    """The `count` events of a type on the panel topic whose data has `key` equal to `value`,
    once all of them are there."""

    async def all_of_them() -> list[dict[str, Any]] | None:
        records = await read_topic(placements.kafka, "placements.panel.v1")
        events = [json.loads(record.value) for record in records]
        found = [e for e in events if e["type"] == event_type and e["data"].get(key) == value]
        return found if len(found) >= count else None

    found: list[dict[str, Any]] = await eventually(all_of_them)
    return found


def prepared(placements: Placements, child: str, places: int = 8) -> str:
    """A consulted request for the SRP before East Kent's panel, its roster kept: its id."""
    placements.set_roster()
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=places)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])
    return str(request["request_id"])


def proposed(placements: Placements, request_id: str, **changes: Any) -> str:
    made = placements.propose(request_id, **changes)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "open" and made.json()["votes"] == []
    proposal_id: str = made.json()["proposal_id"]
    return proposal_id


async def test_a_roster_is_versioned_and_the_same_roster_again_changes_nothing(
    placements: Placements, unique: str
) -> None:
    panel_id = f"panel-{unique}"
    first = placements.set_roster(panel_id)
    again = placements.set_roster(panel_id)
    changed = placements.set_roster(panel_id, [*ROSTER, roster_member(SENCO_3, "senco")])

    assert (first["version"], again["version"], changed["version"]) == (1, 1, 2)
    assert first["quorum"] == QUORUM
    events = await published(placements, "placements.panel.roster-set", "panel_id", panel_id, 2)
    assert [e["data"]["version"] for e in events] == [1, 2]
    assert events[0]["subject"] == panel_id
    assert events[0]["data"]["quorum"] == QUORUM
    assert events[0]["data"]["members"][3] == {**ROSTER[3], "declared_interests": [SECONDARY_SRP]}


async def test_a_panel_s_area_never_changes(placements: Placements) -> None:
    placements.set_roster()

    moved = placements.client.put(
        f"/panels/{PANEL_ID}",
        json={"area": "west-kent", "members": ROSTER, "quorum": QUORUM},
        headers=placements.officer,
    )

    assert moved.status_code == 409, moved.text
    assert moved.json()["code"] == "panel_area_fixed"


async def test_a_member_declares_their_own_interest_and_no_one_else_s(
    placements: Placements,
) -> None:
    placements.set_roster()
    declare = f"/panels/{PANEL_ID}/interests"

    declared = placements.post(declare, {"setting_id": SPECIAL}, placements.as_member(SENCO_1))
    again = placements.post(declare, {"setting_id": SPECIAL}, placements.as_member(SENCO_1))
    stranger = placements.post(declare, {"setting_id": SPECIAL}, placements.as_member(SENCO_9))

    assert declared.status_code == again.status_code == 200, declared.text
    assert declared.json()["version"] == again.json()["version"] == 2
    (senco,) = [m for m in declared.json()["members"] if m["member_id"] == SENCO_1]
    assert senco["declared_interests"] == [SPECIAL]
    assert stranger.status_code == 403 and stranger.json()["code"] == "not_on_panel"


async def test_the_decision_is_taken_by_the_vote_that_makes_the_votes_quorate(
    placements: Placements, child: str
) -> None:
    request_id = prepared(placements, child)
    proposal_id = proposed(placements, request_id)

    first = placements.vote(proposal_id, OFFICER_1)
    second = placements.vote(proposal_id, SENCO_1, "abstain")
    third = placements.vote(proposal_id, HEAD_1)

    assert [r.status_code for r in (first, second, third)] == [201, 201, 201]
    assert [r.json()["status"] for r in (first, second, third)] == ["open", "open", "decided"]
    assert first.json()["decision"] is None
    decision = third.json()["decision"]
    assert decision["setting_id"] == SECONDARY_SRP
    assert decision["recused_member_ids"] == [SENCO_2]
    assert decision["offer"]["status"] == "made"
    (event,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "child_id",
        child,
        "placements.placement.decided",
    )
    assert event["data"]["proposal_id"] == proposal_id
    assert event["data"]["proposed_by"] == person_id_for("kcc-officer-1")
    assert event["data"]["roster_version"] == 1
    assert event["data"]["votes"] == [
        {"member_id": OFFICER_1, "choice": "for"},
        {"member_id": SENCO_1, "choice": "abstain"},
        {"member_id": HEAD_1, "choice": "for"},
    ]
    assert event["data"]["record"]["panel"]["quorum"] == QUORUM
    cast = await published(placements, "placements.panel.vote-cast", "proposal_id", proposal_id, 3)
    assert [(e["data"]["member_id"], e["data"]["roster_version"]) for e in cast] == [
        (OFFICER_1, 1),
        (SENCO_1, 1),
        (HEAD_1, 1),
    ]
    read = placements.client.get(f"/requests/{request_id}", headers=placements.as_member(HEAD_1))
    assert read.status_code == 200, read.text
    assert [p["status"] for p in read.json()["proposals"]] == ["decided"]
    assert len(read.json()["proposals"][0]["votes"]) == 3


async def test_a_member_who_may_not_vote_is_refused_and_nothing_is_written(
    placements: Placements, child: str
) -> None:
    request_id = prepared(placements, child)
    placements.set_roster(
        members=[
            *ROSTER,
            roster_member(SENCO_3, "senco", trained_on=None),
            roster_member(HEAD_2, "headteacher", term=("2020-01-01", "2021-08-31")),
        ]
    )
    proposal_id = proposed(placements, request_id)
    assert placements.vote(proposal_id, OFFICER_1).status_code == 201
    before = await placements.fetchval("SELECT count(*) FROM outbox")

    refusals = {
        member: placements.vote(proposal_id, member)
        for member in (SENCO_9, SENCO_3, HEAD_2, SENCO_2, OFFICER_1)
    }

    assert {member: (r.status_code, r.json()["code"]) for member, r in refusals.items()} == {
        SENCO_9: (403, "not_on_panel"),
        SENCO_3: (422, "member_not_eligible"),
        HEAD_2: (422, "member_not_eligible"),
        SENCO_2: (409, "must_recuse"),
        OFFICER_1: (409, "member_voted_twice"),
    }
    assert await placements.fetchval("SELECT count(*) FROM votes") == 1
    assert await placements.fetchval("SELECT count(*) FROM outbox") == before


async def test_a_member_of_another_panel_may_not_vote(placements: Placements, child: str) -> None:
    request_id = prepared(placements, child)
    proposal_id = proposed(placements, request_id)

    elsewhere = placements.vote(proposal_id, OFFICER_1, panel_id="panel-west-1")

    assert elsewhere.status_code == 403, elsewhere.text


async def test_one_proposal_is_open_at_a_time_and_a_quorate_one_not_carried_closes(
    placements: Placements, child: str
) -> None:
    request_id = prepared(placements, child)
    proposal_id = proposed(placements, request_id)

    while_open = placements.propose(request_id)
    placements.vote(proposal_id, OFFICER_1, "against")
    placements.vote(proposal_id, SENCO_1, "against")
    closing = placements.vote(proposal_id, HEAD_1)
    after = placements.vote(proposal_id, SENCO_3)

    assert while_open.status_code == 409 and while_open.json()["code"] == "proposal_open"
    assert closing.status_code == 201, closing.text
    assert (closing.json()["status"], closing.json()["decision"]) == ("not_carried", None)
    assert after.status_code == 409 and after.json()["code"] == "proposal_not_open"
    assert await placements.fetchval("SELECT count(*) FROM decisions") == 0
    again = placements.decide(request_id)
    assert again.status_code == 201, again.text
    assert again.json()["status"] == "decided"


async def test_a_proposal_is_read_by_the_members_of_its_panel(
    placements: Placements, child: str
) -> None:
    request_id = prepared(placements, child)
    proposal_id = proposed(placements, request_id)
    path = f"/proposals/{proposal_id}"

    by_a_member = placements.client.get(path, headers=placements.as_member(SENCO_1))
    by_another_panel = placements.client.get(
        path, headers=placements.as_member(SENCO_1, "panel-west-1")
    )

    assert by_a_member.status_code == 200, by_a_member.text
    assert by_a_member.json()["panel_id"] == PANEL_ID
    assert by_a_member.json()["setting_id"] == SECONDARY_SRP
    assert by_another_panel.status_code == 403
