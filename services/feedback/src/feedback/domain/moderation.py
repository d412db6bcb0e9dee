"""Moderation and consent: what a moderator does with a response, and what withdrawing consent
does to it.

A moderator tags a response with theme codes and a sentiment (it then counts), routes an
individual complaint to the complaints process, or withholds abusive content. Neither of the last
two is ever published. Withdrawing consent takes a response out of every published figure.
"""

from datetime import date

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.response import Response, ResponseStatus
from feedback.domain.values import Sentiment

OPEN_TO_MODERATION = {ResponseStatus.AWAITING_MODERATION, ResponseStatus.ACCEPTED}


def _check_moderatable(response: Response, on: date) -> None:
    if response.status not in OPEN_TO_MODERATION:
        raise FeedbackRefused(RefusalCode.RESPONSE_NOT_OPEN_TO_MODERATION, (response.status.value,))
    if on < response.received_on:
        raise FeedbackRefused(RefusalCode.MODERATED_BEFORE_RECEIVED)


def tag(response: Response, themes: tuple[str, ...], sentiment: Sentiment, on: date) -> Response:
    """Tag a response with theme codes and a sentiment; it is accepted and counts from now on.
    Tagging again replaces the earlier tags."""
    _check_moderatable(response, on)
    if not themes:
        raise FeedbackRefused(RefusalCode.THEMES_MISSING)
    return response.evolve(
        status=ResponseStatus.ACCEPTED,
        themes=tuple(sorted(set(themes))),
        sentiment=sentiment,
        moderated_on=on,
    )


def route_to_complaints(response: Response, reason: str, on: date) -> Response:
    """An individual complaint goes to the complaints process, with a reason code, and is never
    published."""
    _check_moderatable(response, on)
    return response.evolve(
        status=ResponseStatus.ROUTED_TO_COMPLAINTS, complaint_reason=reason, moderated_on=on
    )


def withhold_as_abusive(response: Response, on: date) -> Response:
    """Abusive content is withheld from everything published."""
    _check_moderatable(response, on)
    return response.evolve(status=ResponseStatus.WITHHELD, moderated_on=on)


def withdraw_consent(response: Response, on: date) -> Response:
    """The respondent withdraws consent: the response leaves every published figure, whatever
    state it was in."""
    if response.status is ResponseStatus.WITHDRAWN:
        raise FeedbackRefused(RefusalCode.CONSENT_ALREADY_WITHDRAWN)
    if on < response.received_on:
        raise FeedbackRefused(RefusalCode.WITHDRAWN_BEFORE_RECEIVED)
    return response.evolve(status=ResponseStatus.WITHDRAWN, withdrawn_on=on)


COUNTED_STATUS = ResponseStatus.ACCEPTED
"""The one status in which a response counts in published figures."""


def counts(response: Response) -> bool:
    """Whether a response counts in published figures: accepted, with consent not withdrawn.
    Complaints, withheld content and responses awaiting a moderator never count. (The store
    counts by this rule in SQL.)"""
    return response.status is COUNTED_STATUS and response.consent.given
