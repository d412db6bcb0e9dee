"""Surveys and forum items: questions aimed at voices, through one channel.

A forum meeting's agenda item or a Local Offer page asking for views is a survey whose channel
says so; its questions and voices work the same way. A survey is drafted, published, then closed.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.values import Channel, Code, DomainModel, PseudonymousId, Voice, Wording

LONGEST_FREE_TEXT = 10_000


class ScaleQuestion(DomainModel):
    """A rating from `low` to `high` (e.g. 1 to 5)."""

    kind: Literal["scale"] = "scale"
    question_id: Code
    prompt: Wording
    low: Annotated[int, Field(strict=True, ge=0, le=10)] = 1
    high: Annotated[int, Field(strict=True, ge=1, le=10)] = 5

    def options(self) -> tuple[str, ...]:
        """Each point of the scale, as published figures label it."""
        return tuple(str(value) for value in range(self.low, self.high + 1))


class ChoiceQuestion(DomainModel):
    """One option out of several, each a code."""

    kind: Literal["choice"] = "choice"
    question_id: Code
    prompt: Wording
    options: Annotated[tuple[Code, ...], Field(min_length=2, max_length=20)]


class FreeTextQuestion(DomainModel):
    """The respondent's own words, kept encrypted and never counted or published."""

    kind: Literal["free-text"] = "free-text"
    question_id: Code
    prompt: Wording
    max_length: Annotated[int, Field(strict=True, ge=1, le=LONGEST_FREE_TEXT)] = 2000


Question = Annotated[ScaleQuestion | ChoiceQuestion | FreeTextQuestion, Field(discriminator="kind")]
CountedQuestion = ScaleQuestion | ChoiceQuestion


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Survey(DomainModel):
    """A survey or forum item: what it asks, whom, through which channel, and where it stands."""

    survey_id: PseudonymousId
    title: Wording
    channel: Channel
    voices: Annotated[tuple[Voice, ...], Field(min_length=1, max_length=len(Voice))]
    questions: Annotated[tuple[Question, ...], Field(min_length=1, max_length=50)]
    closes_on: date | None = None
    status: SurveyStatus = SurveyStatus.DRAFT
    published_on: date | None = None
    closed_on: date | None = None

    def question(self, question_id: str) -> ScaleQuestion | ChoiceQuestion | FreeTextQuestion:
        """The question with this id; KeyError if the survey does not ask it."""
        for question in self.questions:
            if question.question_id == question_id:
                return question
        raise KeyError(question_id)

    def counted_questions(self) -> tuple[CountedQuestion, ...]:
        """The questions whose answers are counted in published figures (not free text)."""
        return tuple(q for q in self.questions if not isinstance(q, FreeTextQuestion))


def _repeated(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(value for value, n in Counter(values).items() if n > 1))


def draft_survey(
    *,
    survey_id: str,
    title: str,
    channel: Channel,
    voices: tuple[Voice, ...],
    questions: tuple[ScaleQuestion | ChoiceQuestion | FreeTextQuestion, ...],
    closes_on: date | None = None,
) -> Survey:
    """A new survey in draft, refused when a question, option or voice is repeated or a scale
    has no range."""
    if repeated := _repeated(q.question_id for q in questions):
        raise FeedbackRefused(RefusalCode.DUPLICATE_QUESTION, repeated)
    if repeated := _repeated(voices):
        raise FeedbackRefused(RefusalCode.DUPLICATE_VOICE, repeated)
    for question in questions:
        if isinstance(question, ChoiceQuestion) and _repeated(question.options):
            raise FeedbackRefused(RefusalCode.DUPLICATE_OPTION, (question.question_id,))
        if isinstance(question, ScaleQuestion) and question.low >= question.high:
            raise FeedbackRefused(RefusalCode.SCALE_WITHOUT_RANGE, (question.question_id,))
    return Survey(
        survey_id=survey_id,
        title=title,
        channel=channel,
        voices=voices,
        questions=questions,
        closes_on=closes_on,
    )


def publish_survey(survey: Survey, on: date) -> Survey:
    """Open a draft survey for responses from `on`."""
    if survey.status is not SurveyStatus.DRAFT:
        raise FeedbackRefused(RefusalCode.SURVEY_NOT_DRAFT, (survey.status.value,))
    if survey.closes_on is not None and survey.closes_on < on:
        raise FeedbackRefused(RefusalCode.CLOSES_BEFORE_PUBLISHED)
    return survey.evolve(status=SurveyStatus.PUBLISHED, published_on=on)


def close_survey(survey: Survey, on: date) -> Survey:
    """Stop taking responses. What was received still counts."""
    if survey.status is not SurveyStatus.PUBLISHED:
        raise FeedbackRefused(RefusalCode.SURVEY_NOT_OPEN, (survey.status.value,))
    if survey.published_on is not None and on < survey.published_on:
        raise FeedbackRefused(RefusalCode.CLOSED_BEFORE_PUBLISHED)
    return survey.evolve(status=SurveyStatus.CLOSED, closed_on=on)


def is_open(survey: Survey, on: date) -> bool:
    """Whether the survey takes responses on `on`: published, and not past its closing day."""
    return survey.status is SurveyStatus.PUBLISHED and (
        survey.closes_on is None or on <= survey.closes_on
    )
