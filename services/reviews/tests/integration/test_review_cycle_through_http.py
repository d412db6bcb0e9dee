"""A peer review through the running service, from pairing to follow-up: HTTP → PostgreSQL →
outbox → Kafka. The follow-up publishes FollowUpCompleted, from which the feedback service asks
the school for its views."""

from __future__ import annotations

import json

from .conftest import (
    COMMUNITY,
    FINDINGS,
    Reviews,
    actions,
    events_about,
    ok,
    review_of,
    today,
)


async def test_a_review_cycle_runs_from_pairing_to_follow_up_and_publishes_follow_up_completed(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    cycle = reviews.open_cycle()
    review_id = review_of(cycle, "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    ok(reviews.agree_plan(review_id, "school-a", actions()), 201)
    done = ok(
        reviews.client.post(
            f"/reviews/{review_id}/actions/action-1/completion",
            headers=reviews.senco_of("school-a"),
        )
    )
    ok(reviews.move(review_id, "follow-up", reviews.senco_of("school-a")))
    followed_up = ok(
        reviews.client.post(
            f"/reviews/{review_id}/follow-up",
            json={
                "actions": [
                    {
                        "item_id": "action-1",
                        "what_changed": "Screening ran in the spring term.",
                        "evidence": ["doc-screening-1"],
                    },
                    {"item_id": "action-2", "what_changed": "Invitations drafted, not sent."},
                ]
            },
            headers=reviews.senco_of("school-b"),
        ),
        201,
    )
    closed = ok(reviews.move(review_id, "closed"))

    assert [r["setting_id"] for r in cycle["reviews"]] == [
        "school-a",
        "school-b",
        "school-c",
        "school-d",
        "school-e",
    ]
    assert (done["status"], done["done_on"]) == ("done", today().isoformat())
    assert followed_up["followed_up_on"] == today().isoformat()
    assert (closed["stage"], closed["next_stages"]) == ("closed", [])
    [completed] = await events_about(
        kafka_bootstrap, review_id, "reviews.review.follow-up-completed"
    )
    assert completed["data"] == {
        "review_id": review_id,
        "cycle_id": cycle["cycle_id"],
        "setting_id": "school-a",
        "district": "thanet",
        "area": "east-kent",
        "community_of_schools": COMMUNITY,
        "completed_on": today().isoformat(),
        "actions_completed": 1,
        "actions_open": 1,
    }
    assert completed["dataschema"] == "urn:inclusion:schema:reviews.review.follow-up-completed:v1"


async def test_every_step_of_the_review_is_on_the_log_without_the_reports_words(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    cycle = reviews.open_cycle()
    review_id = review_of(cycle, "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    ok(reviews.agree_plan(review_id, "school-a", actions()), 201)

    events = await events_about(kafka_bootstrap, review_id, at_least=9)
    [opened] = await events_about(kafka_bootstrap, cycle["cycle_id"])

    assert [event["type"].removeprefix("reviews.review.") for event in events] == [
        "scheduled",
        "self-evaluation-submitted",
        "reviewer-assigned",
        "stage-advanced",
        "stage-advanced",
        "visit-completed",
        "report-issued",
        "action-agreed",
        "action-agreed",
    ]
    assert opened["type"] == "reviews.review.cycle-opened"
    assert opened["data"]["partnerships"] == [
        ["school-a", "school-b", "school-c"],
        ["school-d", "school-e"],
    ]
    assert events[0]["data"]["partner_settings"] == ["school-b", "school-c"]
    issued = events[6]["data"]
    assert issued["strength_areas"] == ["leadership"]
    assert issued["development_areas"] == [
        "working-with-pupils-and-parents",
        "assessment-and-identification",
    ]
    assert [e["data"]["review_area"] for e in events[7:]] == [
        "assessment-and-identification",
        "working-with-pupils-and-parents",
    ]
    published = json.dumps(events)
    for words in [finding["summary"] for finding in FINDINGS] + [
        action["action"] for action in actions()
    ]:
        assert words not in published, "a report's words stay with the school"
    report = ok(
        reviews.client.get(f"/reviews/{review_id}/report", headers=reviews.senco_of("school-a"))
    )
    assert report["findings"][2]["summary"] == FINDINGS[2]["summary"]


async def test_estimates_are_recorded_only_where_the_cycle_turns_them_on(
    reviews: Reviews,
) -> None:
    graded = reviews.open_cycle(estimates_turned_on=True)
    ungraded = reviews.open_cycle()
    estimates = [{"area": "leadership", "estimate": "established"}]
    answers = []
    for cycle in (graded, ungraded):
        review_id = review_of(cycle, "school-a")
        reviews.issue_report(review_id, "school-a", reviewer="school-b", issue=False)
        answers.append(
            reviews.client.put(
                f"/reviews/{review_id}/report",
                json={"findings": FINDINGS, "estimates": estimates},
                headers=reviews.senco_of("school-b"),
            )
        )

    assert answers[0].status_code == 200, answers[0].text
    assert answers[0].json()["estimates"] == estimates
    assert answers[1].status_code == 422
    assert answers[1].json()["code"] == "estimates_not_turned_on"


async def test_the_coordinator_follows_progress_without_reading_the_plans_words(
    reviews: Reviews,
) -> None:
    cycle = reviews.open_cycle()
    review_id = review_of(cycle, "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    ok(reviews.agree_plan(review_id, "school-a", actions()), 201)

    progress = ok(reviews.client.get(f"/reviews/{review_id}", headers=reviews.coordinator()))
    listed = ok(reviews.client.get(f"/cycles/{cycle['cycle_id']}", headers=reviews.coordinator()))

    assert (progress["stage"], progress["report"]) == ("action-plan", "issued")
    assert [a["item_id"] for a in progress["actions"]] == ["action-1", "action-2"]
    assert "Introduce termly screening" not in json.dumps(progress)
    assert {r["setting_id"]: r["stage"] for r in listed["reviews"]}["school-a"] == "action-plan"
