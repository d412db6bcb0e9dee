"""Feedback events: surveys and forum items, responses, themes with their "You said, we did"
actions, and invitations to give views. A response's free text stays in the feedback service,
encrypted under its respondent's key: events carry answer codes, theme and sentiment codes only,
and no respondent's id."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.identifiers import ChildId
from inclusion_shared.kent import Area, District

SURVEY = topic_named("feedback.survey.v1")
RESPONSE = topic_named("feedback.response.v1")
THEME = topic_named("feedback.theme.v1")
INVITATION = topic_named("feedback.invitation.v1")

Voice = Literal["child", "young-person", "parent-carer", "professional", "setting"]
Channel = Literal["survey", "forum-meeting", "local-offer"]
QuestionKind = Literal["scale", "choice", "free-text"]
Sentiment = Literal["positive", "neutral", "negative", "mixed"]
ActionStatus = Literal["planned", "in-progress", "done", "not-taken"]
InvitationCause = Literal["placement-started", "funding-decision", "review-follow-up"]

_SURVEY_ID = "Pseudonymous id of the survey or forum item."
_RESPONSE_ID = "Pseudonymous id of the response."
_QUESTION_ID = "The question's code (snake_case), unique within its survey."
_CHANNEL = "How the views reach the forum: survey, forum-meeting or local-offer (the Local Offer)."
_VOICE = (
    "Whose views: child, young-person (16+), parent-carer, professional, or setting (a "
    "school or setting as a whole)."
)
_THEMES = "Theme codes (snake_case), in code order; at least one."
_ACTION_ID = 'Pseudonymous id of the "You said, we did" action.'
_OWNER_ROLE = (
    "The role that owns the action and reports its progress: kcc-officer, senco, "
    "panel-member or area-board."
)
_ACTION_STATUS = (
    "planned, in-progress, done or not-taken; it only moves forward (planned, in-progress, "
    "done), or to not-taken, and done and not-taken are final."
)


class QuestionRecord(EventData):
    """A question's shape: its kind, the scale's range or the choice's option codes."""

    question_id: str = Field(description=_QUESTION_ID)
    kind: QuestionKind = Field(description="scale (a rating), choice (one option) or free-text.")
    low: int | None = Field(
        None, description="The lowest value of a scale (0 to 10); null unless kind is scale."
    )
    high: int | None = Field(
        None,
        description="The highest value of a scale (1 to 10, above low); null unless kind is scale.",
    )
    options: tuple[str, ...] = Field(
        (),
        description="A choice's option codes (2 to 20, snake_case); empty unless kind is choice.",
    )


class SurveyPublished(EventData):
    """A survey or forum item opened for the voices it is aimed at, through one channel."""

    survey_id: str = Field(description=_SURVEY_ID)
    channel: Channel = Field(description=_CHANNEL)
    voices: tuple[Voice, ...] = Field(description="The voices it asks, at least one. " + _VOICE)
    questions: tuple[QuestionRecord, ...] = Field(
        description="Its questions' shapes, in order, without their wording; at least one."
    )
    published_on: date = Field(description="The day it opened for responses.")
    closes_on: date | None = Field(
        None,
        description=(
            "The last day it takes responses; null when it stays open until closed "
            "(feedback.survey.closed)."
        ),
    )


class SurveyClosed(EventData):
    """A survey or forum item stopped taking responses."""

    survey_id: str = Field(description=_SURVEY_ID)
    closed_on: date = Field(
        description="The day it was closed; responses received before still count."
    )


class AnswerCode(EventData):
    """One answer as a code: a scale value, a choice's option, or only that free text was given
    (the text itself never leaves the feedback service)."""

    question_id: str = Field(description=_QUESTION_ID)
    kind: QuestionKind = Field(description="The question's kind: scale, choice or free-text.")
    value: int | None = Field(
        None,
        description="The value given, from the scale's low to its high; null unless kind is scale.",
    )
    option: str | None = Field(
        None, description="The option code chosen; null unless kind is choice."
    )


