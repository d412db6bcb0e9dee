"""Surveys and forum items: drafting, publishing, closing, reading, and their published figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from feedback.access import KENT, PERMIT, POLICY, figures_for, reach, reading, survey_there_for
from feedback.adapters import FeedbackStore
from feedback.api.deps import BY_ID, one_snapshot, pool, today
from feedback.domain.aggregates import PlaceLevel, survey_figures
from feedback.domain.survey import Question, Survey, draft_survey
from feedback.domain.values import Channel, PseudonymousId, Voice, Wording
from feedback.handlers.surveys import add_survey, close, publish
from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from inclusion_shared.web.problems import NotFound

router = APIRouter(prefix="/surveys", tags=["surveys"])


class SurveyRequest(BaseModel):
    """A survey or forum item as an officer drafts it; the service names it unless told."""

    model_config = ConfigDict(extra="forbid")

    survey_id: PseudonymousId = Field(default_factory=lambda: f"survey-{uuid4().hex[:20]}")
    title: Wording
    channel: Channel
    voices: Annotated[tuple[Voice, ...], Field(min_length=1, max_length=len(Voice))]
    questions: Annotated[tuple[Question, ...], Field(min_length=1, max_length=50)]
    closes_on: date | None = None


@router.post("", status_code=201)
async def draft(
    request: Request, body: SurveyRequest, who: Principal = Depends(PERMIT["survey.draft"])
) -> JSONResponse:
    """Draft a survey or forum item: questions (scale, choice, free text), the voices it asks
    and its channel. Nothing is published until it is."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        survey = await add_survey(
            work,
            who,
            lambda: draft_survey(
                survey_id=body.survey_id,
                title=body.title,
                channel=body.channel,
                voices=body.voices,
                questions=body.questions,
                closes_on=body.closes_on,
            ),
        )
        return 201, survey.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/{survey_id}/publication")
async def publication(
    request: Request,
    survey_id: PseudonymousId,
    who: Principal = Depends(PERMIT["survey.publish"]),
) -> JSONResponse:
    """Open a drafted survey for responses."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, (await publish(work, who, survey_id, today())).model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/{survey_id}/closure")
async def closure(
    request: Request,
    survey_id: PseudonymousId,
    who: Principal = Depends(PERMIT["survey.close"]),
) -> JSONResponse:
    """Stop taking responses; what was received still counts."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, (await close(work, who, survey_id, today())).model_dump(mode="json")

    return await run_command(request, who, handle)


@router.get("")
async def surveys(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["survey.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """Published and closed surveys (and, for Kent-wide officers and auditors, drafts), by id,
    a page at a time."""
    after = page.after_as(BY_ID)
    async with the_pool.acquire() as connection:
        rows = await FeedbackStore(connection).surveys(reach(who, "draft.read"), after, page.fetch)
    found, cursor = page.of(rows, lambda survey: (survey.survey_id,))
    return paged([survey.model_dump(mode="json") for survey in found], cursor, "surveys")


@router.get("/{survey_id}")
async def read(
    survey_id: PseudonymousId,
    who: Principal = Depends(PERMIT["survey.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """A survey: its questions, voices, channel and where it stands. A draft is there only for
    those who may read drafts."""
    async with the_pool.acquire() as connection:
        survey = await _visible(FeedbackStore(connection), survey_id, who)
    return survey.model_dump(mode="json")


@router.get("/{survey_id}/figures")
async def figures(
    survey_id: PseudonymousId,
    by: Annotated[PlaceLevel, Query()] = PlaceLevel.DISTRICT,
    area: Annotated[Area | None, Query()] = None,
    who: Principal = Depends(PERMIT["figures.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """Published figures: respondents by voice, and each scale or choice question's answers,
    by district, area or Community of Schools (optionally within one area), for the places the
    caller's scope covers. Counts below 5 are `c`, with secondary suppression; percentages
    need 30 respondents; `z` is not applicable. Complaints, withheld content and withdrawn
    responses are never counted."""
    reached, within = figures_for(who, area)
    async with the_pool.acquire() as connection, one_snapshot(connection):
        store = FeedbackStore(connection)
        survey = await _visible(store, survey_id, who)
        respondents = await store.respondents(by, reached=reached, survey_id=survey_id, area=area)
        answers = await store.answers(survey_id, by, reached=reached, area=area)
    figures_seen = survey_figures(survey, respondents, answers, by, area, within)
    return figures_seen.model_dump(mode="json")


async def _visible(store: FeedbackStore, survey_id: str, who: Principal) -> Survey:
    survey = await store.survey(survey_id)
    if survey is None or not survey_there_for(who, survey):
        raise NotFound(f"no survey {survey_id}")
    POLICY.check(who, reading(survey), KENT)
    return survey
