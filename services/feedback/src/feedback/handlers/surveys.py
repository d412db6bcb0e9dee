"""Surveys and forum items: drafting, publishing and closing them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from feedback.access import KENT, POLICY, survey_there_for
from feedback.adapters import FeedbackStore
from feedback.domain.errors import FeedbackRefused
from feedback.domain.survey import (
    ChoiceQuestion,
    FreeTextQuestion,
    ScaleQuestion,
    Survey,
    close_survey,
    publish_survey,
)
from feedback.handlers.refusals import as_problem
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.feedback import (
    SURVEY_CLOSED,
    SURVEY_PUBLISHED,
    QuestionRecord,
    SurveyClosed,
    SurveyPublished,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound


async def add_survey(work: UnitOfWork, who: Principal, draft: Callable[[], Survey]) -> Survey:
    """Record a survey in draft; nothing is published until it is."""
    POLICY.check(who, "survey.draft", KENT)
    try:
        survey = draft()
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    if not await FeedbackStore(work.connection).add_survey(survey):
        raise Conflict(f"survey {survey.survey_id} already exists")
    return survey


async def publish(work: UnitOfWork, who: Principal, survey_id: str, today: date) -> Survey:
    store = FeedbackStore(work.connection)
    survey = await _survey(store, who, survey_id)
    POLICY.check(who, "survey.publish", KENT)
    try:
        published = publish_survey(survey, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_survey(published)
    work.emit(
        SURVEY_PUBLISHED.type,
        survey_id,
        SurveyPublished(
            survey_id=survey_id,
            channel=published.channel.value,
            voices=tuple(voice.value for voice in published.voices),
            questions=tuple(_record(question) for question in published.questions),
            published_on=today,
            closes_on=published.closes_on,
        ),
    )
    return published


async def close(work: UnitOfWork, who: Principal, survey_id: str, today: date) -> Survey:
    store = FeedbackStore(work.connection)
    survey = await _survey(store, who, survey_id)
    POLICY.check(who, "survey.close", KENT)
    try:
        closed = close_survey(survey, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_survey(closed)
    work.emit(SURVEY_CLOSED.type, survey_id, SurveyClosed(survey_id=survey_id, closed_on=today))
    return closed


def _record(question: ScaleQuestion | ChoiceQuestion | FreeTextQuestion) -> QuestionRecord:
    """A question's shape without its wording."""
    if isinstance(question, ScaleQuestion):
        return QuestionRecord(
            question_id=question.question_id, kind="scale", low=question.low, high=question.high
        )
    if isinstance(question, ChoiceQuestion):
        return QuestionRecord(
            question_id=question.question_id, kind="choice", options=question.options
        )
    return QuestionRecord(question_id=question.question_id, kind="free-text")


async def _survey(store: FeedbackStore, who: Principal, survey_id: str) -> Survey:
    survey = await store.survey(survey_id, for_update=True)
    if survey is None or not survey_there_for(who, survey):
        raise NotFound(f"no survey {survey_id}")
    return survey
