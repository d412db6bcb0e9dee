"""Responses: received with consent, named or anonymous, their free text split off to be kept
encrypted, and routed by what they hold."""

from datetime import date

import pytest

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.response import (
    COMPLAINT_FLAGGED_BY_RESPONDENT,
    ChoiceAnswer,
    Consent,
    FreeTextAnswer,
    FreeTextGiven,
    ResponseStatus,
    ScaleAnswer,
    receive_response,
)
from feedback.domain.survey import Survey, close_survey
from feedback.domain.values import Channel, Place, Voice
from inclusion_shared.kent import Area, District

from .conftest import CHILD_VIA_PARENT, CODES_ONLY, RECEIVED_ON, WORDS, SubmissionFor


def test_free_text_is_handed_back_and_the_recorded_response_only_knows_it_was_given(
    survey: Survey, submission: SubmissionFor
) -> None:
    response, free_text = receive_response(survey, submission(), RECEIVED_ON)

    assert free_text == {"tell_us_more": WORDS}
    assert response.answers[2] == FreeTextGiven(question_id="tell_us_more")
    assert WORDS not in response.model_dump_json()
    assert response.has_free_text


def test_a_response_with_free_text_waits_for_a_moderator(
    survey: Survey, submission: SubmissionFor
) -> None:
    response, _ = receive_response(survey, submission(), RECEIVED_ON)
    assert response.status is ResponseStatus.AWAITING_MODERATION


def test_a_response_of_codes_only_counts_at_once(survey: Survey, submission: SubmissionFor) -> None:
    response, free_text = receive_response(survey, submission(**CODES_ONLY), RECEIVED_ON)
    assert (response.status, free_text) == (ResponseStatus.ACCEPTED, {})


def test_a_response_flagged_as_an_individual_complaint_goes_to_the_complaints_process(
    survey: Survey, submission: SubmissionFor
) -> None:
    response, _ = receive_response(
        survey, submission(individual_complaint=True, **CODES_ONLY), RECEIVED_ON
    )
    assert response.status is ResponseStatus.ROUTED_TO_COMPLAINTS
    assert response.complaint_reason == COMPLAINT_FLAGGED_BY_RESPONDENT


def test_a_response_takes_the_surveys_channel(survey: Survey, submission: SubmissionFor) -> None:
    response, _ = receive_response(survey, submission(), RECEIVED_ON)
    assert response.channel is Channel.SURVEY


def test_an_anonymous_response_names_nobody(survey: Survey, submission: SubmissionFor) -> None:
    response, _ = receive_response(
        survey, submission(anonymous=True, respondent_id=None, child_id=None), RECEIVED_ON
    )
    assert (response.anonymous, response.respondent_id, response.child_id) == (True, None, None)


def test_a_childs_views_are_received_with_a_parents_consent(
    survey: Survey, submission: SubmissionFor
) -> None:
    response, _ = receive_response(survey, submission(**CHILD_VIA_PARENT), RECEIVED_ON)
    assert response.voice is Voice.CHILD


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"consent": Consent(given=False)}, RefusalCode.CONSENT_REQUIRED),
        ({"voice": Voice.CHILD}, RefusalCode.CHILD_VIEWS_NEED_PARENT_CONSENT),
        ({"voice": Voice.PROFESSIONAL}, RefusalCode.VOICE_NOT_INVITED),
        ({"anonymous": True}, RefusalCode.ANONYMOUS_RESPONSE_NAMES_SOMEONE),
        ({"respondent_id": None}, RefusalCode.RESPONDENT_MISSING),
        ({"answers": ()}, RefusalCode.NO_ANSWERS),
        (
            {"answers": (ScaleAnswer(question_id="not_asked", value=3),)},
            RefusalCode.UNKNOWN_QUESTION,
        ),
        (
            {
                "answers": (
                    ScaleAnswer(question_id="overall", value=3),
                    ScaleAnswer(question_id="overall", value=4),
                )
            },
            RefusalCode.QUESTION_ANSWERED_TWICE,
        ),
        (
            {"answers": (ChoiceAnswer(question_id="overall", option="yes"),)},
            RefusalCode.ANSWER_OF_WRONG_KIND,
        ),
        (
            {"answers": (ScaleAnswer(question_id="overall", value=6),)},
            RefusalCode.SCALE_VALUE_OUT_OF_RANGE,
        ),
        (
            {"answers": (ChoiceAnswer(question_id="listened_to", option="maybe"),)},
            RefusalCode.UNKNOWN_OPTION,
        ),
        (
            {"answers": (FreeTextAnswer(question_id="tell_us_more", text="x" * 501),)},
            RefusalCode.FREE_TEXT_TOO_LONG,
        ),
        ({"survey_id": "survey-other"}, RefusalCode.RESPONSE_OF_ANOTHER_SURVEY),
    ],
    ids=lambda value: value.value if isinstance(value, RefusalCode) else "",
)
def test_a_response_breaking_a_rule_is_refused(
    survey: Survey, submission: SubmissionFor, changes: dict[str, object], code: RefusalCode
) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        receive_response(survey, submission(**changes), RECEIVED_ON)
    assert refused.value.code is code


def test_no_response_is_received_after_the_survey_closes(
    survey: Survey, submission: SubmissionFor
) -> None:
    closed = close_survey(survey, date(2026, 11, 1))
    for on, current in ((date(2027, 1, 2), survey), (date(2026, 11, 2), closed)):
        with pytest.raises(FeedbackRefused) as refused:
            receive_response(current, submission(), on)
        assert refused.value.code is RefusalCode.SURVEY_CLOSED


def test_a_draft_survey_takes_no_responses(survey: Survey, submission: SubmissionFor) -> None:
    draft = survey.evolve(status="draft", published_on=None)
    with pytest.raises(FeedbackRefused) as refused:
        receive_response(draft, submission(), RECEIVED_ON)
    assert refused.value.code is RefusalCode.SURVEY_NOT_OPEN


def test_a_place_keeps_its_district_in_the_right_area() -> None:
    assert Place.of(District.DOVER).area is Area.SOUTH
    with pytest.raises(ValueError, match="dover is in south-kent"):
        Place(district=District.DOVER, area=Area.NORTH)
