"""A child is named by an id the suite mints: a request for a child new to the suite is given
one, and every later command and event names the child by it."""

from __future__ import annotations

import re

from inclusion_shared.identifiers import CHILD_ID_PATTERN

from .conftest import SECONDARY, SECONDARY_SRP, SPECIAL, Placements, events_of, placement_request


async def test_a_request_for_a_child_new_to_the_suite_is_given_a_minted_id(
    placements: Placements, kafka_bootstrap: str
) -> None:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    body = placement_request()
    del body["child_id"]

    response = placements.post("/requests", body)

    assert response.status_code == 201, response.text
    child_id = response.json()["child_id"]
    assert re.fullmatch(CHILD_ID_PATTERN, child_id), child_id
    [requested] = await events_of(kafka_bootstrap, "placements.placement.v1", "child_id", child_id)
    assert requested["type"] == "placements.placement.requested"
    assert requested["data"]["request_id"] == response.json()["request_id"]
    again = placements.receive(child_id=child_id, preferences=[SECONDARY_SRP])
    assert again["child_id"] == child_id


async def test_an_assessment_for_a_child_new_to_the_suite_is_given_a_minted_id(
    placements: Placements,
) -> None:
    response = placements.post("/assessments", {"district": "thanet", "requested_on": "2026-09-01"})

    assert response.status_code == 201, response.text
    assert re.fullmatch(CHILD_ID_PATTERN, response.json()["child_id"]), response.json()
