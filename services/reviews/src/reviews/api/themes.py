"""Anonymised themes for Area Boards and the local authority: per area of review, how many
issued reports named it for development, with small counts suppressed (`c`) and whatever would
reveal them suppressed too. Never a setting's name or report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area
from inclusion_shared.web.problems import NotFound
from reviews.access import POLICY, area_record, cycle_record
from reviews.adapters import ReviewsStore
from reviews.domain.themes import area_themes, cycle_themes
from reviews.domain.values import PseudonymousId

router = APIRouter(tags=["themes"])


@router.get("/themes")
async def of_an_area(
    request: Request, area: Area, who: Principal = Depends(permit(POLICY, "themes.read"))
) -> dict[str, Any]:
    """A Kent area's themes for its Area Board: areas of review by district, with totals."""
    POLICY.check(who, "themes.read", area_record(area))
    async with request.app.state.service.pool.acquire() as connection:
        counts = await ReviewsStore(connection).themes_in(area)
    return {"area": area.value, **area_themes(area, counts).model_dump(mode="json")}


@router.get("/cycles/{cycle_id}/themes")
async def of_a_cycle(
    request: Request,
    cycle_id: PseudonymousId,
    who: Principal = Depends(permit(POLICY, "cycle-themes.read")),
) -> dict[str, Any]:
    """One cycle's themes, for its Community of Schools, with their total."""
    async with request.app.state.service.pool.acquire() as connection:
        store = ReviewsStore(connection)
        cycle = await store.cycle(cycle_id)
        if cycle is None:
            raise NotFound(f"no cycle {cycle_id}")
        POLICY.check(who, "cycle-themes.read", cycle_record(cycle))
        counts = await store.themes_of(cycle_id)
    return {"cycle_id": cycle_id, **cycle_themes(counts).model_dump(mode="json")}