class ResponseReceived(EventData):
    """A response with consent, as codes and coarse place only. ``status`` says whether it counts
    now (``accepted``), waits for a moderator (free text), or went to the complaints process."""

    response_id: str = Field(description=_RESPONSE_ID)
    survey_id: str = Field(description=_SURVEY_ID)
    voice: Voice = Field(description=_VOICE)
    channel: Channel = Field(description=_CHANNEL + " The survey's channel.")
    district: District = Field(
        description=(
            "The Kent district the views are from: the respondent's choice, or the invitation's "
            "when answering one."
        )
    )
    area: Area = Field(description="The Kent area (Area Board) of the district.")
    community_of_schools: str | None = Field(
        None,
        description="Pseudonymous id of the Community of Schools; null when not known.",
    )
    anonymous: bool = Field(description="True when the response names no respondent and no child.")
    answers: tuple[AnswerCode, ...] = Field(
        description="The answers as codes, at most one per question; at least one."
    )
    status: Literal["accepted", "awaiting_moderation", "routed_to_complaints"] = Field(
        description=(
            "accepted: counts in published figures now; awaiting_moderation: it has free text "
            "and counts once a moderator tags it; routed_to_complaints: the respondent marked "
            "it an individual complaint (feedback.response.routed-to-complaints follows)."
        )
    )
    received_on: date = Field(description="The day the response was received.")


class ResponseTagged(EventData):
    """A moderator tagged a response with theme codes and a sentiment; it now counts."""

    response_id: str = Field(description=_RESPONSE_ID)
    survey_id: str = Field(description=_SURVEY_ID)
    themes: tuple[str, ...] = Field(
        description=_THEMES + " They replace any tags the response had before."
    )
    sentiment: Sentiment = Field(description="The moderator's reading of the response as a whole.")
    tagged_on: date = Field(description="The day the response was tagged.")


class ResponseRoutedToComplaints(EventData):
    """An individual complaint: handed to the complaints process and never published."""

    response_id: str = Field(description=_RESPONSE_ID)
    survey_id: str = Field(description=_SURVEY_ID)
    reason: str = Field(
        description=(
            "A snake_case code: flagged_by_respondent when the respondent marked it, otherwise "
            "the moderator's reason."
        )
    )
    routed_on: date = Field(description="The day it was handed to the complaints process.")


class ResponseWithheld(EventData):
    """Abusive content: withheld from everything published."""

    response_id: str = Field(description=_RESPONSE_ID)
    survey_id: str = Field(description=_SURVEY_ID)
    reason: Literal["abusive"] = Field(description="Always abusive.")
    withheld_on: date = Field(description="The day a moderator withheld it.")


class ResponseWithdrawn(EventData):
    """Consent was withdrawn (or the respondent's details erased): the response leaves every
    aggregate, and its free text is deleted."""

    response_id: str = Field(description=_RESPONSE_ID)
    survey_id: str = Field(description=_SURVEY_ID)
    reason: Literal["consent_withdrawn", "erasure"] = Field(
        description=(
            "consent_withdrawn: by the respondent, or an officer on their behalf; erasure: the "
            "person's feedback was erased."
        )
    )
    withdrawn_on: date = Field(description="The day it was withdrawn.")


class ThemeIdentified(EventData):
    """A theme code used for the first time, and where it was first heard."""

    theme: str = Field(description="The theme code (snake_case), new to the feedback service.")
    identified_on: date = Field(description="The day a moderator first tagged a response with it.")
    survey_id: str = Field(description="The survey of that first response.")
    district: District = Field(description="The Kent district of that first response.")
    area: Area = Field(description="The Kent area (Area Board) of that district.")


class ActionPublished(EventData):
    """A "You said, we did" action answering themes, with the role that owns it. Its wording is
    published by the feedback service's API."""

    action_id: str = Field(description=_ACTION_ID)
    themes: tuple[str, ...] = Field(
        description=_THEMES + " Each was identified before (feedback.theme.identified)."
    )
    owner_role: str = Field(description=_OWNER_ROLE)
    status: ActionStatus = Field(
        description="The status when published: planned. " + _ACTION_STATUS
    )
    published_on: date = Field(description="The day the action was published.")
    due_on: date | None = Field(
        None,
        description="The day it is due, never before published_on; null when no date was set.",
    )


