"""Reviewers come from the reviewed school's partners, never from the school itself, never with
a declared interest in it, and not reciprocally where the cycle avoids that. A refused
assignment changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Reviews, events_about, ok, review_of


@pytest.mark.parametrize(
    ("school", "changes", "code"),
    [
        ("school-a", {}, "reviewer_from_reviewed_setting"),
        ("school-b", {"declared_interests": ["school-a"]}, "reviewer_declared_conflict"),
        ("school-b", {"trained": False}, "reviewer_not_trained"),
        ("school-d", {}, "reviewer_not_a_partner"),
    ],
)
async def test_a_reviewer_breaking_the_conflict_rules_is_refused_and_nothing_is_written(
    reviews: Reviews, school: str, changes: dict[str, Any], code: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.assign(review_id, school, **changes)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.json()["details"] == [f"senco-{school}"]
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


async def test_a_reviewer_with_interests_elsewhere_may_review(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")

    assigned = ok(reviews.assign(review_id, "school-c", declared_interests=["school-e"]), 201)

    assert assigned["reviewers"] == [
        {"reviewer_id": "senco-school-c", "setting_id": "school-c", "role": "senco"}
    ]
    [event] = await events_about(kafka_bootstrap, review_id, "reviews.review.reviewer-assigned")
    assert event["data"]["declared_interests"] == ["school-e"]


async def test_reciprocal_pairs_are_refused_when_the_cycle_avoids_them(reviews: Reviews) -> None:
    cycle = reviews.open_cycle(avoid_reciprocal_reviews=True)
    of_d, of_e = review_of(cycle, "school-d"), review_of(cycle, "school-e")
    ok(reviews.assign(of_d, "school-e"), 201)
    before = await reviews.written()

    reciprocal = reviews.assign(of_e, "school-d")

    assert reciprocal.status_code == 422
    assert reciprocal.json()["code"] == "reciprocal_review"
    assert reciprocal.json()["details"] == [of_d]
    assert await reviews.written() == before


async def test_reciprocal_pairs_are_allowed_when_the_cycle_does_not_avoid_them(
    reviews: Reviews,
) -> None:
    cycle = reviews.open_cycle()
    ok(reviews.assign(review_of(cycle, "school-d"), "school-e"), 201)

    assert reviews.assign(review_of(cycle, "school-e"), "school-d").status_code == 201


async def test_a_reviewer_is_assigned_once(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    ok(reviews.assign(review_id, "school-b"), 201)

    again = reviews.assign(review_id, "school-b")

    assert again.status_code == 409
    assert again.json()["code"] == "reviewer_already_assigned"


async def test_a_cycle_avoiding_reciprocity_reviews_one_school_of_a_pair_at_a_time(
    reviews: Reviews,
) -> None:
    cycle = reviews.open_cycle(
        avoid_reciprocal_reviews=True, reviewed_settings=["school-a", "school-d"]
    )

    assert [r["setting_id"] for r in cycle["reviews"]] == ["school-a", "school-d"]
    assert reviews.assign(review_of(cycle, "school-d"), "school-e").status_code == 201
