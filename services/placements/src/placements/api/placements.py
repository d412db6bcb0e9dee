"""Placements: started from accepted offers, ended with a reason, moves, and the amended plans
and planned post-16 moves their transfer clocks run on."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_placement
from placements.adapters import PlacementsStore
from placements.api.deps import not_after_today, today
from placements.domain.placement import EndReason, MovePurpose
from placements.domain.values import PseudonymousId
from placements.handlers.placements import (
    end,
    issue_amended_plan,
    move,
    plan_move_between_post_16_institutions,
    start,
)

router = APIRouter(prefix="/placements", tags=["placements"])
PLACEMENT_START = permit(POLICY, "placement.start")
PLACEMENT_READ = permit(POLICY, "placement.read")
PLACEMENT_END = permit(POLICY, "placement.end")
PLACEMENT_MOVE = permit(POLICY, "placement.move")
AMENDED_PLAN_RECORD = permit(POLICY, "amended-plan.record")
POST_16_MOVE_PLAN = permit(POLICY, "post-16-move.plan")


class StartRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offer_id: PseudonymousId
    starts_on: date


class EndRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ends_on: date
    reason: EndReason
    move_purpose: MovePurpose | None = None


class MoveRequest(BaseModel):
    """A move between provisions: the last day at the old setting, why, and the next start."""

    model_config = ConfigDict(extra="forbid")

    last_day: date
    purpose: MovePurpose
    offer_id: PseudonymousId
    starts_on: date


class AmendedPlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issued_on: date


class Post16MoveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    moves_on: date


@router.post("", status_code=201)
async def start_placement(
    request: Request,
    body: StartRequest,
    who: Principal = Depends(PLACEMENT_START),
) -> JSONResponse:
    """Start the placement an accepted offer gave. The event names the phase transfer it makes,
    if any, and the setting the child came from."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, (await start(work, who, body.offer_id, body.starts_on)).view()

    return await run_command(request, who, handle)


@router.get("/{placement_id}")
async def read_placement(
    request: Request,
    placement_id: PseudonymousId,
    who: Principal = Depends(PLACEMENT_READ),
) -> dict[str, Any]:
    """A placement; a SENCO sees those at their own setting, a family their own child's."""
    async with request.app.state.service.pool.acquire() as connection:
        stored = await PlacementsStore(connection).placement(placement_id)
    if stored is None:
        raise NotFound(f"no placement {placement_id}")
    POLICY.check(who, "placement.read", of_placement(stored))
    return stored.view()


@router.post("/{placement_id}/end")
async def end_placement(
    request: Request,
    placement_id: PseudonymousId,
    body: EndRequest,
    who: Principal = Depends(PLACEMENT_END),
) -> JSONResponse:
    """End a placement on its last day with a reason; a move between provisions needs its
    purpose. Ending an early years placement tells funding the child left."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        ended = await end(work, who, placement_id, body.ends_on, body.reason, body.move_purpose)
        return 200, ended.view()

    return await run_command(request, who, handle)


@router.post("/{placement_id}/move", status_code=201)
async def move_placement(
    request: Request,
    placement_id: PseudonymousId,
    body: MoveRequest,
    who: Principal = Depends(PLACEMENT_MOVE),
) -> JSONResponse:
    """Move a child: end this placement for its purpose and start the next from its accepted
    offer, together."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        ended, started = await move(
            work, who, placement_id, body.last_day, body.purpose, body.offer_id, body.starts_on
        )
        return 201, {"ended": ended.view(), "started": started.view()}

    return await run_command(request, who, handle)


@router.post("/{placement_id}/amended-plans", status_code=201)
async def record_amended_plan(
    request: Request,
    placement_id: PseudonymousId,
    body: AmendedPlanRequest,
    who: Principal = Depends(AMENDED_PLAN_RECORD),
) -> JSONResponse:
    """The amended plan naming the next placement was issued: it meets the transfer clock."""
    issued_on = not_after_today(body.issued_on, today(request), "issued_on")

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, (await issue_amended_plan(work, who, placement_id, issued_on)).view()

    return await run_command(request, who, handle)


@router.post("/{placement_id}/post-16-move", status_code=201)
async def record_post_16_move(
    request: Request,
    placement_id: PseudonymousId,
    body: Post16MoveRequest,
    who: Principal = Depends(POST_16_MOVE_PLAN),
) -> JSONResponse:
    """A planned move between post-16 institutions: the amended plan is due 5 months before."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        planned = await plan_move_between_post_16_institutions(
            work, who, placement_id, body.moves_on, today(request)
        )
        return 201, planned.view()

    return await run_command(request, who, handle)