class ActionUpdated(EventData):
    """A "You said, we did" action moved on; ``reason`` is a code (why it was not taken)."""

    action_id: str = Field(description=_ACTION_ID)
    themes: tuple[str, ...] = Field(description=_THEMES)
    owner_role: str = Field(description=_OWNER_ROLE)
    status: ActionStatus = Field(description="The new status. " + _ACTION_STATUS)
    updated_on: date = Field(description="The day of the update.")
    reason: str | None = Field(
        None,
        description=(
            "A snake_case code given with this update, required when status is not-taken; "
            "null when none was given."
        ),
    )


class InvitationIssued(EventData):
    """An invitation to give views, caused by another service's event and due on ``due_on``.
    Pseudonymous ids and coarse place only: who to contact is resolved by whoever sends it."""

    invitation_id: str = Field(
        description="Id of the invitation; the same cause always gives the same id."
    )
    cause: InvitationCause = Field(
        description=(
            "What caused it: placement-started (placements.placement.started), funding-decision "
            "(funding.decision.recorded, not for a deferral) or review-follow-up "
            "(reviews.review.follow-up-completed)."
        )
    )
    cause_id: str = Field(
        description=("The placement id, the funding decision id or the review id of the cause.")
    )
    voice: Voice = Field(
        description=(
            "Who is invited: parent-carer (or young-person from post-16) after a placement "
            "starts, professional (the setting's SENCO) after a funding decision, setting after "
            "a review's follow-up."
        )
    )
    child_id: ChildId | None = Field(
        None,
        description=(
            "Server-minted pseudonymous id of the child, for placement-started; null for the "
            "other causes."
        ),
    )
    setting_id: str = Field(
        description=(
            "The setting concerned: where the placement started, the setting the funding "
            "decision was about, or the reviewed setting."
        )
    )
    district: District = Field(description="The Kent district of the causing event.")
    area: Area = Field(description="The Kent area (Area Board) of the district.")
    community_of_schools: str | None = Field(
        None,
        description=(
            "Pseudonymous id of the Community of Schools (the setting's, or the review "
            "cycle's); null when not known."
        ),
    )
    issued_on: date = Field(description="The day of the causing event (its CloudEvent time).")
    due_on: date = Field(
        description=(
            "The day the views are to be asked for: a configured number of weeks after the "
            "placement started, the decision was made or the follow-up was completed."
        )
    )


SURVEY_PUBLISHED = CONTRACTS.register("feedback.survey.published", SURVEY, SurveyPublished)
SURVEY_CLOSED = CONTRACTS.register("feedback.survey.closed", SURVEY, SurveyClosed)
RESPONSE_RECEIVED = CONTRACTS.register("feedback.response.received", RESPONSE, ResponseReceived)
RESPONSE_TAGGED = CONTRACTS.register("feedback.response.tagged", RESPONSE, ResponseTagged)
RESPONSE_ROUTED_TO_COMPLAINTS = CONTRACTS.register(
    "feedback.response.routed-to-complaints", RESPONSE, ResponseRoutedToComplaints
)
RESPONSE_WITHHELD = CONTRACTS.register("feedback.response.withheld", RESPONSE, ResponseWithheld)
RESPONSE_WITHDRAWN = CONTRACTS.register("feedback.response.withdrawn", RESPONSE, ResponseWithdrawn)
THEME_IDENTIFIED = CONTRACTS.register("feedback.theme.identified", THEME, ThemeIdentified)
ACTION_PUBLISHED = CONTRACTS.register("feedback.theme.action-published", THEME, ActionPublished)
ACTION_UPDATED = CONTRACTS.register("feedback.theme.action-updated", THEME, ActionUpdated)
INVITATION_ISSUED = CONTRACTS.register("feedback.invitation.issued", INVITATION, InvitationIssued)
