"""Published figures are counted in PostgreSQL, never by loading the responses: the store's
GROUP BY counts what the domain's rule counts (accepted responses with consent, by voice, theme,
sentiment and answer, at every level of place, within an area or all of Kent, of one survey or
all), and the figures the API publishes are those the domain makes of the same responses."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest

from feedback.access import reach
from feedback.adapters import FeedbackStore, StoredResponse
from feedback.domain.aggregates import PlaceLevel
from feedback.domain.response import (
    ChoiceAnswer,
    FreeTextGiven,
    Response,
    ResponseStatus,
    ScaleAnswer,
)
from feedback.domain.survey import Survey, publish_survey
from feedback.domain.values import Place, Sentiment, Voice
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District, districts_in

from .. import tallies
from .conftest import SURVEY, Feedback, placement_survey

ON = date(2026, 10, 12)
THEMES = ["communication", "transport", "waiting_times"]
COMMUNITIES = ["cos-a", "cos-b", None]
LEVELS = list(PlaceLevel)
AREAS = [None, *Area]
EVERYWHERE = reach(Principal(subject=person_id_for("auditor-1"), role=Role.AUDITOR), "figures.read")


def _survey(survey_id: str) -> Survey:
    return publish_survey(Survey.model_validate(placement_survey(survey_id=survey_id)), ON)


def _responses(surveys: list[Survey]) -> list[Response]:
    """Responses of every status, from a few districts and communities, many in the same place
    so that counts large enough to publish occur beside small ones."""
    rng = random.Random(18)
    districts = [District.THANET, District.DOVER, District.CANTERBURY, District.MAIDSTONE]
    made = []
    for n in range(160):
        status = rng.choice([ResponseStatus.ACCEPTED] * 5 + list(ResponseStatus))
        themes = tuple(sorted(rng.sample(THEMES, rng.randint(0, 2))))
        tagged = status is ResponseStatus.ACCEPTED and bool(themes)
        made.append(
            Response(
                response_id=f"response-{n}",
                survey_id=rng.choice(surveys).survey_id,
                voice=rng.choice([Voice.PARENT_CARER] * 3 + list(Voice)),
                channel="survey",
                place=Place.of(rng.choice(districts), rng.choice(COMMUNITIES)),
                anonymous=True,
                consent={"given": True},
                received_on=ON,
                answers=(
                    ScaleAnswer(question_id="overall", value=rng.choice([4, 4, 5, 1])),
                    *(
                        [ChoiceAnswer(question_id="listened_to", option=rng.choice(["yes", "no"]))]
                        if rng.random() < 0.8
                        else []
                    ),
                    FreeTextGiven(question_id="tell_us_more"),
                ),
                status=status,
                themes=themes if tagged else (),
                sentiment=rng.choice(list(Sentiment)) if tagged else None,
                moderated_on=ON if tagged else None,
                withdrawn_on=ON + timedelta(1) if status is ResponseStatus.WITHDRAWN else None,
            )
        )
    return made


@pytest.fixture
async def store(feedback: Feedback) -> AsyncIterator[FeedbackStore]:
    connection = await asyncpg.connect(
        feedback.database_url, server_settings={"search_path": "feedback"}
    )
    try:
        yield FeedbackStore(connection)
    finally:
        await connection.close()


@pytest.fixture
async def stored(store: FeedbackStore) -> tuple[list[Survey], list[Response]]:
    surveys = [_survey(SURVEY), _survey("forum-2026")]
    responses = _responses(surveys)
    for survey in surveys:
        assert await store.add_survey(survey)
    for response in responses:
        person = f"response:{response.response_id}"
        assert await store.add_response(StoredResponse(response, person, None))
    return surveys, responses


async def test_the_stores_counts_are_the_domains_counts(
    store: FeedbackStore, stored: tuple[list[Survey], list[Response]]
) -> None:
    surveys, responses = stored
    for survey_id in [None, *(survey.survey_id for survey in surveys)]:
        of = [r for r in responses if survey_id in (None, r.survey_id)]
        for by in LEVELS:
            for area in AREAS:
                where = {"reached": EVERYWHERE, "survey_id": survey_id, "area": area}
                assert await store.respondents(by, **where) == tallies.respondents(of, by, area)
                assert await store.themes_heard(by, **where) == tallies.themes(of, by, area)
                assert await store.sentiments(by, **where) == tallies.sentiments(of, by, area)
                if survey_id is not None:
                    answered = await store.answers(survey_id, by, reached=EVERYWHERE, area=area)
                    assert answered == tallies.answers(of, by, area), (survey_id, by, area)


async def test_the_published_figures_are_the_domains_figures_of_the_same_responses(
    feedback: Feedback, stored: tuple[list[Survey], list[Response]]
) -> None:
    surveys, responses = stored
    board = feedback.as_("area-board")
    for by in LEVELS:
        for area in AREAS:
            query = {"by": by.value} | ({"area": area.value} if area else {})
            for survey in surveys:
                of = [r for r in responses if r.survey_id == survey.survey_id]
                published = feedback.client.get(
                    f"/surveys/{survey.survey_id}/figures", params=query, headers=board
                )
                expected = tallies.figures_of(survey, of, by, area).model_dump(mode="json")
                assert published.json() == expected, (survey.survey_id, by, area)
            themes = feedback.client.get("/themes/figures", params=query, headers=board).json()
            assert themes == {
                "by": by.value,
                "themes": tallies.themes_table_of(responses, by, area).model_dump(mode="json"),
                "sentiments": tallies.sentiment_table_of(responses, by, area).model_dump(
                    mode="json"
                ),
            }


@pytest.mark.parametrize(
    ("scope", "within"),
    [
        ({"areas": ("east-kent",)}, set(districts_in(Area.EAST))),
        ({"areas": (), "districts": ("thanet", "dover")}, {District.THANET, District.DOVER}),
    ],
    ids=["east-kent", "thanet-and-dover"],
)
async def test_figures_count_and_show_only_the_callers_places(
    feedback: Feedback,
    stored: tuple[list[Survey], list[Response]],
    scope: dict[str, Any],
    within: set[District],
) -> None:
    """An Area Board sees its own places' figures: responses from elsewhere are not counted,
    and no other place is a column (an area only when all its districts are theirs)."""
    surveys, responses = stored
    board = feedback.as_("area-board", **scope)
    for by in LEVELS:
        query = {"by": by.value}
        for survey in surveys:
            of = [r for r in responses if r.survey_id == survey.survey_id]
            published = feedback.client.get(
                f"/surveys/{survey.survey_id}/figures", params=query, headers=board
            )
            expected = tallies.figures_of(survey, of, by, None, within)
            assert published.json() == expected.model_dump(mode="json"), (survey.survey_id, by)
        themes = feedback.client.get("/themes/figures", params=query, headers=board).json()
        assert themes["themes"] == tallies.themes_table_of(responses, by, None, within).model_dump(
            mode="json"
        )
        assert themes["sentiments"] == tallies.sentiment_table_of(
            responses, by, None, within
        ).model_dump(mode="json")
    by_district = feedback.client.get(
        "/themes/figures", params={"by": "district"}, headers=board
    ).json()
    assert set(by_district["sentiments"]["columns"]) == {d.value for d in within}
