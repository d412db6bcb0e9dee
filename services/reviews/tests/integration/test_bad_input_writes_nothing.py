"""Bad input gets a 4xx problem response and changes nothing: no cycle, no review change, no
event."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import FINDINGS, Reviews, actions, ok, review_of

TRIAD = ["school-a", "school-b", "school-c"]
CYCLE = {"community_id": "cos-thanet-1", "district": "thanet", "partnerships": [TRIAD]}


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"partnerships": [TRIAD, ["school-c", "school-d"]]}, 422),
        ({"partnerships": [[*TRIAD, "school-d"]]}, 422),
        ({"partnerships": [["school-a"]]}, 422),
        ({"partnerships": []}, 422),
        ({"district": "atlantis"}, 422),
        ({"partnerships": [["St Mary's Primary", "school-b"]]}, 422),
        ({"coordinator_name": "Jane Smith"}, 422),
        ({"reviewed_settings": ["school-z"]}, 422),
        ({"reviewed_settings": ["school-a", "school-a"]}, 422),
        ({"reviewed_settings": []}, 422),
        ({"cycle_id": "c" * 81}, 422),
        ({"partnerships": [[f"school-{n}a", f"school-{n}b"] for n in range(51)]}, 422),
    ],
)
async def test_a_malformed_cycle_is_refused_and_nothing_is_written(
    reviews: Reviews, changes: dict[str, Any], status: int
) -> None:
    response = reviews.client.post(
        "/cycles", json={**CYCLE, **changes}, headers=reviews.coordinator()
    )

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await reviews.written() == (0, 0, 0, 0, {})


async def test_a_cycle_is_opened_once(reviews: Reviews) -> None:
    ok(
        reviews.client.post(
            "/cycles", json={**CYCLE, "cycle_id": "cycle-1"}, headers=reviews.coordinator()
        ),
        201,
    )
    before = await reviews.written()

    again = reviews.client.post(
        "/cycles", json={**CYCLE, "cycle_id": "cycle-1"}, headers=reviews.coordinator()
    )

    assert again.status_code == 409
    assert await reviews.written() == before


def _finding(**changes: Any) -> dict[str, Any]:
    return {**FINDINGS[1], **changes}


@pytest.mark.parametrize(
    ("report", "code"),
    [
        ({"findings": []}, None),
        ({"findings": [FINDINGS[1], _finding(area="leadership")]}, None),
        ({"findings": [_finding(evidence=[])]}, None),
        ({"findings": [_finding(kind="inadequate")]}, None),
        ({"findings": [_finding(summary=" ")]}, None),
        ({"findings": [_finding(summary="x" * 501)]}, None),
        ({"findings": [_finding(summary="screening\x00late")]}, None),
        ({"findings": [_finding(evidence=[f"doc-{n}" for n in range(21)])]}, None),
        ({"findings": [_finding(finding_id=f"finding-{n}") for n in range(101)]}, None),
        ({"findings": FINDINGS, "grade": "outstanding"}, None),
        ({"findings": FINDINGS, "estimates": [{"area": "outcomes", "estimate": "good"}]}, None),
        (
            {"findings": FINDINGS, "estimates": [{"area": "outcomes", "estimate": "embedded"}]},
            "estimates_not_turned_on",
        ),
    ],
)
async def test_a_malformed_report_is_refused_and_nothing_is_written(
    reviews: Reviews, report: dict[str, Any], code: str | None
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b", issue=False)
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.client.put(
        f"/reviews/{review_id}/report", json=report, headers=reviews.senco_of("school-b")
    )

    assert response.status_code == 422, response.text
    assert response.json().get("code") == code
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([{**actions()[0], "finding_id": "finding-1"}], "action_not_for_an_area_for_development"),
        ([{**actions()[0], "due_on": "2020-01-01"}], "action_due_before_agreed"),
        ([actions()[0], {**actions()[1], "item_id": "action-1"}], "invalid_record"),
        ([{**actions()[0], "owner": "Mrs Jones"}], None),
        ([{**actions()[0], "status": "done"}], None),
        ([], None),
    ],
)
async def test_a_malformed_action_plan_is_refused_and_nothing_is_written(
    reviews: Reviews, items: list[dict[str, Any]], code: str | None
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.agree_plan(review_id, "school-a", items)

    assert response.status_code == 422, response.text
    assert response.json().get("code") == code
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


async def test_a_follow_up_must_cover_every_action_once(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    ok(reviews.agree_plan(review_id, "school-a", actions()), 201)
    ok(reviews.move(review_id, "follow-up"))
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.client.post(
        f"/reviews/{review_id}/follow-up",
        json={"actions": [{"item_id": "action-1", "what_changed": "Screening ran."}]},
        headers=reviews.coordinator(),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "follow_up_not_once_per_action"
    assert response.json()["details"] == ["action-2"]
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


async def test_a_grant_naming_no_one_is_refused(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    before = (await reviews.written(), await reviews.document_of(review_id))

    response = reviews.client.post(
        f"/reviews/{review_id}/grants", json={}, headers=reviews.senco_of("school-a")
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_record"
    assert (await reviews.written(), await reviews.document_of(review_id)) == before


async def test_an_unknown_review_answers_404(reviews: Reviews) -> None:
    response = reviews.assign("review-none", "school-b")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_plan_of_more_than_a_hundred_actions_is_refused(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    before = (await reviews.written(), await reviews.document_of(review_id))
    many = [{**actions()[0], "item_id": f"action-{n}"} for n in range(101)]

    response = reviews.agree_plan(review_id, "school-a", many)

    assert response.status_code == 422, response.text
    assert (await reviews.written(), await reviews.document_of(review_id)) == before
