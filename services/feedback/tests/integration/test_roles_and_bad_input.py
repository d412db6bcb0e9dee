"""Who may do what in feedback (deny by default), and bad input: a 4xx problem response, and
nothing written — no survey, response, sealed words or event."""

from __future__ import annotations

from typing import Any

import pytest

from inclusion_shared.web.app import assert_every_route_guarded

from .conftest import ROLES, SURVEY, Feedback, parent_response, placement_survey

READERS = {
    "senco",
    "kcc-officer",
    "panel-member",
    "parent",
    "young-person",
    "area-board",
    "auditor",
}
RESPONDENTS = {"parent", "young-person", "senco"}
OFFICER = {"kcc-officer"}
FIGURES = {"kcc-officer", "area-board", "auditor"}
WHO_MAY = [
    ("POST", "/surveys", OFFICER),
    ("POST", "/surveys/x/publication", OFFICER),
    ("POST", "/surveys/x/closure", OFFICER),
    ("GET", "/surveys", READERS),
    ("GET", "/surveys/x", READERS),
    ("GET", "/surveys/x/figures", FIGURES),
    ("POST", "/surveys/x/responses", RESPONDENTS | OFFICER),
    ("GET", "/responses/mine", RESPONDENTS),
    ("GET", "/responses/x", RESPONDENTS | OFFICER | {"auditor"}),
    ("POST", "/responses/x/consent-withdrawal", RESPONDENTS | OFFICER),
    ("POST", "/people/x/erasure", OFFICER),
    ("GET", "/moderation/queue", OFFICER | {"auditor"}),
    ("POST", "/responses/x/themes", OFFICER),
    ("POST", "/responses/x/complaint-routing", OFFICER),
    ("POST", "/responses/x/withholding", OFFICER),
    ("GET", "/themes", READERS),
    ("GET", "/themes/figures", FIGURES),
    ("POST", "/actions", OFFICER),
    ("GET", "/actions", READERS),
    ("POST", "/actions/x/status", {"kcc-officer", "senco", "panel-member", "area-board"}),
    ("GET", "/invitations", {"kcc-officer", "auditor", "senco", "parent", "young-person"}),
]


async def written(feedback: Feedback) -> tuple[int, int, int, int]:
    """Surveys, responses, sealed records and events. Invitations are left out: the service
    issues them from whatever other tests publish on the shared topics meanwhile."""
    return (
        await feedback.fetchval("SELECT count(*) FROM surveys"),
        await feedback.fetchval("SELECT count(*) FROM responses"),
        await feedback.fetchval("SELECT count(*) FROM personal_records"),
        await feedback.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type <> 'feedback.invitation.issued'"
        ),
    )


