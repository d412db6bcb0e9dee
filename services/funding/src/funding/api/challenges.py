"""Challenges to panel decisions, their resolution, and overturn rates per panel or district."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from funding.access import PERMIT
from funding.adapters import FundingStore
from funding.api.deps import today
from funding.domain.values import MAX_REASONS, PseudonymousId, ReasonCode
from funding.handlers.challenges import lodge, resolve
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command

router = APIRouter(tags=["challenges"])


class ChallengeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    challenge_id: PseudonymousId = Field(default_factory=lambda: f"challenge-{uuid4().hex[:20]}")


class ResolutionRequest(BaseModel):
    """Upheld (the decision stands) or overturned, with reason codes, never free text."""

    model_config = ConfigDict(extra="forbid")

    result: Literal["upheld", "overturned"]
    reasons: Annotated[tuple[ReasonCode, ...], Field(max_length=MAX_REASONS)]


@router.post("/decisions/{decision_id}/challenges", status_code=201)
async def challenge(
    request: Request,
    decision_id: PseudonymousId,
    body: ChallengeRequest | None = None,
    who: Principal = Depends(PERMIT["challenge.lodge"]),
) -> JSONResponse:
    """Challenge a panel decision: an officer one in their places, a parent or young person
    only one about their own child (the token's `child`)."""
    challenge_id = (body or ChallengeRequest()).challenge_id

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        lodged = await lodge(work, who, decision_id, challenge_id, today())
        return 201, lodged.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/challenges/{challenge_id}/resolution")
async def resolution(
    request: Request,
    challenge_id: PseudonymousId,
    body: ResolutionRequest,
    who: Principal = Depends(PERMIT["challenge.resolve"]),
) -> JSONResponse:
    """Resolve a lodged challenge in the officer's places: `upheld` or `overturned`, with
    reason codes."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        resolved = await resolve(work, who, challenge_id, body.result, body.reasons, today())
        return 200, resolved.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.get("/challenges/overturn-rates")
async def overturn_rates(
    request: Request,
    by: Annotated[Literal["panel", "district"], Query()],
    who: Principal = Depends(PERMIT["overturn_rates.read"]),
) -> dict[str, Any]:
    """Of the resolved challenges to each panel's (or district's) decisions, how many were
    overturned, counting only the challenges in the caller's places. Challenges still lodged
    are not counted; `rate` is null when none is resolved."""
    async with request.app.state.service.pool.acquire() as connection:
        rates = await FundingStore(connection).overturn_rates(who, by)
    return {
        "by": by,
        "rates": [
            {
                by: key,
                "resolved": rate.resolved,
                "overturned": rate.overturned,
                "rate": None if rate.rate is None else round(float(rate.rate), 4),
            }
            for key, rate in rates.items()
        ],
    }
