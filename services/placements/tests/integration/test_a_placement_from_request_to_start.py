"""A child placed from request through consultation and panel to a started placement, with the
events subscribers (funding first) read on Kafka."""

from __future__ import annotations

import hashlib
from datetime import date

from .conftest import (
    NURSERY,
    OTHER_PRIMARY,
    PRIMARY,
    PRIMARY_WITH_NURSERY,
    RATIONALE,
    SECONDARY,
    SECONDARY_SRP,
    SENCO_2,
    SPECIAL,
    Placements,
    events_of,
)


async def test_a_child_is_placed_from_request_through_consultation_and_panel_to_a_started_placement(
    placements: Placements, child: str
) -> None:
    placements.register(PRIMARY, SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    placements.set_capacity(PRIMARY, "2026-27", by_year_group=[{"year_group": 6, "places": 30}])
    primary = placements.place(child, PRIMARY, 6, "2026-27", "2026-10-05")
    ended = placements.post(
        f"/placements/{primary['placement_id']}/end",
        {"ends_on": "2027-07-21", "reason": "phase_transfer"},
    )
    assert ended.status_code == 200, ended.text

    request = placements.receive(child_id=child)
    consultations = placements.consult(request["request_id"])
    assert [(c["setting_id"], c["nearest_mainstream"]) for c in consultations] == [
        (SPECIAL, False),
        (SECONDARY_SRP, False),
        (SECONDARY, True),
    ]
    srp = next(c for c in consultations if c["setting_id"] == SECONDARY_SRP)
    replied = placements.post(
        f"/consultations/{srp['consultation_id']}/reply",
        {"answer": "accept"},
        as_=placements.as_("senco", setting=SECONDARY_SRP),
    )
    assert replied.status_code == 200, replied.text
    decided = placements.decide(request["request_id"])
    assert decided.status_code == 201, decided.text
    assert decided.json()["decision"]["recused_member_ids"] == [SENCO_2]
    offer_id = decided.json()["decision"]["offer"]["offer_id"]
    accepted = placements.post(
        f"/offers/{offer_id}/acceptance", as_=placements.as_("parent", child=child)
    )
    assert accepted.status_code == 200, accepted.text
    started = placements.post("/placements", {"offer_id": offer_id, "starts_on": "2027-09-06"})

    assert started.status_code == 201, started.text
    placement_id = started.json()["placement_id"]
    (event,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "placement_id",
        placement_id,
        "placements.placement.started",
    )
    assert event["subject"] == child
    assert event["data"] | {"placement_id": "?"} == {
        "placement_id": "?",
        "child_id": child,
        "setting_id": SECONDARY_SRP,
        "setting_type": "srp",
        "district": "thanet",
        "area": "east-kent",
        "phase": "secondary",
        "year_group": 7,
        "starts_on": "2027-09-06",
        "transfer": "primary-to-secondary",
        "previous_setting_id": PRIMARY,
        "move_reason": None,
        "offer_id": offer_id,
    }
    read = placements.client.get(
        f"/requests/{request['request_id']}", headers=placements.as_("parent", child=child)
    )
    assert read.json()["status"] == "placed"


async def test_the_decision_event_carries_the_rationale_s_keyed_digest_and_never_its_text(
    placements: Placements, child: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    placements.set_capacity(SECONDARY_SRP, "2027-28", designated_places=8)
    request = placements.receive(
        child_id=child,
        child_details={"name": "Ada Example", "date_of_birth": "2015-03-04"},
    )
    placements.consult(request["request_id"])

    decided = placements.decide(request["request_id"])

    assert decided.status_code == 201, decided.text
    (event,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "child_id",
        child,
        "placements.placement.decided",
    )
    data = event["data"]
    assert data["rationale_digest"] not in {
        hashlib.sha256(text.encode()).hexdigest() for text in (RATIONALE, RATIONALE.strip())
    }, "a plain hash of the rationale would outlive the child's erasure"
    assert data["record"]["rationale"]["digest"] == data["rationale_digest"]
    assert [r["setting_id"] for r in data["preference_refusals"]] == [SPECIAL]
    assert [o["option"] for o in data["options_considered"]] == [
        "graduated_response",
        "lift_or_stls",
        "nearest_mainstream",
    ]
    assert {m["member_id"]: m["recused"] for m in data["panel"]}[SENCO_2] is True
    outbox = await placements.fetchval(
        "SELECT string_agg(convert_from(payload, 'UTF8'), ' ') FROM outbox"
    )
    assert (
        "communication needs" not in outbox and "Ada" not in outbox and "2015-03-04" not in outbox
    )
    sealed = await placements.fetchval(
        "SELECT ciphertext FROM personal_records WHERE kind = 'decision-rationale'"
    )
    assert sealed is not None and b"communication" not in sealed
    as_parent = placements.client.get(
        f"/decisions/{data['decision_id']}", headers=placements.as_("parent", child=child)
    )
    as_auditor = placements.client.get(
        f"/decisions/{data['decision_id']}", headers=placements.as_("auditor")
    )
    assert as_parent.json()["rationale_text"] == RATIONALE
    assert as_auditor.json()["rationale_text"] is None
    assert as_auditor.json()["rationale"]["digest"] == data["rationale_digest"]


async def test_a_move_ends_one_placement_and_starts_the_next_with_its_purpose(
    placements: Placements, child: str
) -> None:
    placements.register(PRIMARY, SECONDARY, OTHER_PRIMARY)
    placements.set_capacity(PRIMARY, "2026-27", by_year_group=[{"year_group": 4, "places": 30}])
    placements.set_capacity(
        OTHER_PRIMARY, "2026-27", by_year_group=[{"year_group": 4, "places": 30}]
    )
    first = placements.place(child, PRIMARY, 4, "2026-27", "2026-10-05")
    request = placements.receive(
        child_id=child,
        year_group=4,
        academic_year="2026-27",
        provision_sought="mainstream",
        preferences=[OTHER_PRIMARY],
    )
    placements.consult(request["request_id"], OTHER_PRIMARY)
    decided = placements.decide(
        request["request_id"],
        setting_id=OTHER_PRIMARY,
        options_considered=[],
        preference_refusals=[],
    )
    offer_id = decided.json()["decision"]["offer"]["offer_id"]
    placements.post(f"/offers/{offer_id}/acceptance")

    moved = placements.post(
        f"/placements/{first['placement_id']}/move",
        {
            "last_day": "2027-01-08",
            "purpose": "nearer_home",
            "offer_id": offer_id,
            "starts_on": "2027-01-11",
        },
    )

    assert moved.status_code == 201, moved.text
    events = await events_of(placements.kafka, "placements.placement.v1", "child_id", child)
    ended = [e["data"] for e in events if e["type"] == "placements.placement.ended"]
    started = [e["data"] for e in events if e["type"] == "placements.placement.started"]
    assert [(e["reason"], e["move_purpose"]) for e in ended] == [("moved_provision", "nearer_home")]
    assert [
        (s["setting_id"], s["previous_setting_id"], s["move_reason"], s["transfer"])
        for s in started
    ] == [
        (PRIMARY, None, None, None),
        (OTHER_PRIMARY, PRIMARY, "nearer_home", None),
    ]


async def test_a_child_leaving_an_early_years_setting_is_marked_for_funding(
    placements: Placements, child: str
) -> None:
    placements.register(NURSERY, PRIMARY_WITH_NURSERY)
    placements.set_capacity(NURSERY, "2026-27", designated_places=24)
    request = placements.receive(
        child_id=child,
        year_group=-1,
        academic_year="2026-27",
        need_type="SLCN",
        has_ehcp=False,
        provision_sought="early-years",
        preferences=[NURSERY],
    )
    placements.consult(request["request_id"], PRIMARY_WITH_NURSERY)
    decided = placements.decide(
        request["request_id"], setting_id=NURSERY, options_considered=[], preference_refusals=[]
    )
    offer_id = decided.json()["decision"]["offer"]["offer_id"]
    placements.post(f"/offers/{offer_id}/acceptance")
    started = placements.post("/placements", {"offer_id": offer_id, "starts_on": "2026-10-05"})
    placements.calendar.pin(date(2027, 7, 1))

    ended = placements.post(
        f"/placements/{started.json()['placement_id']}/end",
        {"ends_on": "2027-07-21", "reason": "phase_transfer"},
    )

    assert ended.status_code == 200, ended.text
    (event,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "child_id",
        child,
        "placements.placement.ended",
    )
    assert event["data"]["left_early_years"] is True
    assert event["data"]["setting_type"] == "early-years"
