"""Moderation: the queue of responses awaiting a moderator, tagging them with themes, routing
individual complaints and withholding abusive content: KCC officers, in their places."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from feedback.access import PERMIT, reach
from feedback.adapters import FeedbackStore
from feedback.api.deps import BY_DAY_AND_ID, pool, today, vault
from feedback.api.views import received_key, response_view
from feedback.domain.response import Response
from feedback.domain.values import Code, PseudonymousId, Sentiment
from feedback.handlers.moderation import route, tag_themes, withhold
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged

router = APIRouter(tags=["moderation"])


class TagRequest(BaseModel):
    """Theme codes (snake_case) and the response's sentiment."""

    model_config = ConfigDict(extra="forbid")

    themes: Annotated[tuple[Code, ...], Field(min_length=1, max_length=20)]
    sentiment: Sentiment


class RoutingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Code = "individual_complaint"


def _moderated(response: Response) -> dict[str, Any]:
    return {
        "response_id": response.response_id,
        "status": response.status.value,
        "themes": list(response.themes),
        "sentiment": response.sentiment.value if response.sentiment else None,
        "moderated_on": str(response.moderated_on),
    }


@router.get("/moderation/queue")
async def queue(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["moderation.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
    the_vault: PersonalDataVault = Depends(vault),
) -> dict[str, Any]:
    """Responses with free text awaiting a moderator in the caller's places, oldest first, a
    page at a time, with their words (for a moderator) but never who gave them."""
    after = page.after_as(BY_DAY_AND_ID)
    async with the_pool.acquire() as connection:
        rows = await FeedbackStore(connection).awaiting_moderation(
            reach(who, "moderation.read"), after, page.fetch
        )
        waiting, cursor = page.of(rows, received_key)
        views = [await response_view(connection, the_vault, stored, who) for stored in waiting]
    return paged(views, cursor, "responses")


@router.post("/responses/{response_id}/themes")
async def tag(
    request: Request,
    response_id: PseudonymousId,
    body: TagRequest,
    who: Principal = Depends(PERMIT["response.tag"]),
) -> JSONResponse:
    """Tag a response with theme codes and a sentiment; it then counts in published figures.
    A code used for the first time identifies a new theme."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        tagged = await tag_themes(work, who, response_id, body.themes, body.sentiment, today())
        return 200, _moderated(tagged)

    return await run_command(request, who, handle)


@router.post("/responses/{response_id}/complaint-routing")
async def complaint_routing(
    request: Request,
    response_id: PseudonymousId,
    body: RoutingRequest | None = None,
    who: Principal = Depends(PERMIT["response.route"]),
) -> JSONResponse:
    """Route an individual complaint to the complaints process; it is never published."""
    reason = (body or RoutingRequest()).reason

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, _moderated(await route(work, who, response_id, reason, today()))

    return await run_command(request, who, handle)


@router.post("/responses/{response_id}/withholding")
async def withholding(
    request: Request,
    response_id: PseudonymousId,
    who: Principal = Depends(PERMIT["response.withhold"]),
) -> JSONResponse:
    """Withhold abusive content from everything published."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, _moderated(await withhold(work, who, response_id, today()))

    return await run_command(request, who, handle)
