"""A command replayed with the same Idempotency-Key is answered once and applied once: the same
answer, no second cycle, no second event. The same key for a different request is a conflict."""

from __future__ import annotations

from .conftest import Reviews, events_about, ok, review_of, senco

CYCLE = {
    "community_id": "cos-thanet-1",
    "district": "thanet",
    "partnerships": [["school-a", "school-b"]],
}


async def test_opening_a_cycle_twice_with_one_key_opens_it_once(reviews: Reviews) -> None:
    headers = {**reviews.coordinator(), "Idempotency-Key": "open-thanet-cycle-2026"}

    first = reviews.client.post("/cycles", json=CYCLE, headers=headers)
    second = reviews.client.post("/cycles", json=CYCLE, headers=headers)
    different = reviews.client.post("/cycles", json={**CYCLE, "district": "swale"}, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json(), "the same cycle and review ids, not new ones"
    assert second.headers["idempotent-replay"] == "true"
    assert different.status_code == 409
    # One cycle, its two reviews, and three events: opened and two scheduled.
    assert await reviews.written() == (1, 2, 0, 3, {})


async def test_a_replayed_assignment_assigns_the_reviewer_once(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviewer = {"reviewer_id": senco("school-b")}
    headers = {**reviews.coordinator(), "Idempotency-Key": "assign-b-to-a"}

    answers = [
        reviews.client.post(f"/reviews/{review_id}/reviewers", json=reviewer, headers=headers)
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[2].json() == answers[0].json()
    assert len(ok(answers[2], 201)["reviewers"]) == 1
    await events_about(kafka_bootstrap, review_id, "reviews.review.reviewer-assigned")
    assert (
        await reviews.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'reviews.review.reviewer-assigned'"
        )
        == 1
    )


async def test_a_replayed_enrolment_enrols_the_reviewer_once(reviews: Reviews) -> None:
    headers = {**reviews.coordinator(), "Idempotency-Key": "enrol-senco-school-b"}
    entry = reviews.enrolment("school-b")

    answers = [
        reviews.client.put(f"/reviewers/{senco('school-b')}", json=entry, headers=headers)
        for _ in range(3)
    ]
    different = reviews.client.put(
        f"/reviewers/{senco('school-b')}", json={**entry, "role": "senior-leader"}, headers=headers
    )

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[2].json() == answers[0].json()
    assert answers[2].headers["idempotent-replay"] == "true"
    assert different.status_code == 409
    assert await reviews.written() == (0, 0, 0, 1, {senco("school-b"): 1})
