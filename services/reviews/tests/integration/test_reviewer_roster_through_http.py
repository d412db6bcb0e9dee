"""The roster of peer reviewers, kept by an officer of each reviewer's district: an entry is
versioned, the same entry again changes nothing, a reviewer declares their own interests, and
every new version is published whole on the reviewer's topic, keyed by the reviewer."""

from __future__ import annotations

from typing import Any

import pytest

from inclusion_shared.identifiers import person_id_for

from .conftest import ROSTER_TOPIC, Reviews, events_about, in_days, ok, today


def entry(**changes: Any) -> dict[str, Any]:
    return {
        "setting_id": "school-b",
        "district": "thanet",
        "role": "senco",
        "term_from": in_days(-30),
        "term_to": in_days(365),
        "trained_on": in_days(-60),
        "declared_interests": ["school-e"],
        **changes,
    }


def put(reviews: Reviews, reviewer_id: str, body: dict[str, Any], **token: Any) -> Any:
    headers = reviews.as_("kcc-officer", **token) if token else reviews.coordinator()
    return reviews.client.put(f"/reviewers/{reviewer_id}", json=body, headers=headers)


def declare(reviews: Reviews, reviewer_id: str, setting_id: str) -> Any:
    return reviews.client.post(
        f"/reviewers/{reviewer_id}/interests",
        json={"setting_id": setting_id},
        headers=reviews.as_("senco", subject=reviewer_id, setting="school-b"),
    )


async def test_an_officer_enrols_a_reviewer_and_the_roster_publishes_their_entry(
    reviews: Reviews, kafka_bootstrap: str, unique: str
) -> None:
    reviewer_id = person_id_for(f"reviewer-{unique}")

    enrolled = ok(put(reviews, reviewer_id, entry(), districts=("thanet",)))

    assert enrolled == {
        **entry(),
        "reviewer_id": reviewer_id,
        "version": 1,
        "set_on": today().isoformat(),
    }
    assert ok(reviews.client.get(f"/reviewers/{reviewer_id}", headers=reviews.coordinator())) == (
        enrolled
    )
    [event] = await events_about(kafka_bootstrap, reviewer_id, topic=ROSTER_TOPIC)
    assert event["type"] == "reviews.reviewer.roster-set"
    assert event["data"] == {**enrolled, "area": "east-kent"}


async def test_the_same_entry_again_changes_nothing_and_keeps_its_version(
    reviews: Reviews, unique: str
) -> None:
    reviewer_id = person_id_for(f"reviewer-{unique}")
    first = ok(put(reviews, reviewer_id, entry()))
    before = await reviews.written()

    again = ok(put(reviews, reviewer_id, entry()))

    assert again == first
    assert await reviews.written() == before


async def test_a_changed_entry_is_the_next_version(
    reviews: Reviews, kafka_bootstrap: str, unique: str
) -> None:
    reviewer_id = person_id_for(f"reviewer-{unique}")
    ok(put(reviews, reviewer_id, entry()))

    changed = ok(put(reviews, reviewer_id, entry(role="senior-leader", trained_on=None)))

    assert (changed["version"], changed["role"], changed["trained_on"]) == (
        2,
        "senior-leader",
        None,
    )
    events = await events_about(kafka_bootstrap, reviewer_id, topic=ROSTER_TOPIC, at_least=2)
    assert [e["data"]["version"] for e in events] == [1, 2]


async def test_a_reviewer_declares_their_own_interest_once(
    reviews: Reviews, kafka_bootstrap: str, unique: str
) -> None:
    reviewer_id = person_id_for(f"reviewer-{unique}")
    ok(put(reviews, reviewer_id, entry()))

    declared = ok(declare(reviews, reviewer_id, "school-a"))
    before = await reviews.written()
    again = ok(declare(reviews, reviewer_id, "school-a"))

    assert declared["declared_interests"] == ["school-e", "school-a"]
    assert declared["version"] == 2
    assert again == declared
    assert await reviews.written() == before
    events = await events_about(kafka_bootstrap, reviewer_id, topic=ROSTER_TOPIC, at_least=2)
    assert events[-1]["data"]["declared_interests"] == ["school-e", "school-a"]
    assert (events[-1]["actorrole"], events[-1]["actorid"]) == ("senco", reviewer_id)


async def test_a_reviewer_not_on_the_roster_declares_nothing(reviews: Reviews) -> None:
    response = declare(reviews, person_id_for("reviewer-nobody"), "school-a")

    assert response.status_code == 404
    assert await reviews.written() == (0, 0, 0, 0, {})


@pytest.mark.parametrize(
    ("first", "then", "token"),
    [
        ("thanet", "maidstone", {"districts": ("thanet",)}),
        ("thanet", "maidstone", {"districts": ("maidstone",)}),
    ],
    ids=["to-a-district-they-do-not-cover", "from-a-district-they-do-not-cover"],
)
async def test_an_officer_moves_a_reviewer_only_between_districts_they_cover(
    reviews: Reviews, unique: str, first: str, then: str, token: dict[str, Any]
) -> None:
    reviewer_id = person_id_for(f"reviewer-{unique}")
    ok(put(reviews, reviewer_id, entry(district=first)))
    before = await reviews.written()

    moved = put(reviews, reviewer_id, entry(district=then, setting_id="school-m1"), **token)

    assert moved.status_code == 403, moved.text
    assert await reviews.written() == before


async def test_the_roster_is_listed_a_page_at_a_time_in_reviewer_order(reviews: Reviews) -> None:
    for n in (3, 1, 4, 2):
        ok(put(reviews, person_id_for(f"reviewer-{n}"), entry(setting_id=f"school-{n}")))
    west = person_id_for("reviewer-west")
    ok(put(reviews, west, entry(district="maidstone", setting_id="school-m1")))
    in_order = sorted(person_id_for(f"reviewer-{n}") for n in (1, 2, 3, 4))
    thanet = reviews.as_("kcc-officer", districts=("thanet",))

    first = ok(reviews.client.get("/reviewers", params={"limit": 3}, headers=thanet))
    rest = ok(
        reviews.client.get(
            "/reviewers", params={"limit": 3, "after": first["next"]}, headers=thanet
        )
    )

    assert [r["reviewer_id"] for r in first["reviewers"]] == in_order[:3]
    assert [r["reviewer_id"] for r in rest["reviewers"]] == in_order[3:]
    assert rest["next"] is None


@pytest.mark.parametrize(
    "changes",
    [
        {"term_from": in_days(10), "term_to": in_days(9)},
        {"declared_interests": ["school-a", "school-a"]},
        {"declared_interests": [f"school-{n}" for n in range(51)]},
        {"declared_interests": ["St Mary's Primary"]},
        {"setting_id": "St Mary's Primary"},
        {"district": "atlantis"},
        {"role": "headteacher"},
        {"trained": True},
        {"name": "Jane Smith"},
        {"term_to": None},
    ],
)
async def test_a_malformed_entry_is_refused_and_nothing_is_written(
    reviews: Reviews, changes: dict[str, Any]
) -> None:
    response = put(reviews, person_id_for("reviewer-1"), entry(**changes))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await reviews.written() == (0, 0, 0, 0, {})


async def test_a_reviewer_id_with_a_name_in_it_is_refused(reviews: Reviews) -> None:
    response = put(reviews, "Jane Smith", entry())

    assert response.status_code == 422
    assert await reviews.written() == (0, 0, 0, 0, {})
