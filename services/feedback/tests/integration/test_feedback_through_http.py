"""Feedback through the running service: HTTP → PostgreSQL → outbox → Kafka. Surveys, responses
with their words kept encrypted, moderation into themes, "You said, we did", complaints, abuse,
consent withdrawal and erasure — and never a respondent's words in an event."""

from __future__ import annotations

from typing import Any

from inclusion_shared.identifiers import person_id_for

from .conftest import FORUM, SURVEY, WORDS, Feedback, on_kafka, parent_response, placement_survey

TEXT_FRAGMENTS = (WORDS, "Ada", "nobody rang", "transport was late")


def figures(feedback: Feedback, by: str = "district", **query: str) -> dict[str, Any]:
    response = feedback.client.get(
        f"/surveys/{SURVEY}/figures",
        params={"by": by, **query},
        headers=feedback.as_("area-board"),
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def parents_in(answer: dict[str, Any], place: str) -> Any:
    table = answer["respondents"]
    row = next(row for row in table["rows"] if row["label"] == "parent-carer")
    return row["cells"][table["columns"].index(place)]


def codes_only_from(feedback: Feedback, n: int, district: str = "thanet") -> list[str]:
    """`n` parents answering without free text, each named by their own token."""
    return [
        feedback.respond(
            as_=feedback.as_("parent", subject=person_id_for(f"parent-{district}-{k}")),
            words=None,
            district=district,
        )["response_id"]
        for k in range(n)
    ]


async def test_a_published_survey_reaches_kafka_with_its_questions_shapes_only(
    feedback: Feedback, kafka_bootstrap: str
) -> None:
    feedback.publish_survey()

    [published] = await on_kafka(
        kafka_bootstrap, "feedback.survey.v1", await feedback.outbox("feedback.survey.published")
    )

    assert published["type"] == "feedback.survey.published"
    assert [q["kind"] for q in published["data"]["questions"]] == ["scale", "choice", "free-text"]
    assert published["data"]["questions"][1]["options"] == ["yes", "partly", "no"]


async def test_a_response_keeps_its_words_encrypted_and_its_event_carries_codes_only(
    feedback: Feedback, kafka_bootstrap: str
) -> None:
    feedback.publish_survey()

    answer = feedback.respond()

    assert answer["status"] == "awaiting_moderation"
    assert "free_text" not in answer, "a command's answer is kept unencrypted for replays"
    sealed = await feedback.fetchval(
        "SELECT ciphertext FROM personal_records WHERE kind = 'response-text'"
    )
    assert sealed is not None and WORDS.encode() not in sealed
    assert (
        await feedback.fetchval(
            "SELECT person_id FROM responses WHERE response_id = $1", answer["response_id"]
        )
        == "child-4b8669e033ccb7794915"
    ), "sealed under the child's key"
    [received] = await on_kafka(
        kafka_bootstrap, "feedback.response.v1", await feedback.outbox("feedback.response.received")
    )
    assert received["data"]["answers"] == [
        {"question_id": "overall", "kind": "scale", "value": 2, "option": None},
        {"question_id": "listened_to", "kind": "choice", "value": None, "option": "partly"},
        {"question_id": "tell_us_more", "kind": "free-text", "value": None, "option": None},
    ]
    assert "parent-1" not in str(received["data"]) and "child-4b8669e033ccb7794915" not in str(
        received
    )


async def test_an_anonymous_response_names_nobody_even_as_the_events_actor(
    feedback: Feedback,
) -> None:
    feedback.publish_survey()

    answer = feedback.respond(anonymous=True)

    [received] = await feedback.outbox("feedback.response.received")
    assert (received["actorrole"], received["actorid"]) == ("parent", "anonymous")
    assert received["data"]["anonymous"] is True
    assert await feedback.fetch(
        "SELECT respondent_id, child_id FROM responses WHERE response_id = $1",
        answer["response_id"],
    ) == [(None, None)]
    mine = feedback.client.get(
        "/responses/mine", headers=feedback.as_("parent", child="child-4b8669e033ccb7794915")
    )
    assert mine.json()["responses"] == [], "an anonymous response is linked to nobody"


async def test_a_respondent_sees_only_their_own_responses_with_their_words(
    feedback: Feedback,
) -> None:
    feedback.publish_survey()
    own = feedback.respond()
    other = feedback.respond(
        as_=feedback.as_(
            "parent", subject=person_id_for("parent-2"), child="child-dda99f2c4fa5343bcaf9"
        ),
        words="Fine.",
    )
    own_url = f"/responses/{own['response_id']}"

    mine = feedback.client.get(
        "/responses/mine", headers=feedback.as_("parent", child="child-4b8669e033ccb7794915")
    )
    as_other = feedback.client.get(
        own_url, headers=feedback.as_("parent", subject=person_id_for("parent-2"))
    )
    # The other parent of the same child sees responses given about that child.
    same_child = feedback.client.get(
        own_url,
        headers=feedback.as_(
            "parent", subject=person_id_for("parent-3"), child="child-4b8669e033ccb7794915"
        ),
    )
    moderator = feedback.client.get(own_url, headers=feedback.as_("kcc-officer")).json()
    # A response from Thanet is not a West Kent officer's.
    west = feedback.client.get(own_url, headers=feedback.as_("kcc-officer", areas=("west-kent",)))
    auditor = feedback.client.get(own_url, headers=feedback.as_("auditor")).json()

    assert [r["response_id"] for r in mine.json()["responses"]] == [own["response_id"]]
    assert mine.json()["responses"][0]["free_text"] == {"tell_us_more": WORDS}
    assert other["response_id"] not in str(mine.json())
    assert as_other.status_code == 403
    assert same_child.status_code == 200
    assert west.status_code == 403
    assert moderator["free_text"] == {"tell_us_more": WORDS}
    assert "respondent_id" not in moderator and "child_id" not in moderator
    assert "free_text" not in auditor and "respondent_id" not in auditor


async def test_moderation_tags_themes_and_you_said_we_did_answers_them(
    feedback: Feedback, kafka_bootstrap: str
) -> None:
    feedback.publish_survey()
    answer = feedback.respond()
    officer = feedback.as_("kcc-officer")
    [queued] = feedback.client.get("/moderation/queue", headers=officer).json()["responses"]

    tagged = feedback.client.post(
        f"/responses/{answer['response_id']}/themes",
        json={"themes": ["transport", "communication"], "sentiment": "negative"},
        headers=officer,
    )
    action = feedback.client.post(
        "/actions",
        json={
            "action_id": "action-transport-1",
            "themes": ["transport"],
            "you_said": "School transport is often late.",
            "we_did": "Routes are being re-timed with the operators this term.",
            "owner": "kcc-officer",
            "due_on": "2099-01-31",
        },
        headers=officer,
    )
    by_senco = feedback.client.post(
        "/actions/action-transport-1/status",
        json={"status": "in-progress"},
        headers=feedback.as_("senco"),
    )
    progressed = feedback.client.post(
        "/actions/action-transport-1/status", json={"status": "in-progress"}, headers=officer
    )

    assert queued["free_text"] == {"tell_us_more": WORDS}
    assert tagged.status_code == 200, tagged.text
    assert tagged.json()["status"] == "accepted"
    assert action.status_code == 201, action.text
    assert by_senco.status_code == 403, "the action is owned by KCC officers"
    assert progressed.json()["status"] == "in-progress"
    themes = feedback.client.get("/themes", headers=feedback.as_("parent")).json()["themes"]
    assert [(t["theme"], t["actions"]) for t in themes] == [
        ("communication", []),
        ("transport", [{"action_id": "action-transport-1", "status": "in-progress"}]),
    ]
    on_theme_topic = await on_kafka(
        kafka_bootstrap, "feedback.theme.v1", await feedback.outbox("feedback.theme.identified")
    )
    assert sorted(e["data"]["theme"] for e in on_theme_topic) == ["communication", "transport"]
    updates = await on_kafka(
        kafka_bootstrap,
        "feedback.theme.v1",
        [e for e in await feedback.outbox() if e["subject"] == "action-transport-1"],
    )
    assert [(e["type"], e["data"]["status"]) for e in updates] == [
        ("feedback.theme.action-published", "planned"),
        ("feedback.theme.action-updated", "in-progress"),
    ]
    [tag_event] = await feedback.outbox("feedback.response.tagged")
    assert (tag_event["data"]["themes"], tag_event["data"]["sentiment"]) == (
        ["communication", "transport"],
        "negative",
    )


async def test_an_individual_complaint_is_routed_to_the_complaints_process_and_never_counted(
    feedback: Feedback,
) -> None:
    feedback.publish_survey()
    codes_only_from(feedback, 5)
    flagged = feedback.respond(individual_complaint=True, words=None)
    spotted = feedback.respond(as_=feedback.as_("parent", subject=person_id_for("parent-9")))

    routed = feedback.client.post(
        f"/responses/{spotted['response_id']}/complaint-routing",
        json={"reason": "about_one_childs_case"},
        headers=feedback.as_("kcc-officer"),
    )

    assert flagged["status"] == "routed_to_complaints"
    assert routed.json()["status"] == "routed_to_complaints"
    events = await feedback.outbox("feedback.response.routed-to-complaints")
    assert {(e["data"]["response_id"], e["data"]["reason"]) for e in events} == {
        (flagged["response_id"], "flagged_by_respondent"),
        (spotted["response_id"], "about_one_childs_case"),
    }
    assert parents_in(figures(feedback), "thanet") == 5


async def test_abusive_content_is_withheld_from_the_figures(feedback: Feedback) -> None:
    feedback.publish_survey()
    codes_only_from(feedback, 5)
    abusive = feedback.respond(words="Abusive words about a named teacher.")

    withheld = feedback.client.post(
        f"/responses/{abusive['response_id']}/withholding", headers=feedback.as_("kcc-officer")
    )
    retag = feedback.client.post(
        f"/responses/{abusive['response_id']}/themes",
        json={"themes": ["staff"], "sentiment": "negative"},
        headers=feedback.as_("kcc-officer"),
    )

    assert withheld.json()["status"] == "withheld"
    assert retag.status_code == 409
    assert retag.json()["code"] == "response_not_open_to_moderation"
    assert parents_in(figures(feedback), "thanet") == 5
    [event] = await feedback.outbox("feedback.response.withheld")
    assert event["data"]["reason"] == "abusive"


async def test_withdrawing_consent_removes_a_response_from_every_figure_and_deletes_its_words(
    feedback: Feedback,
) -> None:
    feedback.publish_survey()
    codes = codes_only_from(feedback, 5)
    worded = feedback.respond()
    officer = feedback.as_("kcc-officer")
    feedback.client.post(
        f"/responses/{worded['response_id']}/themes",
        json={"themes": ["transport"], "sentiment": "negative"},
        headers=officer,
    )
    before = figures(feedback)
    themes_before = feedback.client.get("/themes/figures?by=area", headers=officer).json()

    withdrawn = feedback.client.post(
        f"/responses/{worded['response_id']}/consent-withdrawal",
        headers=feedback.as_("parent", child="child-4b8669e033ccb7794915"),
    )
    by_officer = feedback.client.post(f"/responses/{codes[0]}/consent-withdrawal", headers=officer)
    not_theirs = feedback.client.post(
        f"/responses/{codes[1]}/consent-withdrawal",
        headers=feedback.as_("parent", subject=person_id_for("parent-stranger")),
    )

    assert (parents_in(before, "thanet"), withdrawn.status_code, by_officer.status_code) == (
        6,
        200,
        200,
    )
    assert not_theirs.status_code == 403
    after = figures(feedback)
    assert parents_in(after, "thanet") == "c", "4 respondents are too few to publish"
    for by in ("district", "area", "community_of_schools"):
        assert figures(feedback, by)["respondents"]["grand_total"] == "c"
    themes_after = feedback.client.get("/themes/figures?by=area", headers=officer).json()
    assert themes_before["themes"]["rows"][0]["label"] == "transport"
    assert themes_after["themes"]["rows"] == []
    assert (
        await feedback.fetchval(
            "SELECT count(*) FROM personal_records WHERE kind = 'response-text'"
        )
        == 0
    )
    mine = feedback.client.get(
        "/responses/mine", headers=feedback.as_("parent", child="child-4b8669e033ccb7794915")
    )
    assert mine.json()["responses"][0]["free_text"] is None
    assert len(await feedback.outbox("feedback.response.withdrawn")) == 2


async def test_percentages_are_published_only_from_thirty_respondents(feedback: Feedback) -> None:
    feedback.publish_survey()
    codes_only_from(feedback, 29)

    with_29 = figures(feedback, "area")
    codes_only_from(feedback, 1, "dover")
    with_30 = figures(feedback, "area")

    [overall_29, _] = with_29["questions"]
    [overall_30, _] = with_30["questions"]
    assert overall_29["overall_percentages"] == ["c", "c", "c", "c", "c"]
    assert overall_30["overall_percentages"] == ["0", "100", "0", "0", "0"]
    assert overall_30["counts"]["grand_total"] == 30
    south = overall_30["counts"]["columns"].index("south-kent")
    assert [row[south] for row in overall_30["percentages"]] == ["c"] * 5, "base of 1"


async def test_erasing_a_child_shreds_their_key_and_takes_their_feedback_out_of_the_figures(
    feedback: Feedback,
) -> None:
    feedback.publish_survey()
    codes_only_from(feedback, 5)
    answer = feedback.respond(words=None)

    erased = feedback.client.post(
        "/people/child-4b8669e033ccb7794915/erasure", headers=feedback.as_("kcc-officer")
    )
    again = feedback.client.post(
        f"/people/{person_id_for('nobody-known')}/erasure", headers=feedback.as_("kcc-officer")
    )
    by_name = feedback.client.post(
        "/people/Jane.Smith/erasure", headers=feedback.as_("kcc-officer")
    )

    assert erased.status_code == 200, erased.text
    assert erased.json()["responses_withdrawn"] == [answer["response_id"]]
    assert parents_in(figures(feedback), "thanet") == 5
    assert again.status_code == 404
    assert by_name.status_code == 422  # a person is named by their id, never in a URL by name
    [event] = await feedback.outbox("feedback.response.withdrawn")
    assert event["data"]["reason"] == "erasure"


async def test_an_officer_records_views_heard_at_a_forum_meeting_unnamed(
    feedback: Feedback,
) -> None:
    feedback.publish_survey(placement_survey(survey_id=FORUM, channel="forum-meeting"))

    recorded = feedback.client.post(
        f"/surveys/{FORUM}/responses",
        json=parent_response(anonymous=True, voice="professional", district="dover"),
        headers=feedback.as_("kcc-officer"),
    )
    named = feedback.client.post(
        f"/surveys/{FORUM}/responses",
        json=parent_response(district="dover"),
        headers=feedback.as_("kcc-officer"),
    )

    assert recorded.status_code == 422, "professionals are not among the forum item's voices"
    recorded = feedback.client.post(
        f"/surveys/{FORUM}/responses",
        json=parent_response(anonymous=True, district="dover"),
        headers=feedback.as_("kcc-officer"),
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["channel"] == "forum-meeting"
    assert (
        await feedback.fetchval(
            "SELECT respondent_id FROM responses WHERE response_id = $1",
            recorded.json()["response_id"],
        )
        is None
    )
    assert named.status_code == 403


async def test_no_respondents_words_reach_any_event(feedback: Feedback) -> None:
    """Every kind of response event emitted, then every outbox payload scanned for the words."""
    feedback.publish_survey()
    officer = feedback.as_("kcc-officer")
    tagged = feedback.respond()
    feedback.client.post(
        f"/responses/{tagged['response_id']}/themes",
        json={"themes": ["transport"], "sentiment": "negative"},
        headers=officer,
    )
    feedback.client.post(
        "/actions",
        json={
            "themes": ["transport"],
            "you_said": "Transport is late.",
            "we_did": "Re-timing routes.",
            "owner": "kcc-officer",
        },
        headers=officer,
    )
    complaint = feedback.respond(
        as_=feedback.as_("parent", subject=person_id_for("p2")), individual_complaint=True
    )
    abusive = feedback.respond(as_=feedback.as_("parent", subject=person_id_for("p3")))
    feedback.client.post(f"/responses/{abusive['response_id']}/withholding", headers=officer)
    anonymous = feedback.respond(
        as_=feedback.as_("parent", subject=person_id_for("p4")), anonymous=True
    )
    feedback.client.post(
        f"/responses/{anonymous['response_id']}/consent-withdrawal", headers=officer
    )
    feedback.client.post("/people/child-4b8669e033ccb7794915/erasure", headers=officer)

    events = await feedback.outbox()
    types = {event["type"] for event in events}
    assert {
        "feedback.survey.published",
        "feedback.response.received",
        "feedback.response.tagged",
        "feedback.response.routed-to-complaints",
        "feedback.response.withheld",
        "feedback.response.withdrawn",
        "feedback.theme.identified",
        "feedback.theme.action-published",
    } <= types
    assert complaint["status"] == "routed_to_complaints"
    payloads = await feedback.fetch("SELECT payload FROM outbox")
    for row in payloads:
        for fragment in TEXT_FRAGMENTS:
            assert fragment.encode() not in row["payload"], fragment


async def test_a_replayed_response_is_answered_once_and_applied_once(feedback: Feedback) -> None:
    feedback.publish_survey()
    headers = {
        **feedback.as_("parent", child="child-4b8669e033ccb7794915"),
        "Idempotency-Key": "pact-form-77",
    }
    body = parent_response(response_id="response-from-form-77")

    first = feedback.client.post(f"/surveys/{SURVEY}/responses", json=body, headers=headers)
    second = feedback.client.post(f"/surveys/{SURVEY}/responses", json=body, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replay"] == "true"
    assert await feedback.fetchval("SELECT count(*) FROM responses") == 1
    assert len(await feedback.outbox("feedback.response.received")) == 1
    stored_answer = await feedback.fetchval("SELECT response::text FROM idempotency_keys")
    assert WORDS not in stored_answer
