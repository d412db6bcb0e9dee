"""A command replayed with its Idempotency-Key is answered again and applied once."""

from __future__ import annotations

from .conftest import (
    HEAD_1,
    OFFICER_1,
    SECONDARY,
    SECONDARY_SRP,
    SENCO_1,
    SPECIAL,
    Placements,
    placement_request,
    proposal,
)


async def test_a_replayed_request_is_recorded_once(placements: Placements, child: str) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    headers = {**placements.officer, "Idempotency-Key": "request-1"}
    body = placement_request(child_id=child)

    first = placements.client.post("/requests", json=body, headers=headers)
    replay = placements.client.post("/requests", json=body, headers=headers)
    other = placements.client.post("/requests", json={**body, "year_group": 8}, headers=headers)

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replay"] == "true"
    assert other.status_code == 409
    assert await placements.fetchval("SELECT count(*) FROM requests") == 1
    assert (
        await placements.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'placements.placement.requested'"
        )
        == 1
    )


async def test_a_replayed_proposal_and_deciding_vote_offer_the_place_once(
    placements: Placements, child: str
) -> None:
    placements.set_roster()
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])
    url = f"/requests/{request['request_id']}/proposals"
    headers = {**placements.officer, "Idempotency-Key": "proposal-1"}

    first = placements.client.post(url, json=proposal(), headers=headers)
    replay = placements.client.post(url, json=proposal(), headers=headers)
    proposal_id = first.json()["proposal_id"]
    for member_id in (OFFICER_1, SENCO_1):
        assert placements.vote(proposal_id, member_id).status_code == 201
    vote = f"/proposals/{proposal_id}/votes"
    deciding = {**placements.as_member(HEAD_1), "Idempotency-Key": "vote-1"}
    decided = placements.client.post(vote, json={"choice": "for"}, headers=deciding)
    decided_again = placements.client.post(vote, json={"choice": "for"}, headers=deciding)

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert decided.status_code == decided_again.status_code == 201, decided.text
    assert decided_again.json()["decision"]["offer"] == decided.json()["decision"]["offer"]
    assert await placements.fetchval("SELECT count(*) FROM proposals") == 1
    assert await placements.fetchval("SELECT count(*) FROM votes") == 3
    assert await placements.fetchval("SELECT count(*) FROM decisions") == 1
    assert await placements.fetchval("SELECT count(*) FROM offers") == 1
    assert await placements.fetchval("SELECT count(*) FROM personal_records") == 1


async def test_a_replayed_reply_and_sweep_change_nothing_more(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive(child_id=child)
    consultation = placements.consult(request["request_id"])[0]
    senco = {
        **placements.as_("senco", setting=consultation["setting_id"]),
        "Idempotency-Key": "reply-1",
    }
    url = f"/consultations/{consultation['consultation_id']}/reply"

    first = placements.client.post(url, json={"answer": "accept"}, headers=senco)
    replay = placements.client.post(url, json={"answer": "accept"}, headers=senco)

    assert first.status_code == replay.status_code == 200
    assert replay.json() == first.json()
    assert (
        await placements.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'placements.consultation.answered'"
        )
        == 1
    )
