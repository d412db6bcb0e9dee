"""A moderator's work: tagging responses with themes (identifying new ones), routing individual
complaints, withholding abusive content."""

from __future__ import annotations

from datetime import date

from feedback.access import POLICY, response_record
from feedback.adapters import FeedbackStore, StoredResponse
from feedback.domain.errors import FeedbackRefused
from feedback.domain.moderation import route_to_complaints, tag, withhold_as_abusive
from feedback.domain.response import Response
from feedback.domain.themes import newly_identified
from feedback.domain.values import Sentiment
from feedback.handlers.refusals import as_problem
from feedback.handlers.responses import routed_event
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.feedback import (
    RESPONSE_ROUTED_TO_COMPLAINTS,
    RESPONSE_TAGGED,
    RESPONSE_WITHHELD,
    THEME_IDENTIFIED,
    ResponseTagged,
    ResponseWithheld,
    ThemeIdentified,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import NotFound


async def _stored(
    store: FeedbackStore, who: Principal, action: str, response_id: str
) -> StoredResponse:
    """The response, locked for change, once `who` may do `action` to it."""
    stored = await store.response(response_id, for_update=True)
    if stored is None:
        raise NotFound(f"no response {response_id}")
    POLICY.check(who, action, response_record(stored.response))
    return stored


async def tag_themes(
    work: UnitOfWork,
    who: Principal,
    response_id: str,
    themes: tuple[str, ...],
    sentiment: Sentiment,
    today: date,
) -> Response:
    """Tag a response; a theme code used for the first time is identified as a new theme."""
    store = FeedbackStore(work.connection)
    stored = await _stored(store, who, "response.tag", response_id)
    try:
        tagged = tag(stored.response, themes, sentiment, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_response(tagged)
    for theme in newly_identified(await store.theme_names(), tagged):
        # Two moderators may name a new theme at once: the first to commit identifies it.
        if await store.add_theme(theme):
            work.emit(
                THEME_IDENTIFIED.type,
                theme.theme,
                ThemeIdentified(
                    theme=theme.theme,
                    identified_on=theme.identified_on,
                    survey_id=theme.survey_id,
                    district=theme.place.district,
                    area=theme.place.area,
                ),
            )
    work.emit(
        RESPONSE_TAGGED.type,
        response_id,
        ResponseTagged(
            response_id=response_id,
            survey_id=tagged.survey_id,
            themes=tagged.themes,
            sentiment=sentiment.value,
            tagged_on=today,
        ),
    )
    return tagged


async def route(
    work: UnitOfWork, who: Principal, response_id: str, reason: str, today: date
) -> Response:
    """Hand an individual complaint to the complaints process; it is never published."""
    store = FeedbackStore(work.connection)
    stored = await _stored(store, who, "response.route", response_id)
    try:
        routed = route_to_complaints(stored.response, reason, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_response(routed)
    work.emit(RESPONSE_ROUTED_TO_COMPLAINTS.type, response_id, routed_event(routed, today))
    return routed


async def withhold(work: UnitOfWork, who: Principal, response_id: str, today: date) -> Response:
    """Withhold abusive content from everything published."""
    store = FeedbackStore(work.connection)
    stored = await _stored(store, who, "response.withhold", response_id)
    try:
        withheld = withhold_as_abusive(stored.response, today)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_response(withheld)
    work.emit(
        RESPONSE_WITHHELD.type,
        response_id,
        ResponseWithheld(
            response_id=response_id,
            survey_id=withheld.survey_id,
            reason="abusive",
            withheld_on=today,
        ),
    )
    return withheld
