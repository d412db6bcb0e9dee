"""Moderation and consent: tagging themes, routing complaints, withholding abuse, withdrawing
consent, and which responses count."""

from datetime import date

import pytest

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.moderation import (
    counts,
    route_to_complaints,
    tag,
    withdraw_consent,
    withhold_as_abusive,
)
from feedback.domain.response import Response, ResponseStatus
from feedback.domain.themes import newly_identified
from feedback.domain.values import Sentiment

from .conftest import CODES_ONLY, RECEIVED_ON, Received

MODERATED_ON = date(2026, 10, 14)


@pytest.fixture
def awaiting(received: Received) -> Response:
    return received()


def test_tagging_a_response_with_themes_makes_it_count(awaiting: Response) -> None:
    tagged = tag(
        awaiting, ("transport", "communication", "transport"), Sentiment.MIXED, MODERATED_ON
    )

    assert tagged.status is ResponseStatus.ACCEPTED
    assert tagged.themes == ("communication", "transport")
    assert (tagged.sentiment, tagged.moderated_on) == (Sentiment.MIXED, MODERATED_ON)
    assert not counts(awaiting) and counts(tagged)


def test_tagging_again_replaces_the_earlier_tags(awaiting: Response) -> None:
    first = tag(awaiting, ("transport",), Sentiment.NEGATIVE, MODERATED_ON)
    again = tag(first, ("communication",), Sentiment.POSITIVE, MODERATED_ON)
    assert (again.themes, again.sentiment) == (("communication",), Sentiment.POSITIVE)


def test_a_tag_needs_at_least_one_theme(awaiting: Response) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        tag(awaiting, (), Sentiment.NEUTRAL, MODERATED_ON)
    assert refused.value.code is RefusalCode.THEMES_MISSING


def test_a_response_cannot_be_moderated_before_it_was_received(awaiting: Response) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        tag(awaiting, ("transport",), Sentiment.NEUTRAL, date(2026, 10, 1))
    assert refused.value.code is RefusalCode.MODERATED_BEFORE_RECEIVED


def test_a_moderator_routes_an_individual_complaint_and_it_never_counts(
    awaiting: Response,
) -> None:
    routed = route_to_complaints(awaiting, "about_one_childs_case", MODERATED_ON)
    assert routed.status is ResponseStatus.ROUTED_TO_COMPLAINTS
    assert routed.complaint_reason == "about_one_childs_case"
    assert not counts(routed)


def test_abusive_content_is_withheld_and_never_counts(awaiting: Response) -> None:
    withheld = withhold_as_abusive(awaiting, MODERATED_ON)
    assert withheld.status is ResponseStatus.WITHHELD
    assert not counts(withheld)


@pytest.mark.parametrize(
    "moderate",
    [
        lambda r: route_to_complaints(r, "about_one_childs_case", MODERATED_ON),
        lambda r: withhold_as_abusive(r, MODERATED_ON),
        lambda r: withdraw_consent(r, MODERATED_ON),
    ],
    ids=["routed", "withheld", "withdrawn"],
)
def test_a_routed_withheld_or_withdrawn_response_cannot_be_tagged_into_the_figures(
    awaiting: Response, moderate: object
) -> None:
    assert callable(moderate)
    closed = moderate(awaiting)
    with pytest.raises(FeedbackRefused) as refused:
        tag(closed, ("transport",), Sentiment.NEUTRAL, MODERATED_ON)
    assert refused.value.code is RefusalCode.RESPONSE_NOT_OPEN_TO_MODERATION


def test_withdrawing_consent_takes_a_counted_response_out_of_the_figures(
    received: Received,
) -> None:
    accepted = received(**CODES_ONLY)
    withdrawn = withdraw_consent(accepted, date(2026, 11, 3))

    assert counts(accepted) and not counts(withdrawn)
    assert (withdrawn.status, withdrawn.withdrawn_on) == (
        ResponseStatus.WITHDRAWN,
        date(2026, 11, 3),
    )


def test_consent_is_withdrawn_once(received: Received) -> None:
    withdrawn = withdraw_consent(received(), MODERATED_ON)
    with pytest.raises(FeedbackRefused) as refused:
        withdraw_consent(withdrawn, MODERATED_ON)
    assert refused.value.code is RefusalCode.CONSENT_ALREADY_WITHDRAWN


def test_consent_cannot_be_withdrawn_before_the_response_was_received(
    received: Received,
) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        withdraw_consent(received(), date(2026, 10, 1))
    assert refused.value.code is RefusalCode.WITHDRAWN_BEFORE_RECEIVED


def test_a_complaint_can_still_have_its_consent_withdrawn(received: Received) -> None:
    routed = received(individual_complaint=True)
    assert withdraw_consent(routed, RECEIVED_ON).status is ResponseStatus.WITHDRAWN


def test_a_theme_is_identified_the_first_time_a_moderator_uses_it(awaiting: Response) -> None:
    tagged = tag(awaiting, ("transport", "communication"), Sentiment.NEGATIVE, MODERATED_ON)

    [theme] = newly_identified({"communication"}, tagged)

    assert (theme.theme, theme.identified_on, theme.survey_id) == (
        "transport",
        MODERATED_ON,
        "survey-placements-2026",
    )
    assert theme.place == awaiting.place
    assert newly_identified({"communication", "transport"}, tagged) == ()
