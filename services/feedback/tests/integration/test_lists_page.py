"""Every list pages: `limit` items at a time in a fixed order, `next` the cursor of the page
after (null on the last), and a cursor that is no place in the list a 400 problem."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from feedback.adapters import FeedbackStore
from feedback.domain.invitations import Invitation, InvitationCause
from feedback.domain.values import Place
from inclusion_shared.identifiers import mint_child_id
from inclusion_shared.kent import District
from inclusion_shared.web.paging import next_cursor

from .conftest import Feedback, placement_survey

LISTS = ["/surveys", "/responses/mine", "/moderation/queue", "/themes", "/actions", "/invitations"]


def pages(feedback: Feedback, path: str, name: str, headers: dict[str, str]) -> list[list[Any]]:
    """Every page of a list, two items at a time, by following `next`."""
    found: list[list[Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"after": after} if after else {})
        response = feedback.client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        found.append(response.json()[name])
        if (after := response.json()["next"]) is None:
            return found


def ids(found: list[list[dict[str, Any]]], key: str) -> list[list[str]]:
    return [[item[key] for item in page] for page in found]


async def test_surveys_page_by_id(feedback: Feedback) -> None:
    for survey_id in ("survey-c", "survey-a", "survey-e", "survey-b", "survey-d"):
        feedback.publish_survey(placement_survey(survey_id=survey_id))

    found = pages(feedback, "/surveys", "surveys", feedback.as_("parent"))

    assert ids(found, "survey_id") == [
        ["survey-a", "survey-b"],
        ["survey-c", "survey-d"],
        ["survey-e"],
    ]


async def test_ones_own_responses_and_the_moderation_queue_page_in_the_order_received(
    feedback: Feedback,
) -> None:
    feedback.publish_survey()
    given = [feedback.respond(response_id=f"response-{n}")["response_id"] for n in (3, 1, 2)]

    mine = pages(
        feedback,
        "/responses/mine",
        "responses",
        feedback.as_("parent", child="child-4b8669e033ccb7794915"),
    )
    queue = pages(feedback, "/moderation/queue", "responses", feedback.as_("kcc-officer"))

    in_order = sorted(given)  # received the same day: then by id
    assert ids(mine, "response_id") == [in_order[:2], in_order[2:]]
    assert ids(queue, "response_id") == [in_order[:2], in_order[2:]]
    assert mine[0][0]["free_text"] is not None, "each page shows the respondent's own words"


async def test_themes_page_with_the_actions_answering_each(feedback: Feedback) -> None:
    feedback.publish_survey()
    officer = feedback.as_("kcc-officer")
    answer = feedback.respond()
    tagged = feedback.client.post(
        f"/responses/{answer['response_id']}/themes",
        json={"themes": ["staff", "transport", "communication"], "sentiment": "mixed"},
        headers=officer,
    )
    assert tagged.status_code == 200, tagged.text
    for action_id, themes in [("action-2", ["transport"]), ("action-1", ["staff", "transport"])]:
        published = feedback.client.post(
            "/actions",
            json={
                "action_id": action_id,
                "themes": themes,
                "you_said": "Said.",
                "we_did": "Done.",
                "owner": "kcc-officer",
            },
            headers=officer,
        )
        assert published.status_code == 201, published.text

    themes = pages(feedback, "/themes", "themes", feedback.as_("parent"))
    actions = pages(feedback, "/actions", "actions", feedback.as_("parent"))

    assert [[(t["theme"], [a["action_id"] for a in t["actions"]]) for t in p] for p in themes] == [
        [("communication", []), ("staff", ["action-1"])],
        [("transport", ["action-1", "action-2"])],
    ]
    assert ids(actions, "action_id") == [["action-1", "action-2"]]


async def test_invitations_page_by_due_date(feedback: Feedback) -> None:
    child = mint_child_id()
    connection = await asyncpg.connect(
        feedback.database_url, server_settings={"search_path": "feedback"}
    )
    try:
        for n, due_in in enumerate([30, 10, 20, 10]):
            invitation = Invitation(
                invitation_id=f"invitation-{n}",
                cause=InvitationCause.PLACEMENT_STARTED,
                cause_id=f"placement-{child}-{n}",
                voice="parent-carer",
                child_id=child,
                setting_id="school-0042",
                place=Place.of(District.THANET),
                issued_on=date(2026, 9, 3),
                due_on=date(2026, 9, 3) + timedelta(due_in),
            )
            assert await FeedbackStore(connection).add_invitation(invitation, uuid4())
    finally:
        await connection.close()

    found = pages(feedback, "/invitations", "invitations", feedback.as_("parent", child=child))

    assert ids(found, "invitation_id") == [
        ["invitation-1", "invitation-3"],
        ["invitation-2", "invitation-0"],
    ]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "after",
    [
        next_cursor((1, "survey-a")),
        next_cursor(("not a date", "response-1")),
        next_cursor(("2026-10-12", "a\x00b")),
        next_cursor(("Not A Code",)),
        next_cursor((2**70,)),
    ],
)
async def test_a_cursor_that_is_no_place_in_the_list_is_a_bad_request(
    feedback: Feedback, path: str, after: str
) -> None:
    headers = feedback.as_("kcc-officer")
    if path == "/responses/mine":
        headers = feedback.as_("parent", child="child-4b8669e033ccb7794915")

    response = feedback.client.get(path, params={"after": after}, headers=headers)

    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/bad-cursor")


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", [0, 501])
async def test_a_page_holds_one_to_five_hundred(feedback: Feedback, path: str, limit: int) -> None:
    headers = feedback.as_("kcc-officer")
    if path == "/responses/mine":
        headers = feedback.as_("parent", child="child-4b8669e033ccb7794915")

    assert feedback.client.get(path, params={"limit": limit}, headers=headers).status_code == 422
