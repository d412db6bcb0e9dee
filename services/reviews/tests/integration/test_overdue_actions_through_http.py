"""An open action past its due date raises an event, once: the coordinator's sweep, run as of
any day, raises only what it has not raised before. Done actions and followed-up plans are left
alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .conftest import Reviews, actions, events_about, ok, review_of, today

OVERDUE = "reviews.review.action-overdue"


def sweep(reviews: Reviews, days_from_now: int) -> list[dict[str, Any]]:
    as_of = (today() + timedelta(days=days_from_now)).isoformat()
    answer = ok(
        reviews.client.post(
            "/actions/overdue-sweep", json={"as_of": as_of}, headers=reviews.coordinator()
        )
    )
    assert answer["as_of"] == as_of
    raised: list[dict[str, Any]] = answer["raised"]
    return raised


async def test_an_overdue_action_raises_its_event_once(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    ok(reviews.agree_plan(review_id, "school-a", actions(first_due_in=10, second_due_in=40)), 201)

    on_the_due_day = sweep(reviews, 10)
    a_day_late = sweep(reviews, 11)
    a_week_late = sweep(reviews, 17)
    both_late = sweep(reviews, 50)

    assert on_the_due_day == [], "an action due today is not yet overdue"
    assert [r["item_id"] for r in a_day_late] == ["action-1"]
    assert a_week_late == []
    assert [r["item_id"] for r in both_late] == ["action-2"]
    raised = await events_about(kafka_bootstrap, review_id, OVERDUE, at_least=2)
    assert [(e["data"]["item_id"], e["data"]["days_overdue"]) for e in raised] == [
        ("action-1", 1),
        ("action-2", 10),
    ]
    assert raised[0]["data"]["review_area"] == "assessment-and-identification"
    assert raised[0]["data"]["owner_role"] == "senco"
    assert await reviews.fetchval("SELECT count(*) FROM overdue_actions") == 2


async def test_done_actions_and_followed_up_plans_are_never_overdue(reviews: Reviews) -> None:
    cycle = reviews.open_cycle()
    done_one, followed_up = review_of(cycle, "school-a"), review_of(cycle, "school-d")
    for review_id, school, reviewer in (
        (done_one, "school-a", "school-b"),
        (followed_up, "school-d", "school-e"),
    ):
        reviews.issue_report(review_id, school, reviewer=reviewer)
        ok(reviews.agree_plan(review_id, school, actions(first_due_in=5, second_due_in=6)), 201)
    ok(
        reviews.client.post(
            f"/reviews/{done_one}/actions/action-1/completion",
            headers=reviews.senco_of("school-a"),
        )
    )
    ok(reviews.move(followed_up, "follow-up"))
    ok(
        reviews.client.post(
            f"/reviews/{followed_up}/follow-up",
            json={
                "actions": [
                    {"item_id": "action-1", "what_changed": "Not started."},
                    {"item_id": "action-2", "what_changed": "Not started."},
                ]
            },
            headers=reviews.senco_of("school-e"),
        ),
        201,
    )

    raised = sweep(reviews, 30)

    assert [(r["review_id"], r["item_id"]) for r in raised] == [(done_one, "action-2")]


async def test_only_the_coordinator_sweeps(reviews: Reviews) -> None:
    for role in ("senco", "area-board", "auditor"):
        response = reviews.client.post("/actions/overdue-sweep", headers=reviews.as_(role))
        assert response.status_code == 403, role
    assert reviews.client.post("/actions/overdue-sweep", headers=reviews.coordinator()).is_success
