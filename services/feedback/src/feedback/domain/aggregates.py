"""Published figures: who responded, how they answered, which themes and sentiments were heard,
by district, area or Community of Schools, under disclosure control.

Only responses that count are in any figure (accepted, consent not withdrawn: see
``moderation.counts``), so withdrawing consent takes a response out of every table at once. The
store counts them in SQL, grouped by row (a voice, theme, sentiment or option) and place, and
never loads the responses; here those counts become tables. Every table goes through the kit's
one disclosure control: counts below 5 are `c`, with secondary suppression so no total reveals
them; a percentage needs 30 respondents, and is `c` whenever its count or its base is
suppressed, since a published share of a published base would give the count back.

Each table is protected on its own. Tables of the same responses at two levels of place are
linked (an area's column adds up its districts' columns), and guarding against differencing
across them would need protection of the linked set as one; that is not done here.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.survey import FreeTextQuestion, ScaleQuestion, Survey
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

Tally = Mapping[tuple[str, str], int]
"""Counted responses by row label and place, as the store groups them; a pair not given is 0."""


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


Within = Collection[District] | None
"""The districts a table may show, those its reader's scope reaches (None: all of Kent). Its
counts must already be of those districts' responses only."""


def places(
    by: PlaceLevel, area: Area | None, seen: Iterable[str], within: Within = None
) -> tuple[str, ...]:
    """The columns of a table: every district or area in scope (so a place nobody answered from
    shows as 0), or the Communities of Schools the counted responses came from (`seen`). Scope
    is the area asked for and the districts `within` reach: an area is a column only when all
    its districts are within, since a part of an area would be published under its name."""
    shown = set(District) if within is None else set(within)
    if by is PlaceLevel.DISTRICT:
        chosen = districts_in(area) if area else sorted(District)
        return tuple(district.value for district in chosen if district in shown)
    if by is PlaceLevel.AREA:
        chosen_areas = (area,) if area else tuple(sorted(Area))
        return tuple(a.value for a in chosen_areas if set(districts_in(a)) <= shown)
    found = set(seen)
    return tuple(sorted(found - {NOT_KNOWN})) + ((NOT_KNOWN,) if NOT_KNOWN in found else ())


def places_in(tally: Tally) -> set[str]:
    """The places a tally counted anyone in."""
    return {place for (_, place), n in tally.items() if n}


def _table(rows: Sequence[str], columns: Sequence[str], cells: Tally) -> PublishedTable:
    return suppress_table(
        {row: {column: cells.get((row, column), 0) for column in columns} for row in rows},
        threshold=SMALLEST_PUBLISHED_COUNT,
    )


def respondents_table(
    respondents: Tally, by: PlaceLevel, area: Area | None = None, within: Within = None
) -> PublishedTable:
    """Respondents by voice (rows) and place (columns), with totals."""
    columns = places(by, area, places_in(respondents), within)
    return _table([voice.value for voice in Voice], columns, respondents)


def themes_table(
    themes: Tally,
    seen: Iterable[str],
    by: PlaceLevel,
    area: Area | None = None,
    within: Within = None,
) -> PublishedTable:
    """How many responses were tagged with each theme (rows) by place (columns), the places
    being those counted responses came from (`seen`). A response tagged with two themes counts
    once in each, so totals count mentions."""
    columns = places(by, area, seen, within)
    return _table(sorted({theme for theme, _ in themes}), columns, themes)


def sentiment_table(
    sentiments: Tally, by: PlaceLevel, area: Area | None = None, within: Within = None
) -> PublishedTable:
    """Moderated responses by sentiment (rows) and place (columns)."""
    return _table(
        [sentiment.value for sentiment in Sentiment],
        places(by, area, places_in(sentiments), within),
        sentiments,
    )


def share(count: Published, base: Published) -> Share:
    """A published count as a percentage of a published base: `c` when either is suppressed or
    the base is under 30, `z` when the base does not apply or is nobody."""
    if base is Symbol.NOT_APPLICABLE or base == 0:
        return Symbol.NOT_APPLICABLE
    if not isinstance(count, int) or not isinstance(base, int):
        return Symbol.SUPPRESSED
    return percentage(count, base, minimum=FEWEST_RESPONDENTS_FOR_A_PERCENTAGE)


def question_figures(
    survey: Survey,
    question_id: str,
    answers: Tally,
    seen: Iterable[str],
    by: PlaceLevel,
    area: Area | None = None,
    within: Within = None,
) -> QuestionFigures:
    """One scale or choice question's answers by option and place (the places counted
    responses to the survey came from, `seen`), with percentages."""
    try:
        question = survey.question(question_id)
    except KeyError:
        raise FeedbackRefused(RefusalCode.UNKNOWN_QUESTION, (question_id,)) from None
    if isinstance(question, FreeTextQuestion):
        raise FeedbackRefused(RefusalCode.NOT_A_COUNTED_QUESTION, (question_id,))
    options = question.options() if isinstance(question, ScaleQuestion) else question.options
    table = _table(options, places(by, area, seen, within), answers)
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


def survey_figures(
    survey: Survey,
    respondents: Tally,
    answers: Mapping[str, Tally],
    by: PlaceLevel,
    area: Area | None = None,
    within: Within = None,
) -> SurveyFigures:
    """A survey's respondents and every counted question's answers (`answers` by question id),
    at one level of place."""
    seen = places_in(respondents)
    return SurveyFigures(
        survey_id=survey.survey_id,
        by=by,
        respondents=respondents_table(respondents, by, area, within),
        questions=tuple(
            question_figures(
                survey, q.question_id, answers.get(q.question_id, {}), seen, by, area, within
            )
            for q in survey.counted_questions()
        ),
    )
