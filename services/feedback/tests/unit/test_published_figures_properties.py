"""Properties over random sets of responses: no published feedback table lets a suppressed count
be recovered from its totals, percentages come only from 30 respondents and published counts,
and withdrawing consent removes a response from every figure."""

from datetime import date

from hypothesis import event, given, settings
from hypothesis import strategies as st

from feedback.domain.aggregates import PlaceLevel, SurveyFigures
from feedback.domain.moderation import withdraw_consent
from feedback.domain.response import ChoiceAnswer, Response, ResponseStatus, ScaleAnswer
from feedback.domain.survey import Survey
from feedback.domain.values import Place, Sentiment, Voice
from inclusion_shared.disclosure import PublishedTable, percentage
from inclusion_shared.kent import Area, District

from ..tallies import figures_of, sentiment_table_of, themes_table_of
from .conftest import RECEIVED_ON, placement_survey
from .disclosure_checks import problems

# A few districts in three areas and a few communities, so places hold small and large groups.
DISTRICTS = [District.THANET, District.CANTERBURY, District.DOVER, District.MAIDSTONE]
COMMUNITIES = ["cos-a", "cos-b", "cos-c", None]
THEMES = ["communication", "transport", "waiting_times", "staff_training"]
STATUSES = [ResponseStatus.ACCEPTED] * 6 + list(ResponseStatus)
SURVEY = placement_survey()
LEVELS = st.sampled_from(PlaceLevel)
AREAS = st.one_of(st.none(), st.sampled_from(Area))

answer = st.tuples(
    st.sampled_from(Voice),
    st.sampled_from(DISTRICTS),
    st.sampled_from(COMMUNITIES),
    st.sampled_from(STATUSES),
    st.frozensets(st.sampled_from(THEMES)),
    st.sampled_from(Sentiment),
    st.integers(1, 5),
    st.sampled_from(["yes", "partly", "no"]),
)

crowd_answer = answer.map(lambda drawn: (*drawn[:3], ResponseStatus.ACCEPTED, *drawn[4:]))


def _response(n: int, drawn: tuple[object, ...]) -> Response:
    voice, district, community, status, themes, sentiment, value, option = drawn
    tagged = bool(themes) and status is ResponseStatus.ACCEPTED
    return Response.model_validate(
        {
            "response_id": f"response-{n}",
            "survey_id": "survey-placements-2026",
            "voice": voice,
            "channel": "survey",
            "place": Place.of(district, community),  # type: ignore[arg-type]
            "anonymous": True,
            "consent": {"given": True},
            "received_on": RECEIVED_ON,
            "answers": (
                ScaleAnswer(question_id="overall", value=value),
                ChoiceAnswer(question_id="listened_to", option=option),
            ),
            "status": status,
            "themes": tuple(sorted(themes)) if tagged else (),  # type: ignore[call-overload]
            "sentiment": sentiment if tagged else None,
            "moderated_on": RECEIVED_ON if tagged else None,
        }
    )


# Answers each given by one respondent or by a crowd, so that places of 30 or more respondents
# and counts large enough to publish are common, beside the small ones.
responses = st.lists(
    st.one_of(st.tuples(answer, st.just(1)), st.tuples(crowd_answer, st.integers(5, 25))),
    max_size=14,
).map(
    lambda crowds: [
        _response(n, drawn)
        for n, drawn in enumerate(d for d, times in crowds for _ in range(times))
    ]
)


def _tables(
    survey: Survey, chosen: list[Response], by: PlaceLevel, area: Area | None
) -> list[PublishedTable]:
    figures = figures_of(survey, chosen, by, area)
    return [
        figures.respondents,
        *(question.counts for question in figures.questions),
        themes_table_of(chosen, by, area),
        sentiment_table_of(chosen, by, area),
    ]


@settings(max_examples=150, deadline=None)
@given(responses, LEVELS, AREAS)
def test_no_published_feedback_table_lets_a_suppressed_count_be_recovered(
    chosen: list[Response], by: PlaceLevel, area: Area | None
) -> None:
    for table in _tables(SURVEY, chosen, by, area):
        assert problems(table) == [], table


@settings(max_examples=150, deadline=None)
@given(responses, LEVELS, AREAS)
def test_a_percentage_comes_only_from_thirty_respondents_and_a_published_count(
    chosen: list[Response], by: PlaceLevel, area: Area | None
) -> None:
    for question in figures_of(SURVEY, chosen, by, area).questions:
        table = question.counts
        for row, shares in zip(table.rows, question.percentages, strict=True):
            pairs = zip(row.cells, table.column_totals, strict=True)
            for (count, base), shown in zip(pairs, shares, strict=True):
                if not isinstance(shown, str):
                    event("a percentage is published")
                    assert isinstance(count, int) and isinstance(base, int) and base >= 30
                    assert shown == percentage(count, base)
        for row, shown in zip(table.rows, question.overall_percentages, strict=True):
            if not isinstance(shown, str):
                assert isinstance(table.grand_total, int) and table.grand_total >= 30
                assert isinstance(row.total, int)


def _everything(
    survey: Survey, chosen: list[Response]
) -> list[tuple[SurveyFigures, PublishedTable, PublishedTable]]:
    return [
        (
            figures_of(survey, chosen, by),
            themes_table_of(chosen, by),
            sentiment_table_of(chosen, by),
        )
        for by in PlaceLevel
    ]


@settings(max_examples=100, deadline=None)
@given(responses.filter(bool), st.integers(min_value=0))
def test_withdrawing_consent_removes_a_response_from_every_figure(
    chosen: list[Response], pick: int
) -> None:
    index = pick % len(chosen)
    if chosen[index].status is ResponseStatus.WITHDRAWN:
        return
    withdrawn = withdraw_consent(chosen[index], date(2026, 11, 1))
    with_withdrawal = [*chosen[:index], withdrawn, *chosen[index + 1 :]]
    without_it = [*chosen[:index], *chosen[index + 1 :]]

    assert _everything(SURVEY, with_withdrawal) == _everything(SURVEY, without_it)
