"""Feedback events: surveys and forum items, responses, themes with their "You said, we did"
actions, and invitations to give views. A response's free text stays in the feedback service,
encrypted under its respondent's key: events carry answer codes, theme and sentiment codes only,
and no respondent's id."""

from __future__ import annotations

from datetime import date
from typing import Literal

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
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


class QuestionRecord(EventData):
    """A question's shape: its kind, the scale's range or the choice's option codes."""

    question_id: str
    kind: QuestionKind
    low: int | None = None
    high: int | None = None
    options: tuple[str, ...] = ()


class SurveyPublished(EventData):
    """A survey or forum item opened for the voices it is aimed at, through one channel."""

    survey_id: str
    channel: Channel
    voices: tuple[Voice, ...]
    questions: tuple[QuestionRecord, ...]
    published_on: date
    closes_on: date | None = None


class SurveyClosed(EventData):
    """A survey or forum item stopped taking responses."""

    survey_id: str
    closed_on: date


class AnswerCode(EventData):
    """One answer as a code: a scale value, a choice's option, or only that free text was given
    (the text itself never leaves the feedback service)."""

    question_id: str
    kind: QuestionKind
    value: int | None = None
    option: str | None = None


class ResponseReceived(EventData):
    """A response with consent, as codes and coarse place only. ``status`` says whether it counts
    now (``accepted``), waits for a moderator (free text), or went to the complaints process."""

    response_id: str
    survey_id: str
    voice: Voice
    channel: Channel
    district: District
    area: Area
    community_of_schools: str | None = None
    anonymous: bool
    answers: tuple[AnswerCode, ...]
    status: Literal["accepted", "awaiting_moderation", "routed_to_complaints"]
    received_on: date


class ResponseTagged(EventData):
    """A moderator tagged a response with theme codes and a sentiment; it now counts."""

    response_id: str
    survey_id: str
    themes: tuple[str, ...]
    sentiment: Sentiment
    tagged_on: date


class ResponseRoutedToComplaints(EventData):
    """An individual complaint: handed to the complaints process and never published."""

    response_id: str
    survey_id: str
    reason: str
    routed_on: date


class ResponseWithheld(EventData):
    """Abusive content: withheld from everything published."""

    response_id: str
    survey_id: str
    reason: Literal["abusive"]
    withheld_on: date


class ResponseWithdrawn(EventData):
    """Consent was withdrawn (or the respondent's details erased): the response leaves every
    aggregate, and its free text is deleted."""

    response_id: str
    survey_id: str
    reason: Literal["consent_withdrawn", "erasure"]
    withdrawn_on: date


class ThemeIdentified(EventData):
    """A theme code used for the first time, and where it was first heard."""

    theme: str
    identified_on: date
    survey_id: str
    district: District
    area: Area


class ActionPublished(EventData):
    """A "You said, we did" action answering themes, with the role that owns it. Its wording is
    published by the feedback service's API."""

    action_id: str
    themes: tuple[str, ...]
    owner_role: str
    status: ActionStatus
    published_on: date
    due_on: date | None = None


class ActionUpdated(EventData):
    """A "You said, we did" action moved on; ``reason`` is a code (why it was not taken)."""

    action_id: str
    themes: tuple[str, ...]
    owner_role: str
    status: ActionStatus
    updated_on: date
    reason: str | None = None


class InvitationIssued(EventData):
    """An invitation to give views, caused by another service's event and due on ``due_on``.
    Pseudonymous ids and coarse place only: who to contact is resolved by whoever sends it."""

    invitation_id: str
    cause: InvitationCause
    cause_id: str
    voice: Voice
    child_id: str | None = None
    setting_id: str
    district: District
    area: Area
    community_of_schools: str | None = None
    issued_on: date
    due_on: date


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
