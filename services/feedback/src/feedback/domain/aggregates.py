"""Published figures: who responded, how they answered, which themes and sentiments were heard,
by district, area or Community of Schools, under disclosure control.

Only responses that count are in any figure (accepted, consent not withdrawn), so withdrawing
consent takes a response out of every table at once. Every table goes through the kit's one
disclosure control: counts below 5 are `c`, with secondary suppression so no total reveals them;
a percentage needs 30 respondents, and is `c` whenever its count or its base is suppressed, since
a published share of a published base would give the count back.

Each table is protected on its own. Tables of the same responses at two levels of place are
linked (an area's column adds up its districts' columns), and guarding against differencing
across them would need protection of the linked set as one; that is not done here.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.moderation import counts
from feedback.domain.response import ChoiceAnswer, Response, ScaleAnswer
from feedback.domain.survey import CountedQuestion, FreeTextQuestion, ScaleQuestion, Survey
from feedback.domain.values import DomainModel, PseudonymousId, Sentiment, Voice
from inclusion_shared.disclosure import (
    Published,
    PublishedTable,
    Symbol,
    percentage,
    suppress_table,
)
from inclusion_shared.kent import Area, District, districts_in

SMALLEST_PUBLISHED_COUNT = 5
FEWEST_RESPONDENTS_FOR_A_PERCENTAGE = 30
NOT_KNOWN = "not-known"
"""The Community of Schools column for responses whose community is not known."""

Share = Decimal | Symbol


class PlaceLevel(StrEnum):
    """How finely figures are broken down by place."""

    DISTRICT = "district"
    AREA = "area"
    COMMUNITY_OF_SCHOOLS = "community_of_schools"


class QuestionFigures(DomainModel):
    """How one scale or choice question was answered: counts by option (rows) and place
    (columns), and each count as a percentage of its place's respondents to the question."""

    question_id: str
    kind: str
    counts: PublishedTable
    percentages: tuple[tuple[Share, ...], ...]
    overall_percentages: tuple[Share, ...]


class SurveyFigures(DomainModel):
    """A survey's published figures at one level of place."""

    survey_id: PseudonymousId
    by: PlaceLevel
    respondents: PublishedTable
    questions: tuple[QuestionFigures, ...]


def counted(responses: Iterable[Response]) -> list[Response]:
    """The responses that count in published figures."""
    return [response for response in responses if counts(response)]


def _place(response: Response, by: PlaceLevel) -> str:
    if by is PlaceLevel.DISTRICT:
        return response.place.district.value
    if by is PlaceLevel.AREA:
        return response.place.area.value
    return response.place.community_of_schools or NOT_KNOWN


def _within(responses: Iterable[Response], area: Area | None) -> list[Response]:
    return [r for r in counted(responses) if area is None or r.place.area is area]


def places(by: PlaceLevel, responses: Sequence[Response], area: Area | None) -> tuple[str, ...]:
    """The columns of a table: every district or area in scope (so a place nobody answered from
    shows as 0), or the Communities of Schools responses came from."""
    if by is PlaceLevel.DISTRICT:
        chosen = districts_in(area) if area else sorted(District)
        return tuple(district.value for district in chosen)
    if by is PlaceLevel.AREA:
        return (area.value,) if area else tuple(sorted(a.value for a in Area))
    found = {_place(response, by) for response in responses}
    return tuple(sorted(found - {NOT_KNOWN})) + ((NOT_KNOWN,) if NOT_KNOWN in found else ())


def _table(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[str, str], int],
) -> PublishedTable:
    return suppress_table(
        {row: {column: cells.get((row, column), 0) for column in columns} for row in rows},
        threshold=SMALLEST_PUBLISHED_COUNT,
    )