def assert_problem(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if code is not None:
        assert response.json()["code"] == code


@pytest.mark.parametrize(("method", "path", "allowed"), WHO_MAY, ids=lambda v: str(v))
async def test_each_role_is_refused_where_it_has_no_part(
    feedback: Feedback, method: str, path: str, allowed: set[str]
) -> None:
    for role in ROLES:
        response = feedback.client.request(method, path, headers=feedback.as_(role))
        assert (response.status_code == 403) == (role not in allowed), (role, response.text)


async def test_without_a_token_every_feedback_endpoint_answers_401(feedback: Feedback) -> None:
    assert_every_route_guarded(feedback.client.app)
    assert feedback.client.get("/openapi.json").status_code == 200
    for method, path, _ in WHO_MAY:
        assert feedback.client.request(method, path).status_code == 401, (method, path)


async def test_a_parent_gives_only_a_parents_or_their_childs_views(feedback: Feedback) -> None:
    feedback.publish_survey()
    parent = feedback.as_("parent", child="child-4b8669e033ccb7794915")

    as_young_person = feedback.client.post(
        f"/surveys/{SURVEY}/responses", json=parent_response(voice="young-person"), headers=parent
    )
    for_child = feedback.client.post(
        f"/surveys/{SURVEY}/responses",
        json=parent_response(voice="child", consent={"given": True, "given_by": "parent-carer"}),
        headers=parent,
    )

    assert_problem(as_young_person, 403)
    assert for_child.status_code == 201, for_child.text


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {
                "questions": [
                    {"kind": "scale", "question_id": "q", "prompt": "One"},
                    {"kind": "free-text", "question_id": "q", "prompt": "Two"},
                ]
            },
            "duplicate_question",
        ),
        ({"questions": [{"kind": "essay", "question_id": "q", "prompt": "?"}]}, None),
        ({"voices": []}, None),
        ({"voices": ["grandparent"]}, None),
        ({"channel": "twitter"}, None),
        ({"title": "x" * 1001}, None),
        ({"owner_name": "Jane Smith"}, None),
        ({"survey_id": "Jane Smith"}, None),
        ({"survey_id": "s" * 81}, None),
        ({"title": "Placements\x00"}, None),
        ({"voices": ["parent-carer"] * 6}, None),
        (
            {
                "questions": [
                    {"kind": "scale", "question_id": f"q{n}", "prompt": "?"} for n in range(51)
                ]
            },
            None,
        ),
        (
            {
                "questions": [
                    {
                        "kind": "choice",
                        "question_id": "q",
                        "prompt": "?",
                        "options": [f"option_{n}" for n in range(21)],
                    }
                ]
            },
            None,
        ),
        ({"questions": [{"kind": "scale", "question_id": "q" * 81, "prompt": "?"}]}, None),
    ],
)
async def test_a_malformed_survey_is_refused_and_nothing_is_written(
    feedback: Feedback, changes: dict[str, Any], code: str | None
) -> None:
    response = feedback.client.post(
        "/surveys", json=placement_survey(**changes), headers=feedback.as_("kcc-officer")
    )

    assert_problem(response, 422, code)
    assert await written(feedback) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"consent": {"given": False}}, 422, "consent_required"),
        ({"consent": None}, 422, None),
        ({"voice": "child"}, 422, "child_views_need_parent_consent"),
        ({"answers": [{"kind": "scale", "question_id": "overall", "value": 9}]}, 422, None),
        ({"answers": [{"kind": "scale", "question_id": "overall", "value": "4"}]}, 422, None),
        ({"answers": [{"kind": "scale", "question_id": "ghost", "value": 3}]}, 422, None),
        (
            {"answers": [{"kind": "choice", "question_id": "listened_to", "option": "maybe"}]},
            422,
            None,
        ),
        ({"answers": []}, 422, "no_answers"),
        ({"words": "x" * 2001}, 422, "free_text_too_long"),
        ({"name": "Jane Smith"}, 422, None),
        ({"response_id": "Jane Smith"}, 422, None),
        ({"community_of_schools": "c" * 81}, 422, None),
        ({"answers": [{"kind": "scale", "question_id": "overall", "value": 3}] * 51}, 422, None),
        ({"district": "atlantis"}, 422, None),
        ({"district": None}, 422, "place_missing"),
        ({"anonymous": True, "voice": "professional"}, 403, None),
        ({"invitation_id": "invitation-unknown"}, 404, None),
    ],
)
async def test_a_malformed_response_is_refused_and_nothing_is_written(
    feedback: Feedback, changes: dict[str, Any], status: int, code: str | None
) -> None:
    feedback.publish_survey()
    before = await written(feedback)
    body = parent_response(**changes)
    if body.get("consent", True) is None:
        del body["consent"]

    response = feedback.client.post(
        f"/surveys/{SURVEY}/responses",
        json=body,
        headers=feedback.as_("parent", child="child-4b8669e033ccb7794915"),
    )

    assert_problem(response, status, code)
    if code in {"scale_value_out_of_range", "unknown_question", "unknown_option"}:
        assert response.json()["details"]
    assert await written(feedback) == before


