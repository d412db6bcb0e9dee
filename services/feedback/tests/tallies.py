"""What the store counts in SQL, counted again in Python from responses: the unit tests build
published figures from these, and an integration test holds the store's SQL to them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from feedback.domain.aggregates import (
    NOT_KNOWN,
    PlaceLevel,
    QuestionFigures,
    SurveyFigures,
    Tally,
    Within,
    places_in,
    question_figures,
    respondents_table,
    sentiment_table,
    survey_figures,
    themes_table,
)
from feedback.domain.moderation import counts
from feedback.domain.response import ChoiceAnswer, Response, ScaleAnswer
from feedback.domain.survey import Survey
from inclusion_shared.disclosure import PublishedTable
from inclusion_shared.kent import Area


def place_of(response: Response, by: PlaceLevel) -> str:
    if by is PlaceLevel.DISTRICT:
        return response.place.district.value
    if by is PlaceLevel.AREA:
        return response.place.area.value
    return response.place.community_of_schools or NOT_KNOWN


def _tally(
    responses: Iterable[Response],
    by: PlaceLevel,
    area: Area | None,
    labels: Callable[[Response], Iterable[str]],
) -> Tally:
    within = [r for r in responses if counts(r) and (area is None or r.place.area is area)]
    return dict(Counter((label, place_of(r, by)) for r in within for label in labels(r)))


def respondents(responses: Iterable[Response], by: PlaceLevel, area: Area | None = None) -> Tally:
    return _tally(responses, by, area, lambda r: [r.voice.value])


def themes(responses: Iterable[Response], by: PlaceLevel, area: Area | None = None) -> Tally:
    return _tally(responses, by, area, lambda r: r.themes)


def sentiments(responses: Iterable[Response], by: PlaceLevel, area: Area | None = None) -> Tally:
    return _tally(responses, by, area, lambda r: [r.sentiment.value] if r.sentiment else [])


def answers(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None
) -> dict[str, Tally]:
    """Per question, answers by option (a scale's value as text) and place."""
    chosen = list(responses)
    questions = {a.question_id for r in chosen for a in r.answers}
    return {
        question: tally
        for question in sorted(questions)
        if (tally := _tally(chosen, by, area, lambda r, q=question: _options(r, q)))
    }


def _options(response: Response, question_id: str) -> list[str]:
    return [
        str(a.value) if isinstance(a, ScaleAnswer) else a.option
        for a in response.answers
        if a.question_id == question_id and isinstance(a, ScaleAnswer | ChoiceAnswer)
    ]


def _within(responses: Iterable[Response], within: Within) -> list[Response]:
    """The responses from the districts a reader's scope reaches (all, for None)."""
    return [r for r in responses if within is None or r.place.district in within]


def figures_of(
    survey: Survey,
    responses: Iterable[Response],
    by: PlaceLevel,
    area: Area | None = None,
    within: Within = None,
) -> SurveyFigures:
    """A survey's published figures, from its responses (those `within` reach)."""
    chosen = _within(responses, within)
    return survey_figures(
        survey, respondents(chosen, by, area), answers(chosen, by, area), by, area, within
    )


def respondents_table_of(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None
) -> PublishedTable:
    return respondents_table(respondents(responses, by, area), by, area)


def themes_table_of(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None, within: Within = None
) -> PublishedTable:
    chosen = _within(responses, within)
    seen = places_in(respondents(chosen, by, area))
    return themes_table(themes(chosen, by, area), seen, by, area, within)


def sentiment_table_of(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None, within: Within = None
) -> PublishedTable:
    chosen = _within(responses, within)
    return sentiment_table(sentiments(chosen, by, area), by, area, within)


def question_figures_of(
    survey: Survey,
    question_id: str,
    responses: Iterable[Response],
    by: PlaceLevel,
    area: Area | None = None,
) -> QuestionFigures:
    chosen = list(responses)
    answered = answers(chosen, by, area).get(question_id, {})
    seen = places_in(respondents(chosen, by, area))
    return question_figures(survey, question_id, answered, seen, by, area)
