"""A command replayed with its Idempotency-Key is answered again and applied once."""

from __future__ import annotations

from .conftest import (
    PANEL,
    SECONDARY,
    SECONDARY_SRP,
    SPECIAL,
    Placements,
    decision,
    placement_request,
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


async def test_a_replayed_decision_offers_the_place_once(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(child_id=child)
    placements.consult(request["request_id"])
    url = f"/requests/{request['request_id']}/decision"
    headers = {
        **placements.as_("panel-member", panels=(PANEL["panel_id"],)),
        "Idempotency-Key": "decision-1",
    }

    first = placements.client.post(url, json=decision(), headers=headers)
    replay = placements.client.post(url, json=decision(), headers=headers)

    assert first.status_code == replay.status_code == 201
    assert replay.json()["offer"] == first.json()["offer"]
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
