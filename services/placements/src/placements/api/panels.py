"""Placement panels' stored rosters and terms of reference: kept by an officer of the panel's
area, added to by a member declaring their own interests, read by officers, the panel's members
and the auditor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, TypeAdapter

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_panel
from placements.adapters import PlacementsStore
from placements.api.deps import today
from placements.domain.panel import QuorumRule
from placements.domain.roster import Members
from placements.domain.values import PseudonymousId
from placements.handlers.panels import declare, set_roster

router = APIRouter(prefix="/panels", tags=["panels"])
PANEL_KEEP = permit(POLICY, "panel.keep")
PANEL_DECLARE = permit(POLICY, "panel.declare")
PANEL_READ = permit(POLICY, "panel.read")
PanelId = Annotated[PseudonymousId, Path(examples=["panel-east-1"])]
PANEL_KEY: TypeAdapter[tuple[PseudonymousId]] = TypeAdapter(tuple[PseudonymousId])


class RosterRequest(BaseModel):
    """The whole roster as the officer keeps it: the area the panel serves, its members and
    its quorum (the panel's terms of reference)."""

    model_config = ConfigDict(extra="forbid")

    area: Area
    members: Members
    quorum: QuorumRule


class InterestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    setting_id: PseudonymousId


@router.put("/{panel_id}")
async def put_roster(
    request: Request,
    panel_id: PanelId,
    body: RosterRequest,
    who: Principal = Depends(PANEL_KEEP),
) -> JSONResponse:
    """Set a panel's roster and quorum, as an officer covering its area (a panel's area never
    changes); the same roster again changes nothing and keeps its version."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        roster = await set_roster(
            work, who, panel_id, body.area, body.members, body.quorum, today(request)
        )
        return 200, roster.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.post("/{panel_id}/interests")
async def declare_interest(
    request: Request,
    panel_id: PanelId,
    body: InterestRequest,
    who: Principal = Depends(PANEL_DECLARE),
) -> JSONResponse:
    """A member of the panel declares, as themselves, an interest in a setting: they will
    recuse from decisions about it."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        roster = await declare(work, who, panel_id, body.setting_id, today(request))
        return 200, roster.model_dump(mode="json")

    return await run_command(request, who, handle)


@router.get("/{panel_id}")
async def read_roster(
    request: Request,
    panel_id: PanelId,
    who: Principal = Depends(PANEL_READ),
) -> dict[str, Any]:
    """A panel's current roster, its quorum and its version."""
    async with request.app.state.service.pool.acquire() as connection:
        roster = await PlacementsStore(connection).roster(panel_id)
    if roster is None:
        raise NotFound(f"no panel {panel_id}")
    POLICY.check(who, "panel.read", of_panel(roster.area, panel_id))
    return roster.model_dump(mode="json")


@router.get("")
async def list_rosters(
    request: Request,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PANEL_READ),
) -> dict[str, Any]:
    """The rosters the caller may read, by panel id, a page at a time: follow `next`."""
    after = page.after_as(PANEL_KEY)
    where = POLICY.where(who, "panel.read", first=3, area="area", panel="panel_id")
    async with request.app.state.service.pool.acquire() as connection:
        rosters = await PlacementsStore(connection).rosters_page(
            after[0] if after else None, page.fetch, where
        )
    shown, cursor = page.of(rosters, lambda roster: (roster.panel_id,))
    return paged([roster.model_dump(mode="json") for roster in shown], cursor, "panels")
