"""Reviewers come from the roster and the reviewed school's partners: never from the school
itself, never with a declared interest in it, never off the roster, out of term or untrained,
and not reciprocally where the cycle avoids that. A refused assignment changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Reviews, events_about, in_days, ok, review_of, senco


@pytest.mark.parametrize(
    ("school", "entry", "status", "code", "details"),
    [
        ("school-a", {}, 409, "reviewer_from_reviewed_setting", []),
        (
            "school-b",
            {"declared_interests": ["school-a"]},
            409,
            "reviewer_declared_conflict",
            [],
        ),
        ("school-d", {}, 422, "reviewer_not_a_partner", []),
        ("school-b", {"trained_on": None}, 422, "reviewer_not_eligible", ["untrained"]),
        ("school-b", {"trained_on": in_days(2)}, 422, "reviewer_not_eligible", ["untrained"]),
        (
            "school-b",
            {"term_from": in_days(-400), "term_to": in_days(-1)},
            422,
            "reviewer_not_eligible",
            ["out_of_term"],
        ),
        (
            "school-b",
            {"term_from": in_days(1), "term_to": in_days(365)},
            422,
            "reviewer_not_eligible",
            ["out_of_term"],
        ),
    ],
    ids=[
        "works-at-the-school",
        "declared-an-interest",
        "outside-the-triad",
        "never-trained",
        "trained-later",
        "term-ended",
        "term-not-begun",
    ],
)
async def test_a_reviewer_the_roster_rules_out_is_refused_and_nothing_is_written(
    reviews: Reviews,
    school: str,
    entry: dict[str, Any],
    status: int,
    code: str,
    details: list[str],
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    ok(reviews.enrol(school, **entry))
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.assign(review_id, school)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.json()["details"] == [senco(school), *details]
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


async def test_a_reviewer_not_on_the_roster_is_refused(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    before = await reviews.written()

    response = reviews.assign(review_id, "school-unknown")

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "reviewer_not_enrolled"
    assert response.json()["details"] == [senco("school-unknown")]
    assert await reviews.written() == before


async def test_the_setting_role_and_training_come_from_the_roster_not_the_request(
    reviews: Reviews,
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")

    response = reviews.client.post(
        f"/reviews/{review_id}/reviewers",
        json={
            "reviewer_id": senco("school-d"),
            "setting_id": "school-b",
            "role": "senco",
            "trained": True,
        },
        headers=reviews.coordinator(),
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert json.loads(await reviews.document_of(review_id))["reviewers"] == []


async def test_an_interest_the_reviewer_declares_themselves_keeps_them_off_the_review(
    reviews: Reviews,
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    ok(
        reviews.client.post(
            f"/reviewers/{senco('school-b')}/interests",
            json={"setting_id": "school-a"},
            headers=reviews.senco_of("school-b"),
        )
    )

    response = reviews.assign(review_id, "school-b")

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "reviewer_declared_conflict"


async def test_a_reviewer_with_interests_elsewhere_may_review(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    entry = ok(reviews.enrol("school-c", role="senior-leader", declared_interests=["school-e"]))

    assigned = ok(reviews.assign(review_id, "school-c"), 201)

    assert assigned["reviewers"] == [
        {"reviewer_id": senco("school-c"), "setting_id": "school-c", "role": "senior-leader"}
    ]
    [event] = await events_about(kafka_bootstrap, review_id, "reviews.review.reviewer-assigned")
    assert event["data"]["declared_interests"] == ["school-e"]
    assert event["data"]["reviewer_role"] == "senior-leader"
    assert event["data"]["roster_version"] == entry["version"] == 2


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