async def test_a_response_to_a_survey_not_open_is_refused_and_nothing_is_written(
    feedback: Feedback,
) -> None:
    officer = feedback.as_("kcc-officer")
    parent = feedback.as_("parent", child="child-4b8669e033ccb7794915")
    feedback.client.post("/surveys", json=placement_survey(), headers=officer)
    to_draft = feedback.client.post(
        f"/surveys/{SURVEY}/responses", json=parent_response(), headers=parent
    )
    feedback.client.post(f"/surveys/{SURVEY}/publication", headers=officer)
    feedback.client.post(f"/surveys/{SURVEY}/closure", headers=officer)
    before = await written(feedback)

    to_closed = feedback.client.post(
        f"/surveys/{SURVEY}/responses", json=parent_response(), headers=parent
    )
    to_nowhere = feedback.client.post(
        "/surveys/survey-ghost/responses", json=parent_response(), headers=parent
    )
    republished = feedback.client.post(f"/surveys/{SURVEY}/publication", headers=officer)

    assert_problem(to_draft, 404)  # a parent cannot even see a draft
    assert_problem(to_closed, 409, "survey_closed")
    assert_problem(to_nowhere, 404)
    assert_problem(republished, 409, "survey_not_draft")
    assert await written(feedback) == before


@pytest.mark.parametrize(
    "body",
    [
        {"themes": ["Waiting Times"], "sentiment": "negative"},
        {"themes": [], "sentiment": "negative"},
        {"themes": ["transport"], "sentiment": "furious"},
        {"themes": ["transport"]},
    ],
)
async def test_a_malformed_tag_is_refused_and_nothing_is_written(
    feedback: Feedback, body: dict[str, Any]
) -> None:
    feedback.publish_survey()
    answer = feedback.respond()
    before = await written(feedback)

    response = feedback.client.post(
        f"/responses/{answer['response_id']}/themes", json=body, headers=feedback.as_("kcc-officer")
    )

    assert_problem(response, 422)
    assert await written(feedback) == before
    assert await feedback.fetchval("SELECT count(*) FROM themes") == 0


async def test_an_action_answering_no_identified_theme_is_refused(feedback: Feedback) -> None:
    response = feedback.client.post(
        "/actions",
        json={
            "themes": ["parking"],
            "you_said": "Parking is hard.",
            "we_did": "Nothing yet.",
            "owner": "kcc-officer",
        },
        headers=feedback.as_("kcc-officer"),
    )

    assert_problem(response, 422, "unknown_theme")
    assert response.json()["details"] == ["parking"]
    assert await feedback.fetchval("SELECT count(*) FROM actions") == 0
    assert await written(feedback) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("header", "value"), [("Idempotency-Key", "k" * 201), ("X-Correlation-Id", "not-a-uuid")]
)
async def test_a_malformed_command_header_is_refused_and_nothing_is_written(
    feedback: Feedback, header: str, value: str
) -> None:
    response = feedback.client.post(
        "/surveys",
        json=placement_survey(),
        headers={**feedback.as_("kcc-officer"), header: value},
    )

    assert_problem(response, 400)
    assert await written(feedback) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("method", "path", "allowed"), [row for row in WHO_MAY if "/x" in row[1]], ids=str
)
async def test_an_id_no_record_can_carry_is_refused_by_its_shape_never_a_500(
    feedback: Feedback, method: str, path: str, allowed: set[str]
) -> None:
    """PostgreSQL cannot compare a NUL, so an id that is not a pseudonymous id is a 422."""
    role = sorted(allowed)[0]
    for bad in ("a%00b", "x" * 90, "Jane%20Smith"):
        response = feedback.client.request(
            method, path.replace("/x", f"/{bad}"), headers=feedback.as_(role)
        )
        assert_problem(response, 422)
        assert any(error["location"][0] == "path" for error in response.json()["errors"])


async def test_a_survey_id_no_survey_can_have_is_refused_in_a_query_too(feedback: Feedback) -> None:
    response = feedback.client.get(
        "/themes/figures", params={"survey_id": "a\x00b"}, headers=feedback.as_("area-board")
    )

    assert_problem(response, 422)
