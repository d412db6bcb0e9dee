"""A consulted setting replies within 15 days; a consultation without a reply by then is
overdue, and the overdue event is raised once however often the clocks are swept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .conftest import SECONDARY, SECONDARY_SRP, SPECIAL, TODAY, Placements, events_of

OVERDUE = "placements.consultation.overdue"
DUE_SOON = "placements.consultation.reply-due-soon"


def consulted(placements: Placements, child: str) -> dict[str, dict[str, Any]]:
    """The three consultations on a request sent today, by setting."""
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive(child_id=child)
    return {c["setting_id"]: c for c in placements.consult(request["request_id"])}


def sweep(placements: Placements, day: date) -> list[dict[str, Any]]:
    placements.calendar.pin(day)
    response = placements.post("/clocks/sweep")
    assert response.status_code == 200, response.text
    raised: list[dict[str, Any]] = response.json()["raised"]
    return raised


async def count(placements: Placements, event_type: str) -> int:
    found: int = await placements.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = $1", event_type
    )
    return found


async def test_a_reply_on_the_15th_day_is_on_time_and_a_silent_setting_is_overdue_once(
    placements: Placements, child: str
) -> None:
    consultations = consulted(placements, child)
    placements.calendar.pin(TODAY + timedelta(days=15))
    on_time = placements.post(
        f"/consultations/{consultations[SPECIAL]['consultation_id']}/reply",
        {"answer": "decline", "reason": "no_place_in_year_group"},
        as_=placements.as_("senco", setting=SPECIAL),
    )

    on_the_day = sweep(placements, TODAY + timedelta(days=15))
    raised = sweep(placements, TODAY + timedelta(days=16))
    again = sweep(placements, TODAY + timedelta(days=20))

    assert on_time.status_code == 200, on_time.text
    assert {c["reply_due_on"] for c in consultations.values()} == {"2026-10-16"}
    assert {(r["party_id"], r["alert"]) for r in on_the_day} == {
        (SECONDARY, "warning"),
        (SECONDARY_SRP, "warning"),
    }
    assert sorted((r["party_id"], r["alert"]) for r in raised) == [
        (SECONDARY, "breached"),
        (SECONDARY_SRP, "breached"),
    ]
    assert again == []
    assert await count(placements, OVERDUE) == 2
    overdue = await events_of(
        placements.kafka,
        "placements.consultation.v1",
        "request_id",
        consultations[SECONDARY]["request_id"],
        OVERDUE,
    )
    assert {e["data"]["setting_id"] for e in overdue} == {SECONDARY, SECONDARY_SRP}
    assert {e["data"]["reply_due_on"] for e in overdue} == {"2026-10-16"}
    answered = await events_of(
        placements.kafka,
        "placements.consultation.v1",
        "consultation_id",
        consultations[SPECIAL]["consultation_id"],
        "placements.consultation.answered",
    )
    assert [e["data"]["on_time"] for e in answered] == [True]


async def test_a_late_reply_is_recorded_as_late(placements: Placements, child: str) -> None:
    consultations = consulted(placements, child)
    placements.calendar.pin(TODAY + timedelta(days=16))

    late = placements.post(
        f"/consultations/{consultations[SECONDARY]['consultation_id']}/reply",
        {"answer": "accept"},
        as_=placements.as_("senco", setting=SECONDARY),
    )

    assert late.status_code == 200, late.text
    (answered,) = await events_of(
        placements.kafka,
        "placements.consultation.v1",
        "consultation_id",
        consultations[SECONDARY]["consultation_id"],
        "placements.consultation.answered",
    )
    assert answered["data"]["on_time"] is False


async def test_a_reply_falling_due_soon_warns_once_before_it_is_overdue(
    placements: Placements, child: str
) -> None:
    consulted(placements, child)

    assert sweep(placements, TODAY + timedelta(days=11)) == []
    warned = sweep(placements, TODAY + timedelta(days=12))
    assert sweep(placements, TODAY + timedelta(days=13)) == []

    assert {(r["alert"], r["days_left"]) for r in warned} == {("warning", 3)}
    assert len(warned) == 3
    assert await count(placements, DUE_SOON) == 3
    assert await count(placements, OVERDUE) == 0


async def test_a_decline_needs_a_reason_and_a_setting_replies_once(
    placements: Placements, child: str
) -> None:
    consultations = consulted(placements, child)
    url = f"/consultations/{consultations[SECONDARY_SRP]['consultation_id']}/reply"
    senco = placements.as_("senco", setting=SECONDARY_SRP)

    without_reason = placements.post(url, {"answer": "decline"}, as_=senco)
    with_free_text = placements.post(
        url, {"answer": "decline", "reason": "The child is too difficult"}, as_=senco
    )
    first = placements.post(url, {"answer": "accept"}, as_=senco)
    second = placements.post(url, {"answer": "decline", "reason": "full"}, as_=senco)

    assert without_reason.status_code == 422
    assert without_reason.json()["code"] == "decline_without_reason"
    assert with_free_text.status_code == 422
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "already_replied"
    assert await count(placements, "placements.consultation.answered") == 1


async def test_the_clocks_are_not_swept_as_of_a_day_still_to_come(placements: Placements) -> None:
    response = placements.client.post(
        "/clocks/sweep", params={"as_of": "2026-10-02"}, headers=placements.officer
    )

    assert response.status_code == 422
    assert response.json()["code"] == "dated_in_the_future"


async def test_consultations_go_out_once_per_request(placements: Placements, child: str) -> None:
    consultations = consulted(placements, child)
    request_id = consultations[SECONDARY]["request_id"]

    again = placements.post(
        f"/requests/{request_id}/consultations", {"nearest_mainstream_id": SECONDARY}
    )

    assert again.status_code == 409
    assert await count(placements, "placements.consultation.sent") == 3
