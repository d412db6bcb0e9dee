"""Offers of a place: read, accepted or declined by the family (or an officer for them)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_offer
from placements.adapters import PlacementsStore
from placements.api.deps import today
from placements.domain.values import PseudonymousId, ReasonCode
from placements.handlers.offers import accept, decline

router = APIRouter(prefix="/offers", tags=["offers"])
OFFER_READ = permit(POLICY, "offer.read")
OFFER_ACCEPT = permit(POLICY, "offer.accept")
OFFER_DECLINE = permit(POLICY, "offer.decline")


class DeclineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: ReasonCode


@router.get("/{offer_id}")
async def read_offer(
    request: Request,
    offer_id: PseudonymousId,
    who: Principal = Depends(OFFER_READ),
) -> dict[str, Any]:
    async with request.app.state.service.pool.acquire() as connection:
        stored = await PlacementsStore(connection).offer(offer_id)
    if stored is None:
        raise NotFound(f"no offer {offer_id}")
    POLICY.check(who, "offer.read", of_offer(stored))
    return stored.view()


@router.post("/{offer_id}/acceptance")
async def accept_the_offer(
    request: Request,
    offer_id: PseudonymousId,
    who: Principal = Depends(OFFER_ACCEPT),
) -> JSONResponse:
    """The parent or young person accepts the place (or an officer records their acceptance)."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, (await accept(work, who, offer_id, today(request))).view()

    return await run_command(request, who, handle)


@router.post("/{offer_id}/decline")
async def decline_the_offer(
    request: Request,
    offer_id: PseudonymousId,
    body: DeclineRequest,
    who: Principal = Depends(OFFER_DECLINE),
) -> JSONResponse:
    """The family declines the place, with a reason code; the panel may decide again."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, (await decline(work, who, offer_id, body.reason, today(request))).view()

    return await run_command(request, who, handle)
