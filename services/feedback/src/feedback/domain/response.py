"""Responses: answers given with consent, named or anonymous.

A respondent's submission may hold free text. Receiving it splits the two apart: the recorded
response keeps only that free text was given, and the text is handed back to be stored encrypted
under the respondent's key. So no record built from a `Response` can carry someone's own words.
"""

from collections import Counter
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.survey import (
    LONGEST_FREE_TEXT,
    ChoiceQuestion,
    FreeTextQuestion,
    ScaleQuestion,
    Survey,
    SurveyStatus,
    is_open,
)
from feedback.domain.values import (
    Channel,
    Code,
    DomainModel,
    Place,
    PseudonymousId,
    Sentiment,
    Voice,
)
from inclusion_shared.identifiers import ChildId, PersonId


class ScaleAnswer(DomainModel):
    kind: Literal["scale"] = "scale"
    question_id: Code
    value: Annotated[int, Field(strict=True)]


class ChoiceAnswer(DomainModel):
    kind: Literal["choice"] = "choice"
    question_id: Code
    option: Code


class FreeTextAnswer(DomainModel):
    """The respondent's own words, as submitted. Never part of a recorded response."""

    kind: Literal["free-text"] = "free-text"
    question_id: Code
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LONGEST_FREE_TEXT)
    ]


class FreeTextGiven(DomainModel):
    """In a recorded response: free text was given here, and is kept elsewhere, encrypted."""

    kind: Literal["free-text"] = "free-text"
    question_id: Code


Answer = Annotated[ScaleAnswer | ChoiceAnswer | FreeTextAnswer, Field(discriminator="kind")]
RecordedAnswer = Annotated[ScaleAnswer | ChoiceAnswer | FreeTextGiven, Field(discriminator="kind")]


class ConsentGivenBy(StrEnum):
    RESPONDENT = "respondent"
    PARENT_CARER = "parent-carer"


class Consent(DomainModel):
    """Consent to use the response: whether it was given, and by whom."""

    given: bool
    given_by: ConsentGivenBy = ConsentGivenBy.RESPONDENT


class Submission(DomainModel):
    """A response as it arrives. An anonymous one names no respondent and no child."""

    response_id: PseudonymousId
    survey_id: PseudonymousId
    voice: Voice
    place: Place
    anonymous: bool
    consent: Consent
    respondent_id: PersonId | None = None
    child_id: ChildId | None = None
    individual_complaint: bool = False
    answers: tuple[Answer, ...]


class ResponseStatus(StrEnum):
    """Only `accepted` responses count in published figures."""

    AWAITING_MODERATION = "awaiting_moderation"
    ACCEPTED = "accepted"
    ROUTED_TO_COMPLAINTS = "routed_to_complaints"
    WITHHELD = "withheld"
    WITHDRAWN = "withdrawn"


class Response(DomainModel):
    """A received response: codes, consent, place and where it stands. No free text."""

    response_id: PseudonymousId
    survey_id: PseudonymousId
    voice: Voice
    channel: Channel
    place: Place
    anonymous: bool
    respondent_id: PersonId | None = None
    child_id: ChildId | None = None
    consent: Consent
    received_on: date
    answers: tuple[RecordedAnswer, ...]
    status: ResponseStatus
    themes: tuple[Code, ...] = ()
    sentiment: Sentiment | None = None
    moderated_on: date | None = None
    complaint_reason: Code | None = None
    withdrawn_on: date | None = None

    @property
    def has_free_text(self) -> bool:
        return any(isinstance(answer, FreeTextGiven) for answer in self.answers)


COMPLAINT_FLAGGED_BY_RESPONDENT = "flagged_by_respondent"