def _tally(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    tally: dict[tuple[str, str], int] = {}
    for pair in pairs:
        tally[pair] = tally.get(pair, 0) + 1
    return tally


def respondents_table(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None
) -> PublishedTable:
    """Respondents by voice (rows) and place (columns), with totals."""
    chosen = _within(responses, area)
    return _table(
        [voice.value for voice in Voice],
        places(by, chosen, area),
        _tally((r.voice.value, _place(r, by)) for r in chosen),
    )


def themes_table(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None
) -> PublishedTable:
    """How many responses were tagged with each theme (rows) by place (columns). A response
    tagged with two themes counts once in each, so totals count mentions."""
    chosen = _within(responses, area)
    return _table(
        sorted({theme for r in chosen for theme in r.themes}),
        places(by, chosen, area),
        _tally((theme, _place(r, by)) for r in chosen for theme in r.themes),
    )


def sentiment_table(
    responses: Iterable[Response], by: PlaceLevel, area: Area | None = None
) -> PublishedTable:
    """Moderated responses by sentiment (rows) and place (columns)."""
    chosen = [r for r in _within(responses, area) if r.sentiment is not None]
    return _table(
        [sentiment.value for sentiment in Sentiment],
        places(by, chosen, area),
        _tally((r.sentiment.value, _place(r, by)) for r in chosen if r.sentiment is not None),
    )


def share(count: Published, base: Published) -> Share:
    """A published count as a percentage of a published base: `c` when either is suppressed or
    the base is under 30, `z` when the base does not apply or is nobody."""
    if base is Symbol.NOT_APPLICABLE or base == 0:
        return Symbol.NOT_APPLICABLE
    if not isinstance(count, int) or not isinstance(base, int):
        return Symbol.SUPPRESSED
    return percentage(count, base, minimum=FEWEST_RESPONDENTS_FOR_A_PERCENTAGE)


def _option_of(response: Response, question: CountedQuestion) -> str | None:
    for answer in response.answers:
        if answer.question_id != question.question_id:
            continue
        if isinstance(answer, ScaleAnswer):
            return str(answer.value)
        if isinstance(answer, ChoiceAnswer):
            return answer.option
    return None


def question_figures(
    survey: Survey,
    question_id: str,
    responses: Iterable[Response],
    by: PlaceLevel,
    area: Area | None = None,
) -> QuestionFigures:
    """One scale or choice question's answers by option and place, with percentages."""
    try:
        question = survey.question(question_id)
    except KeyError:
        raise FeedbackRefused(RefusalCode.UNKNOWN_QUESTION, (question_id,)) from None
    if isinstance(question, FreeTextQuestion):
        raise FeedbackRefused(RefusalCode.NOT_A_COUNTED_QUESTION, (question_id,))
    chosen = _within(_of_survey(survey, responses), area)
    options = question.options() if isinstance(question, ScaleQuestion) else question.options
    answered = [(option, r) for r in chosen if (option := _option_of(r, question)) is not None]
    table = _table(
        options,
        places(by, chosen, area),
        _tally((option, _place(r, by)) for option, r in answered),
    )
    return QuestionFigures(
        question_id=question.question_id,
        kind=question.kind,
        counts=table,
        percentages=tuple(
            tuple(
                share(cell, base) for cell, base in zip(row.cells, table.column_totals, strict=True)
            )
            for row in table.rows
        ),
        overall_percentages=tuple(share(row.total, table.grand_total) for row in table.rows),
    )


def _of_survey(survey: Survey, responses: Iterable[Response]) -> list[Response]:
    chosen = list(responses)
    strays = sorted({r.response_id for r in chosen if r.survey_id != survey.survey_id})
    if strays:
        raise FeedbackRefused(RefusalCode.RESPONSE_OF_ANOTHER_SURVEY, tuple(strays))
    return chosen


def survey_figures(
    survey: Survey, responses: Iterable[Response], by: PlaceLevel, area: Area | None = None
) -> SurveyFigures:
    """A survey's respondents and every counted question's answers, at one level of place."""
    chosen = _of_survey(survey, responses)
    return SurveyFigures(
        survey_id=survey.survey_id,
        by=by,
        respondents=respondents_table(chosen, by, area),
        questions=tuple(
            question_figures(survey, q.question_id, chosen, by, area)
            for q in survey.counted_questions()
        ),
    )
