"""Anonymised themes for Area Boards and the local authority: per area of review, how many
issued reports named it for development, with small counts suppressed (`c`) and whatever would
reveal them suppressed too. Never a setting's name or report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from inclusion_shared.auth import Principal, Role, allow
from inclusion_shared.kent import Area
from inclusion_shared.web.problems import NotFound
from reviews.adapters import ReviewsStore
from reviews.domain.themes import area_themes, cycle_themes

router = APIRouter(tags=["themes"])

SCRUTINY = (Role.AREA_BOARD, Role.KCC_OFFICER, Role.AUDITOR)


@router.get("/themes")
async def of_an_area(
    request: Request, area: Area, _: Principal = Depends(allow(*SCRUTINY))
) -> dict[str, Any]:
    """A Kent area's themes for its Area Board: areas of review by district, with totals."""
    async with request.app.state.service.pool.acquire() as connection:
        store = ReviewsStore(connection)
        cycles = await store.cycles_in(area)
        reviews = await store.reviews_of(cycle.cycle_id for cycle in cycles)
    table = area_themes(area, cycles, reviews)
    return {"area": area.value, **table.model_dump(mode="json")}


@router.get("/cycles/{cycle_id}/themes")
async def of_a_cycle(
    request: Request, cycle_id: str, _: Principal = Depends(allow(*SCRUTINY))
) -> dict[str, Any]:
    """One cycle's themes, for its Community of Schools, with their total."""
    async with request.app.state.service.pool.acquire() as connection:
        store = ReviewsStore(connection)
        cycle = await store.cycle(cycle_id)
        if cycle is None:
            raise NotFound(f"no cycle {cycle_id}")
        reviews = await store.reviews_of([cycle_id])
    counts = cycle_themes(cycle, reviews)
    return {"cycle_id": cycle_id, **counts.model_dump(mode="json")}