def receive_response(
    survey: Survey, submission: Submission, received_on: date
) -> tuple[Response, dict[str, str]]:
    """Record a response to an open survey, and hand back its free text by question id.

    Refused without consent (a child's views need a parent's or carer's), from a voice the
    survey does not ask, when an anonymous response names someone, or when the answers do not
    fit the questions. A response the respondent marks as an individual complaint goes to the
    complaints process at once; one with free text waits for a moderator; the rest count now.
    """
    _check_open(survey, received_on)
    _check_respondent(survey, submission)
    answers, free_text = _record_answers(survey, submission)
    if submission.individual_complaint:
        status, reason = ResponseStatus.ROUTED_TO_COMPLAINTS, COMPLAINT_FLAGGED_BY_RESPONDENT
    elif free_text:
        status, reason = ResponseStatus.AWAITING_MODERATION, None
    else:
        status, reason = ResponseStatus.ACCEPTED, None
    response = Response(
        response_id=submission.response_id,
        survey_id=survey.survey_id,
        voice=submission.voice,
        channel=survey.channel,
        place=submission.place,
        anonymous=submission.anonymous,
        respondent_id=submission.respondent_id,
        child_id=submission.child_id,
        consent=submission.consent,
        received_on=received_on,
        answers=answers,
        status=status,
        complaint_reason=reason,
    )
    return response, free_text


def _check_open(survey: Survey, on: date) -> None:
    if survey.status is SurveyStatus.CLOSED or (
        survey.status is SurveyStatus.PUBLISHED and not is_open(survey, on)
    ):
        raise FeedbackRefused(RefusalCode.SURVEY_CLOSED)
    if survey.status is not SurveyStatus.PUBLISHED:
        raise FeedbackRefused(RefusalCode.SURVEY_NOT_OPEN, (survey.status.value,))


def _check_respondent(survey: Survey, submission: Submission) -> None:
    if submission.survey_id != survey.survey_id:
        raise FeedbackRefused(RefusalCode.RESPONSE_OF_ANOTHER_SURVEY, (submission.survey_id,))
    if not submission.consent.given:
        raise FeedbackRefused(RefusalCode.CONSENT_REQUIRED)
    if (
        submission.voice is Voice.CHILD
        and submission.consent.given_by is not ConsentGivenBy.PARENT_CARER
    ):
        raise FeedbackRefused(RefusalCode.CHILD_VIEWS_NEED_PARENT_CONSENT)
    if submission.voice not in survey.voices:
        raise FeedbackRefused(RefusalCode.VOICE_NOT_INVITED, (submission.voice.value,))
    named = submission.respondent_id is not None or submission.child_id is not None
    if submission.anonymous and named:
        raise FeedbackRefused(RefusalCode.ANONYMOUS_RESPONSE_NAMES_SOMEONE)
    if not submission.anonymous and submission.respondent_id is None:
        raise FeedbackRefused(RefusalCode.RESPONDENT_MISSING)


def _record_answers(
    survey: Survey, submission: Submission
) -> tuple[tuple[ScaleAnswer | ChoiceAnswer | FreeTextGiven, ...], dict[str, str]]:
    if not submission.answers:
        raise FeedbackRefused(RefusalCode.NO_ANSWERS)
    counts = Counter(answer.question_id for answer in submission.answers)
    if twice := tuple(sorted(q for q, n in counts.items() if n > 1)):
        raise FeedbackRefused(RefusalCode.QUESTION_ANSWERED_TWICE, twice)
    recorded: list[ScaleAnswer | ChoiceAnswer | FreeTextGiven] = []
    free_text: dict[str, str] = {}
    for answer in submission.answers:
        try:
            question = survey.question(answer.question_id)
        except KeyError:
            raise FeedbackRefused(RefusalCode.UNKNOWN_QUESTION, (answer.question_id,)) from None
        if question.kind != answer.kind:
            raise FeedbackRefused(RefusalCode.ANSWER_OF_WRONG_KIND, (answer.question_id,))
        if isinstance(answer, ScaleAnswer):
            assert isinstance(question, ScaleQuestion)
            if not question.low <= answer.value <= question.high:
                raise FeedbackRefused(RefusalCode.SCALE_VALUE_OUT_OF_RANGE, (answer.question_id,))
            recorded.append(answer)
        elif isinstance(answer, ChoiceAnswer):
            assert isinstance(question, ChoiceQuestion)
            if answer.option not in question.options:
                raise FeedbackRefused(RefusalCode.UNKNOWN_OPTION, (answer.question_id,))
            recorded.append(answer)
        else:
            assert isinstance(question, FreeTextQuestion)
            if len(answer.text) > question.max_length:
                raise FeedbackRefused(RefusalCode.FREE_TEXT_TOO_LONG, (answer.question_id,))
            recorded.append(FreeTextGiven(question_id=answer.question_id))
            free_text[answer.question_id] = answer.text
    return tuple(recorded), free_text
