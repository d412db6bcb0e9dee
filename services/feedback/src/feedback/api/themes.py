"""Themes and "You said, we did": the themes heard, the actions answering them with their owners
and status, and theme and sentiment figures under disclosure control."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from feedback.access import PERMIT, figures_for, reach
from feedback.adapters import FeedbackStore
from feedback.api.deps import BY_CODE, BY_ID, one_snapshot, pool, today
from feedback.domain.actions import ActionOwner, ActionStatus, YouSaidWeDid, publish_action
from feedback.domain.aggregates import PlaceLevel, places_in, sentiment_table, themes_table
from feedback.domain.values import Code, PseudonymousId, Wording
from feedback.handlers.actions import publish, update
from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged

router = APIRouter(tags=["you said, we did"])


class ActionRequest(BaseModel):
    """A "You said, we did" action: the themes it answers, what was said and what is done about
    it, the role that owns it, and when it is due."""

    model_config = ConfigDict(extra="forbid")

    action_id: PseudonymousId = Field(default_factory=lambda: f"action-{uuid4().hex[:20]}")
    themes: Annotated[tuple[Code, ...], Field(min_length=1, max_length=20)]
    you_said: Wording
    we_did: Wording
    owner: ActionOwner
    due_on: date | None = None


class StatusRequest(BaseModel):
    """Progress on an action; `reason` is a code, needed when it is not taken."""

    model_config = ConfigDict(extra="forbid")

    status: ActionStatus
    reason: Code | None = None


@router.get("/themes")
async def themes(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["theme.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """The themes identified, by code, a page at a time: where each was first heard, and the
    actions answering it."""
    after = page.after_as(BY_CODE)
    async with the_pool.acquire() as connection:
        store = FeedbackStore(connection)
        rows = await store.themes(reach(who, "theme.read"), after, page.fetch)
        found, cursor = page.of(rows, lambda theme: (theme.theme,))
        answering = await store.actions_answering([theme.theme for theme in found])
    listed = [
        {
            "theme": theme.theme,
            "identified_on": str(theme.identified_on),
            "district": theme.place.district.value,
            "area": theme.place.area.value,
            "actions": [
                {"action_id": action_id, "status": status.value}
                for action_id, status in answering.get(theme.theme, [])
            ],
        }
        for theme in found
    ]
    return paged(listed, cursor, "themes")


@router.get("/themes/figures")
async def figures(
    by: Annotated[PlaceLevel, Query()] = PlaceLevel.DISTRICT,
    area: Annotated[Area | None, Query()] = None,
    survey_id: Annotated[PseudonymousId | None, Query()] = None,
    who: Principal = Depends(PERMIT["figures.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """How many counted responses were tagged with each theme, and with each sentiment, by
    district, area or Community of Schools, for the places the caller's scope covers. Counts
    below 5 are `c`, with secondary suppression."""
    reached, within = figures_for(who, area)
    async with the_pool.acquire() as connection, one_snapshot(connection):
        store = FeedbackStore(connection)
        respondents = await store.respondents(by, reached=reached, survey_id=survey_id, area=area)
        heard = await store.themes_heard(by, reached=reached, survey_id=survey_id, area=area)
        sentiments = await store.sentiments(by, reached=reached, survey_id=survey_id, area=area)
    seen = places_in(respondents)
    return {
        "by": by.value,
        "themes": themes_table(heard, seen, by, area, within).model_dump(mode="json"),
        "sentiments": sentiment_table(sentiments, by, area, within).model_dump(mode="json"),
    }


@router.post("/actions", status_code=201)
async def publish_you_said_we_did(
    request: Request,
    body: ActionRequest,
    who: Principal = Depends(PERMIT["action.publish"]),
) -> JSONResponse:
    """Publish a "You said, we did" action answering identified themes."""

    def action_for(known: Iterable[str]) -> YouSaidWeDid:
        return publish_action(
            action_id=body.action_id,
            themes=body.themes,
            known_themes=known,
            you_said=body.you_said,
            we_did=body.we_did,
            owner=body.owner,
            on=today(),
            due_on=body.due_on,
        )

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, (await publish(work, who, action_for)).model_dump(mode="json")

    return await run_command(request, who, handle)


@router.get("/actions")
async def actions(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["action.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """The published "You said, we did" actions with their owners and status, by id, a page at
    a time."""
    after = page.after_as(BY_ID)
    async with the_pool.acquire() as connection:
        rows = await FeedbackStore(connection).actions(reach(who, "action.read"), after, page.fetch)
    found, cursor = page.of(rows, lambda action: (action.action_id,))
    return paged([action.model_dump(mode="json") for action in found], cursor, "actions")


@router.post("/actions/{action_id}/status")
async def status(
    request: Request,
    action_id: PseudonymousId,
    body: StatusRequest,
    who: Principal = Depends(PERMIT["action.update"]),
) -> JSONResponse:
    """The owning role, or a Kent-wide KCC officer, reports an action's progress."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        updated = await update(work, who, action_id, body.status, body.reason, today())
        return 200, updated.model_dump(mode="json")

    return await run_command(request, who, handle)
