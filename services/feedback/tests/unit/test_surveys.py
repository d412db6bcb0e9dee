"""Surveys and forum items: drafted with well-formed questions, published, then closed."""

from datetime import date

import pytest

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.survey import (
    ChoiceQuestion,
    FreeTextQuestion,
    ScaleQuestion,
    Survey,
    SurveyStatus,
    close_survey,
    draft_survey,
    is_open,
    publish_survey,
)
from feedback.domain.values import Channel, Voice

from .conftest import PUBLISHED_ON


def _draft(**changes: object) -> Survey:
    fields: dict[str, object] = {
        "survey_id": "forum-2026-11",
        "title": "Kent PACT forum: transport",
        "channel": Channel.FORUM_MEETING,
        "voices": (Voice.PARENT_CARER,),
        "questions": (ScaleQuestion(question_id="transport", prompt="How is transport?"),),
    }
    return draft_survey(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_forum_meeting_item_is_a_survey_through_the_forum_channel() -> None:
    item = _draft()
    assert (item.status, item.channel) == (SurveyStatus.DRAFT, Channel.FORUM_MEETING)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {
                "questions": (
                    ScaleQuestion(question_id="q", prompt="One"),
                    FreeTextQuestion(question_id="q", prompt="Two"),
                )
            },
            RefusalCode.DUPLICATE_QUESTION,
        ),
        ({"voices": (Voice.CHILD, Voice.CHILD)}, RefusalCode.DUPLICATE_VOICE),
        (
            {"questions": (ChoiceQuestion(question_id="q", prompt="?", options=("a", "a")),)},
            RefusalCode.DUPLICATE_OPTION,
        ),
        (
            {"questions": (ScaleQuestion(question_id="q", prompt="?", low=5, high=5),)},
            RefusalCode.SCALE_WITHOUT_RANGE,
        ),
    ],
    ids=["repeated_question", "repeated_voice", "repeated_option", "scale_without_range"],
)
def test_a_survey_with_malformed_questions_is_refused(
    changes: dict[str, object], code: RefusalCode
) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        _draft(**changes)
    assert refused.value.code is code


def test_a_scale_question_offers_every_point_of_its_scale() -> None:
    assert ScaleQuestion(question_id="q", prompt="?", low=0, high=3).options() == (
        "0",
        "1",
        "2",
        "3",
    )


def test_a_published_survey_takes_responses_until_its_closing_day(survey: Survey) -> None:
    assert survey.status is SurveyStatus.PUBLISHED
    assert survey.published_on == PUBLISHED_ON
    assert is_open(survey, date(2026, 12, 31))
    assert not is_open(survey, date(2027, 1, 1))


def test_a_survey_is_published_once(survey: Survey) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        publish_survey(survey, PUBLISHED_ON)
    assert refused.value.code is RefusalCode.SURVEY_NOT_DRAFT


def test_a_survey_cannot_be_published_after_its_closing_day() -> None:
    with pytest.raises(FeedbackRefused) as refused:
        publish_survey(_draft(closes_on=date(2026, 9, 30)), date(2026, 10, 1))
    assert refused.value.code is RefusalCode.CLOSES_BEFORE_PUBLISHED


def test_a_closed_survey_takes_no_more_responses(survey: Survey) -> None:
    closed = close_survey(survey, date(2026, 11, 1))
    assert (closed.status, closed.closed_on) == (SurveyStatus.CLOSED, date(2026, 11, 1))
    assert not is_open(closed, date(2026, 11, 2))


def test_a_survey_cannot_close_before_it_was_published(survey: Survey) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        close_survey(survey, date(2026, 9, 1))
    assert refused.value.code is RefusalCode.CLOSED_BEFORE_PUBLISHED


def test_only_a_published_survey_can_be_closed() -> None:
    with pytest.raises(FeedbackRefused) as refused:
        close_survey(_draft(), date(2026, 11, 1))
    assert refused.value.code is RefusalCode.SURVEY_NOT_OPEN


def test_free_text_questions_are_not_counted(survey: Survey) -> None:
    assert [q.question_id for q in survey.counted_questions()] == ["overall", "listened_to"]
