"""A review moves self-evaluation → preparation → visit → written report → action plan →
follow-up → closed, one stage at a time. Any other move answers 409 naming the allowed next
steps, and changes nothing."""

from __future__ import annotations

import pytest

from .conftest import FINDINGS, Reviews, ok, review_of


async def test_an_invalid_transition_answers_409_naming_the_allowed_next_steps(
    reviews: Reviews,
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.move(review_id, "visit")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_transition"
    assert problem["stage"] == "self-evaluation"
    assert problem["allowed_next_stages"] == ["preparation"]
    assert problem["type"] == "https://inclusion.example/problems/conflict"
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


@pytest.mark.parametrize("backwards_to", ["self-evaluation", "preparation", "visit", "closed"])
async def test_a_review_never_goes_back_nor_skips_ahead(
    reviews: Reviews, backwards_to: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b", issue=False)

    response = reviews.move(review_id, backwards_to)

    assert response.status_code == 409
    assert response.json()["allowed_next_stages"] == ["action-plan"]


async def test_a_stage_is_not_entered_before_its_work_is_done(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")

    too_soon = reviews.move(review_id, "preparation")

    assert too_soon.status_code == 409
    assert too_soon.json()["code"] == "self_evaluation_missing"
    assert too_soon.json()["allowed_next_stages"] == ["preparation"]


async def test_work_of_another_stage_answers_409_with_the_stage_the_review_is_at(
    reviews: Reviews,
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    ok(reviews.assign(review_id, "school-b"), 201)

    early_report = reviews.client.put(
        f"/reviews/{review_id}/report",
        json={"findings": FINDINGS},
        headers=reviews.senco_of("school-b"),
    )

    assert early_report.status_code == 409
    assert early_report.json()["code"] == "wrong_stage"
    assert early_report.json()["stage"] == "self-evaluation"


async def test_a_closed_review_has_no_next_step(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    ok(
        reviews.agree_plan(
            review_id,
            "school-a",
            [
                {
                    "finding_id": "finding-2",
                    "action": "Introduce termly screening.",
                    "owner": "senco",
                    "due_on": "2099-01-01",
                }
            ],
        ),
        201,
    )
    ok(reviews.move(review_id, "follow-up"))
    [action] = ok(reviews.client.get(f"/reviews/{review_id}", headers=reviews.coordinator()))[
        "actions"
    ]
    ok(
        reviews.client.post(
            f"/reviews/{review_id}/follow-up",
            json={"actions": [{"item_id": action["item_id"], "what_changed": "Started."}]},
            headers=reviews.coordinator(),
        ),
        201,
    )
    ok(reviews.move(review_id, "closed"))

    response = reviews.move(review_id, "follow-up")

    assert response.status_code == 409
    assert (response.json()["stage"], response.json()["allowed_next_stages"]) == ("closed", [])


async def test_only_the_coordinator_and_the_reviews_participants_move_it_on(
    reviews: Reviews,
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    ok(
        reviews.client.post(
            f"/reviews/{review_id}/self-evaluation",
            json={"documents": ["doc-sef-1"]},
            headers=reviews.senco_of("school-a"),
        )
    )

    by_stranger = reviews.move(review_id, "preparation", reviews.senco_of("school-d"))
    by_owner = reviews.move(review_id, "preparation", reviews.senco_of("school-a"))

    assert by_stranger.status_code == 403
    assert by_owner.status_code == 200
