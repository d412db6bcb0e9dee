"""The reviewed school owns its report and decides who reads it: its reviewers read what they
wrote, others only through a grant, and no longer once it is revoked; anyone else is refused
(403). Area Boards and KCC officers see anonymised themes only, never a school's report."""

from __future__ import annotations

import pytest

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.web.paging import next_cursor

from .conftest import Reviews, events_about, ok, review_of, today


def reads(reviews: Reviews, review_id: str, headers: dict[str, str]) -> int:
    return reviews.client.get(f"/reviews/{review_id}/report", headers=headers).status_code


async def test_a_report_is_visible_only_to_those_granted_and_no_longer_after_revocation(
    reviews: Reviews, kafka_bootstrap: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    owner, partner = reviews.senco_of("school-a"), reviews.senco_of("school-d")

    before_grant = reads(reviews, review_id, partner)
    grant = ok(
        reviews.client.post(
            f"/reviews/{review_id}/grants",
            json={"grant_id": "grant-school-d", "role": "senco", "setting": "school-d"},
            headers=owner,
        ),
        201,
    )
    while_granted = reads(reviews, review_id, partner)
    another_school = reads(reviews, review_id, reviews.senco_of("school-e"))
    revoked = ok(
        reviews.client.post(f"/reviews/{review_id}/grants/grant-school-d/revocation", headers=owner)
    )
    after_revocation = reads(reviews, review_id, partner)

    assert (before_grant, while_granted, another_school, after_revocation) == (403, 200, 403, 403)
    assert reads(reviews, review_id, owner) == 200
    assert reads(reviews, review_id, reviews.senco_of("school-b")) == 200, "its reviewer"
    assert grant["granted_on"] == today().isoformat()
    assert revoked["revoked_on"] == today().isoformat()
    on_record = ok(reviews.client.get(f"/reviews/{review_id}/grants", headers=owner))
    assert [g["grant_id"] for g in on_record["grants"]] == ["grant-school-d"]
    [granted] = await events_about(
        kafka_bootstrap, review_id, "reviews.review.report-access-granted"
    )
    [withdrawn] = await events_about(
        kafka_bootstrap, review_id, "reviews.review.report-access-revoked"
    )
    assert granted["data"]["grantee_setting_id"] == "school-d"
    assert withdrawn["data"]["grant_id"] == "grant-school-d"


async def test_a_grant_to_a_person_admits_that_person_only(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")

    member_7, member_8 = person_id_for("panel-member-7"), person_id_for("panel-member-8")
    ok(
        reviews.client.post(
            f"/reviews/{review_id}/grants",
            json={"subject": member_7},
            headers=reviews.senco_of("school-a"),
        ),
        201,
    )

    assert reads(reviews, review_id, reviews.as_("panel-member", subject=member_7)) == 200
    assert reads(reviews, review_id, reviews.as_("panel-member", subject=member_8)) == 403


async def test_area_boards_and_kcc_officers_never_read_a_report_nor_can_be_granted_it(
    reviews: Reviews,
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    owner = reviews.senco_of("school-a")
    before = await reviews.written()

    refused = [
        reviews.client.post(f"/reviews/{review_id}/grants", json={"role": role}, headers=owner)
        for role in ("area-board", "kcc-officer")
    ]

    assert [r.status_code for r in refused] == [422, 422]
    assert {r.json()["code"] for r in refused} == {"grant_to_themes_only_role"}
    assert await reviews.written() == before
    for headers in (
        reviews.area_board(),
        reviews.coordinator(),
        reviews.as_("auditor"),
        reviews.as_("parent", child="child-1ae80cfbd8c8ca02806d"),
    ):
        assert reads(reviews, review_id, headers) == 403
    assert reviews.client.get(f"/reviews/{review_id}", headers=reviews.coordinator()).is_success
    progress = reviews.client.get(f"/reviews/{review_id}", headers=reviews.area_board())
    assert progress.status_code == 403


async def test_only_the_reviewed_school_grants_access_to_its_report(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    reviews.issue_report(review_id, "school-a", reviewer="school-b")
    grant = {"role": "senco", "setting": "school-d"}

    by_reviewer = reviews.client.post(
        f"/reviews/{review_id}/grants", json=grant, headers=reviews.senco_of("school-b")
    )
    by_stranger = reviews.client.post(
        f"/reviews/{review_id}/grants", json=grant, headers=reviews.senco_of("school-e")
    )

    assert by_reviewer.status_code == 403, "the reviewer reads the report but does not own it"
    assert by_stranger.status_code == 403
    assert reads(reviews, review_id, reviews.senco_of("school-d")) == 403


async def test_the_grants_page_in_the_order_made_revoked_ones_included(reviews: Reviews) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")
    owner = reviews.senco_of("school-a")
    made = [f"grant-{n}" for n in (3, 1, 4, 5, 9)]
    for grant_id in made:
        ok(
            reviews.client.post(
                f"/reviews/{review_id}/grants",
                json={"grant_id": grant_id, "subject": person_id_for(f"panel-member-{grant_id}")},
                headers=owner,
            ),
            201,
        )
    ok(reviews.client.post(f"/reviews/{review_id}/grants/grant-1/revocation", headers=owner))

    pages, after = [], None
    while True:
        params = {"limit": 2} | ({"after": after} if after else {})
        page = ok(reviews.client.get(f"/reviews/{review_id}/grants", params=params, headers=owner))
        pages.append([g["grant_id"] for g in page["grants"]])
        if (after := page["next"]) is None:
            break

    assert pages == [made[0:2], made[2:4], made[4:]]
    every = ok(reviews.client.get(f"/reviews/{review_id}/grants", headers=owner))
    assert (every["next"], [g["revoked_on"] is not None for g in every["grants"]]) == (
        None,
        [False, True, False, False, False],
    )
    stranger = reviews.client.get(
        f"/reviews/{review_id}/grants", headers=reviews.senco_of("school-b")
    )
    assert stranger.status_code == 403


@pytest.mark.parametrize(
    "after",
    [next_cursor(("grant-1",)), next_cursor((0,)), next_cursor((2**63,)), "bm90IGEgY3Vyc29y"],
)
async def test_a_cursor_that_is_no_place_in_the_grants_is_a_bad_request(
    reviews: Reviews, after: str
) -> None:
    review_id = review_of(reviews.open_cycle(), "school-a")

    response = reviews.client.get(
        f"/reviews/{review_id}/grants",
        params={"after": after},
        headers=reviews.senco_of("school-a"),
    )

    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/bad-cursor")
