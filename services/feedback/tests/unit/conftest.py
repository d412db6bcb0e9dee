"""Fixtures for the feedback domain: a published survey with one question of each kind, and a
parent's submission to it answering all three."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from feedback.domain.response import (
    ChoiceAnswer,
    Consent,
    ConsentGivenBy,
    FreeTextAnswer,
    Response,
    ScaleAnswer,
    Submission,
    receive_response,
)
from feedback.domain.survey import (
    ChoiceQuestion,
    FreeTextQuestion,
    ScaleQuestion,
    Survey,
    draft_survey,
    publish_survey,
)
from feedback.domain.values import Channel, Place, Voice
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import District

PUBLISHED_ON = date(2026, 10, 1)
RECEIVED_ON = date(2026, 10, 12)
WORDS = "The SENCO listened, but the transport was late every week."

SubmissionFor = Callable[..., Submission]
Received = Callable[..., Response]


def placement_survey() -> Survey:
    """'How is your child's placement going?' for parents, children and young people."""
    draft = draft_survey(
        survey_id="survey-placements-2026",
        title="How is the placement going?",
        channel=Channel.SURVEY,
        voices=(Voice.PARENT_CARER, Voice.CHILD, Voice.YOUNG_PERSON),
        questions=(
            ScaleQuestion(question_id="overall", prompt="How happy are you overall?"),
            ChoiceQuestion(
                question_id="listened_to",
                prompt="Did the school listen to you?",
                options=("yes", "partly", "no"),
            ),
            FreeTextQuestion(question_id="tell_us_more", prompt="Tell us more", max_length=500),
        ),
        closes_on=date(2026, 12, 31),
    )
    return publish_survey(draft, PUBLISHED_ON)


@pytest.fixture
def survey() -> Survey:
    return placement_survey()


@pytest.fixture
def submission() -> SubmissionFor:
    """A named parent's response answering every question; change any field by keyword."""

    def build(**changes: Any) -> Submission:
        fields: dict[str, Any] = {
            "response_id": "response-1",
            "survey_id": "survey-placements-2026",
            "voice": Voice.PARENT_CARER,
            "place": Place.of(District.THANET, "cos-thanet-1"),
            "anonymous": False,
            "consent": Consent(given=True),
            "respondent_id": person_id_for("parent-1"),
            "child_id": "child-4b8669e033ccb7794915",
            "answers": (
                ScaleAnswer(question_id="overall", value=4),
                ChoiceAnswer(question_id="listened_to", option="partly"),
                FreeTextAnswer(question_id="tell_us_more", text=WORDS),
            ),
        }
        return Submission(**{**fields, **changes})

    return build


@pytest.fixture
def received(survey: Survey, submission: SubmissionFor) -> Received:
    """A recorded response (its free text split off), built from a changed submission."""

    def build(**changes: Any) -> Response:
        return receive_response(survey, submission(**changes), RECEIVED_ON)[0]

    return build


CODES_ONLY = {
    "answers": (
        ScaleAnswer(question_id="overall", value=2),
        ChoiceAnswer(question_id="listened_to", option="no"),
    )
}
CHILD_VIA_PARENT = {
    "voice": Voice.CHILD,
    "consent": Consent(given=True, given_by=ConsentGivenBy.PARENT_CARER),
}
