"""Statutory clocks computed from recorded events: the amended plan before a phase transfer
(15 February) or a post-16 move (5 months ahead), the EHC needs assessment clocks, allowed
exceptions, and timeliness reported with and without them."""

from __future__ import annotations

from datetime import date
from typing import Any

from .conftest import PRIMARY, SECONDARY, TODAY, Placements, events_of


def sweep(placements: Placements, day: str, kind: str) -> list[tuple[str, str]]:
    """Sweep the clocks as of a day; the alerts raised for one kind of clock."""
    placements.calendar.pin(date.fromisoformat(day))
    response = placements.post("/clocks/sweep")
    assert response.status_code == 200, response.text
    return [(r["subject_id"], r["alert"]) for r in response.json()["raised"] if r["kind"] == kind]


def timeliness(placements: Placements, as_of: str) -> dict[str, dict[str, Any]]:
    response = placements.client.get(
        "/timeliness",
        params={"as_of": as_of},
        headers=placements.as_("area-board", areas=("east-kent",)),
    )
    assert response.status_code == 200, response.text
    return {report["kind"]: report for report in response.json()["clocks"]}


def year_6_at_primary(placements: Placements, child: str) -> str:
    placements.register(PRIMARY, SECONDARY)
    placements.set_capacity(PRIMARY, "2026-27", by_year_group=[{"year_group": 6, "places": 30}])
    return str(placements.place(child, PRIMARY, 6, "2026-27", "2026-10-05")["placement_id"])


async def test_a_year_6_plan_not_amended_by_15_february_warns_then_breaches_once(
    placements: Placements, child: str
) -> None:
    placement_id = year_6_at_primary(placements, child)

    assert sweep(placements, "2027-01-17", "school_transfer") == []
    assert sweep(placements, "2027-01-18", "school_transfer") == [(placement_id, "warning")]
    assert sweep(placements, "2027-02-15", "school_transfer") == []
    assert sweep(placements, "2027-02-16", "school_transfer") == [(placement_id, "breached")]
    assert sweep(placements, "2027-03-01", "school_transfer") == []

    (breach,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "child_id",
        child,
        "placements.placement.deadline-breached",
    )
    assert breach["data"] | {"subject_id": "?"} == {
        "subject_id": "?",
        "child_id": child,
        "clock": "school_transfer",
        "due_on": "2027-02-15",
        "as_of": "2027-02-16",
        "days_overdue": 1,
        "timescales_version": "send-regulations-2014",
    }
    report = timeliness(placements, "2027-03-01")["school_transfer"]
    assert report["including_exceptions"] == {"cases": 1, "on_time": 0, "rate": 0.0}


async def test_an_amended_plan_before_15_february_meets_the_transfer_clock(
    placements: Placements, child: str
) -> None:
    placement_id = year_6_at_primary(placements, child)
    placements.calendar.pin(date(2027, 2, 1))

    issued = placements.post(
        f"/placements/{placement_id}/amended-plans", {"issued_on": "2027-02-01"}
    )

    assert issued.status_code == 201, issued.text
    assert sweep(placements, "2027-02-16", "school_transfer") == []
    clocks = placements.client.get(
        "/clocks", params={"kind": "school_transfer"}, headers=placements.officer
    ).json()["clocks"]
    assert [(c["subject_id"], c["status"], c["stopped_on"]) for c in clocks] == [
        (placement_id, "met", "2027-02-01")
    ]
    report = timeliness(placements, "2027-03-01")["school_transfer"]
    assert report["including_exceptions"] == {"cases": 1, "on_time": 1, "rate": 1.0}


async def test_a_post_16_move_s_plan_is_due_5_months_before_it(
    placements: Placements, child: str
) -> None:
    placements.register(PRIMARY, SECONDARY)
    placements.set_capacity(SECONDARY, "2026-27", by_year_group=[{"year_group": 12, "places": 90}])
    placement_id = placements.place(child, SECONDARY, 12, "2026-27", "2026-10-05")["placement_id"]

    planned = placements.post(
        f"/placements/{placement_id}/post-16-move", {"moves_on": "2027-09-06"}
    )

    assert planned.status_code == 201, planned.text
    (event,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "child_id",
        child,
        "placements.placement.post-16-move-planned",
    )
    assert (event["data"]["moves_on"], event["data"]["due_on"]) == ("2027-09-06", "2027-04-06")
    assert sweep(placements, "2027-04-07", "post_16_move") == [(placement_id, "breached")]


