"""Published figures by district, area and Community of Schools: small counts suppressed with
secondary suppression, percentages only from 30 respondents, and only responses that count."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from feedback.domain.aggregates import NOT_KNOWN, PlaceLevel, share
from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.moderation import (
    counts,
    route_to_complaints,
    tag,
    withdraw_consent,
    withhold_as_abusive,
)
from feedback.domain.response import ChoiceAnswer, Response, ResponseStatus, ScaleAnswer
from feedback.domain.survey import Survey
from feedback.domain.values import Place, Sentiment, Voice
from inclusion_shared.disclosure import Symbol
from inclusion_shared.kent import Area, District

from ..tallies import (
    figures_of,
    question_figures_of,
    respondents_table_of,
    sentiment_table_of,
    themes_table_of,
)
from .conftest import RECEIVED_ON
from .disclosure_checks import problems

C, Z = Symbol.SUPPRESSED, Symbol.NOT_APPLICABLE
ON = date(2026, 10, 20)

Many = Callable[..., list[Response]]


@pytest.fixture
def many() -> Many:
    """`n` accepted responses from one place and voice, each answering `overall` and
    `listened_to`."""
    made = 0

    def build(
        n: int,
        district: District = District.THANET,
        *,
        voice: Voice = Voice.PARENT_CARER,
        community: str | None = "cos-thanet-1",
        overall: int = 4,
        option: str = "yes",
        **changes: Any,
    ) -> list[Response]:
        nonlocal made
        responses = []
        for _ in range(n):
            made += 1
            responses.append(
                Response(
                    response_id=f"response-{made}",
                    survey_id="survey-placements-2026",
                    voice=voice,
                    channel="survey",
                    place=Place.of(district, community),
                    anonymous=True,
                    consent={"given": True},
                    received_on=RECEIVED_ON,
                    answers=(
                        ScaleAnswer(question_id="overall", value=overall),
                        ChoiceAnswer(question_id="listened_to", option=option),
                    ),
                    **{"status": ResponseStatus.ACCEPTED, **changes},
                )
            )
        return responses

    return build


def test_a_district_with_fewer_than_five_respondents_is_suppressed_and_cannot_be_worked_out(
    many: Many,
) -> None:
    responses = many(3, District.THANET) + many(12, District.DOVER) + many(20, District.ASHFORD)

    table = respondents_table_of(responses, PlaceLevel.DISTRICT)

    assert table.cell("parent-carer", "thanet") is C
    assert table.column_total("thanet") is C
    assert table.cell("parent-carer", "ashford") == 20
    assert problems(table) == []


def test_every_district_appears_even_when_nobody_there_answered(many: Many) -> None:
    table = respondents_table_of(many(6), PlaceLevel.DISTRICT)
    assert table.columns == tuple(sorted(d.value for d in District))
    assert table.cell("parent-carer", "dover") == 0


def test_an_area_board_sees_only_its_own_districts(many: Many) -> None:
    responses = many(8, District.THANET) + many(9, District.DOVER)

    table = respondents_table_of(responses, PlaceLevel.DISTRICT, Area.EAST)

    assert table.columns == ("canterbury", "swale", "thanet")
    assert table.grand_total == 8


def test_figures_by_area_add_up_the_areas_districts(many: Many) -> None:
    responses = many(8, District.THANET) + many(9, District.CANTERBURY) + many(7, District.DOVER)

    table = respondents_table_of(responses, PlaceLevel.AREA)

    assert table.columns == ("east-kent", "north-kent", "south-kent", "west-kent")
    assert (table.cell("parent-carer", "east-kent"), table.cell("parent-carer", "south-kent")) == (
        17,
        7,
    )


def test_figures_by_community_of_schools_keep_unknown_communities_apart(many: Many) -> None:
    responses = many(6, community="cos-thanet-1") + many(7, community=None)

    table = respondents_table_of(responses, PlaceLevel.COMMUNITY_OF_SCHOOLS)

    assert table.columns == ("cos-thanet-1", NOT_KNOWN)
    assert table.cell("parent-carer", NOT_KNOWN) == 7


def test_only_responses_that_count_are_in_any_figure(many: Many) -> None:
    [awaiting] = many(1, status=ResponseStatus.AWAITING_MODERATION)
    [complaint] = many(1)
    [abusive] = many(1)
    [withdrawn] = many(1)
    responses = [
        *many(5),
        awaiting,
        route_to_complaints(complaint, "about_one_childs_case", ON),
        withhold_as_abusive(abusive, ON),
        withdraw_consent(withdrawn, ON),
    ]

    assert sum(map(counts, responses)) == 5
    assert respondents_table_of(responses, PlaceLevel.AREA).grand_total == 5


def test_themes_are_counted_by_place_and_a_response_counts_once_per_theme(many: Many) -> None:
    tagged = [tag(r, ("communication", "transport"), Sentiment.NEGATIVE, ON) for r in many(6)] + [
        tag(r, ("transport",), Sentiment.POSITIVE, ON) for r in many(2, District.DOVER)
    ]

    themes = themes_table_of(tagged, PlaceLevel.AREA)
    sentiments = sentiment_table_of(tagged, PlaceLevel.AREA)

    assert [row.label for row in themes.rows] == ["communication", "transport"]
    assert themes.cell("communication", "east-kent") == 6
    assert themes.cell("transport", "south-kent") is C
    assert (sentiments.cell("positive", "south-kent"), sentiments.grand_total) == (C, 8)
    assert problems(themes) == [] and problems(sentiments) == []


def test_percentages_need_thirty_respondents(survey: Survey, many: Many) -> None:
    small = many(20, overall=5) + many(9, overall=2)
    large = small + many(1, overall=2)

    [small_overall, _] = figures_of(survey, small, PlaceLevel.AREA).questions
    [large_overall, _] = figures_of(survey, large, PlaceLevel.AREA).questions

    assert small_overall.overall_percentages == (C, C, C, C, C)
    assert large_overall.overall_percentages == (
        Decimal(0),
        Decimal(33),
        Decimal(0),
        Decimal(0),
        Decimal(67),
    )


def test_a_percentage_of_a_suppressed_count_is_suppressed_whatever_the_base(
    survey: Survey, many: Many
) -> None:
    responses = many(40, option="yes") + many(3, option="no")

    figures = question_figures_of(survey, "listened_to", responses, PlaceLevel.AREA)

    assert figures.counts.cell("no", "east-kent") is C
    east = figures.counts.columns.index("east-kent")
    assert figures.percentages[figures.counts.rows.index(figures.counts.row("no"))][east] is C
    assert figures.percentages[0][east] is C, "the complement would give the suppressed one back"


@pytest.mark.parametrize(
    ("count", "base", "shown"),
    [(10, 40, Decimal(25)), (C, 40, C), (10, C, C), (0, 0, Z), (5, 29, C), (Z, Z, Z)],
)
def test_a_share_is_published_only_from_published_figures(
    count: int | Symbol, base: int | Symbol, shown: Decimal | Symbol
) -> None:
    assert share(count, base) == shown


def test_free_text_questions_have_no_figures(survey: Survey, many: Many) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        question_figures_of(survey, "tell_us_more", many(5), PlaceLevel.AREA)
    assert refused.value.code is RefusalCode.NOT_A_COUNTED_QUESTION