async def test_only_a_post_16_placement_plans_a_move_between_post_16_institutions(
    placements: Placements, child: str
) -> None:
    placement_id = year_6_at_primary(placements, child)

    refused = placements.post(
        f"/placements/{placement_id}/post-16-move", {"moves_on": "2027-09-06"}
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "not_a_post_16_placement"


def assessed(placements: Placements, child: str, *steps: tuple[str, str]) -> str:
    """An EHC needs assessment requested today, with its later steps recorded on their days."""
    requested = placements.post(
        "/assessments",
        {"child_id": child, "district": "thanet", "requested_on": TODAY.isoformat()},
    )
    assert requested.status_code == 201, requested.text
    assessment_id = str(requested.json()["assessment_id"])
    for step, on in steps:
        placements.calendar.pin(date.fromisoformat(on))
        recorded = placements.post(f"/assessments/{assessment_id}/steps", {"step": step, "on": on})
        assert recorded.status_code == 201, recorded.text
    placements.calendar.pin(TODAY)
    return assessment_id


async def test_timeliness_of_final_plans_is_reported_with_and_without_allowed_exceptions(
    placements: Placements, child: str
) -> None:
    late = assessed(
        placements,
        child,
        ("decided_to_assess", "2026-11-10"),
        ("draft_plan_issued", "2027-01-10"),
        ("final_plan_issued", "2027-03-01"),
    )
    assessed(
        placements,
        "child-be2089c55613c7eced9f",
        ("decided_to_assess", "2026-11-05"),
        ("draft_plan_issued", "2027-01-04"),
        ("final_plan_issued", "2027-02-10"),
    )
    placements.calendar.pin(date(2027, 3, 2))

    excepted = placements.post(
        f"/assessments/{late}/exceptions",
        {
            "clock": "final_ehcp",
            "kind": "child_away",
            "reason": "child_in_hospital",
            "from_on": "2026-12-01",
            "until": "2027-01-15",
        },
    )

    assert excepted.status_code == 201, excepted.text
    reports = timeliness(placements, "2027-03-02")
    assert reports["final_ehcp"] == {
        "kind": "final_ehcp",
        "including_exceptions": {"cases": 2, "on_time": 1, "rate": 0.5},
        "excluding_exceptions": {"cases": 1, "on_time": 1, "rate": 1.0},
        "cases_with_exceptions": 1,
    }
    assert reports["decide_to_assess"]["including_exceptions"] == {
        "cases": 2,
        "on_time": 2,
        "rate": 1.0,
    }
    (recorded,) = await events_of(
        placements.kafka,
        "placements.placement.v1",
        "child_id",
        child,
        "placements.placement.clock-exception-recorded",
    )
    assert (recorded["data"]["clock"], recorded["data"]["reason"]) == (
        "final_ehcp",
        "child_in_hospital",
    )


async def test_an_exception_the_regulations_do_not_allow_is_refused(
    placements: Placements, child: str
) -> None:
    assessment_id = assessed(placements, child)
    url = f"/assessments/{assessment_id}/exceptions"
    away = {"kind": "child_away", "reason": "holiday", "from_on": "2026-09-01"}

    for body, code in [
        (
            {**away, "clock": "consultation_reply", "until": "2026-10-30"},
            "no_exceptions_to_this_clock",
        ),
        ({**away, "clock": "final_ehcp", "until": "2026-09-14"}, "exception_too_short"),
        ({**away, "clock": "final_ehcp"}, None),
        ({**away, "clock": "final_ehcp", "until": "2026-10-30", "reason": "On holiday"}, None),
    ]:
        response = placements.post(url, body)
        assert response.status_code == 422, response.text
        assert response.json().get("code") == code
    assert await placements.fetchval("SELECT count(*) FROM clock_exceptions") == 0


async def test_an_assessment_step_before_the_request_is_refused(
    placements: Placements, child: str
) -> None:
    assessment_id = assessed(placements, child)

    response = placements.post(
        f"/assessments/{assessment_id}/steps", {"step": "decided_to_assess", "on": "2026-09-01"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "step_before_request"
