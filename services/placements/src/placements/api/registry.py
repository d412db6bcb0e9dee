"""The settings registry and capacity, and sufficiency: demand against places by district and
designation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal, Role
from inclusion_shared.disclosure import Published, Symbol, suppress_counts
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_setting, reach
from placements.adapters import PlacementsStore
from placements.api.deps import validated
from placements.domain.capacity import ByYearGroup, Capacity
from placements.domain.dates import RecordedAcademicYear
from placements.domain.offers import places_held
from placements.domain.setting import Setting
from placements.domain.sufficiency import SufficiencyRow, sufficiency
from placements.domain.values import Count, PseudonymousId
from placements.handlers.registry import register, set_capacity

router = APIRouter(tags=["settings and capacity"])
SETTING_REGISTER = permit(POLICY, "setting.register")
SETTING_READ = permit(POLICY, "setting.read")
CAPACITY_SET = permit(POLICY, "capacity.set")
SUFFICIENCY_READ = permit(POLICY, "sufficiency.read")


class CapacityRequest(BaseModel):
    """Places for one academic year: per year group, or for the whole designation."""

    model_config = ConfigDict(extra="forbid")

    academic_year: RecordedAcademicYear
    by_year_group: ByYearGroup = ()
    designated_places: Count | None = None


@router.post("/settings", status_code=201)
async def register_setting(
    request: Request,
    setting: Setting,
    who: Principal = Depends(SETTING_REGISTER),
) -> JSONResponse:
    """Register a setting: its kind, district, Community of Schools and, for an SRP or special
    school, its designation by need and year range. No SEMH SRPs; secondary SRPs take Years
    7-11 only."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        registered = await register(work, who, setting)
        return 201, {**registered.model_dump(mode="json"), "area": registered.area}

    return await run_command(request, who, handle)


@router.get("/settings/{setting_id}")
async def read_setting(
    request: Request,
    setting_id: PseudonymousId,
    who: Principal = Depends(SETTING_READ),
) -> dict[str, Any]:
    """A setting in the registry, with its places and the places held by offers each year."""
    async with request.app.state.service.pool.acquire() as connection:
        store = PlacementsStore(connection)
        setting = await store.setting(setting_id)
        if setting is None:
            raise NotFound(f"no setting {setting_id} in the registry")
        POLICY.check(who, "setting.read", of_setting(setting))
        years = []
        for capacity in await store.capacities_of(setting_id):
            offers = await store.offers_at(setting_id, capacity.academic_year)
            held = {
                int(year): places_held(capacity, offers, year)
                for year in {offer.year_group for offer in offers}
            }
            years.append({**capacity.model_dump(mode="json"), "held_by_year_group": held})
    return {**setting.model_dump(mode="json"), "area": setting.area, "capacity": years}


@router.put("/settings/{setting_id}/capacity")
async def put_capacity(
    request: Request,
    setting_id: PseudonymousId,
    body: CapacityRequest,
    who: Principal = Depends(CAPACITY_SET),
) -> JSONResponse:
    """Record a setting's places for an academic year (replacing any recorded before)."""
    capacity = validated(Capacity, setting_id=setting_id, **body.model_dump())

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        saved = await set_capacity(work, who, capacity)
        return 200, {**saved.model_dump(mode="json"), "total": saved.total}

    return await run_command(request, who, handle)


@router.get("/sufficiency")
async def read_sufficiency(
    request: Request,
    academic_year: Annotated[RecordedAcademicYear, Query(examples=["2027-28"])],
    who: Principal = Depends(SUFFICIENCY_READ),
) -> dict[str, Any]:
    """Requests against places for one academic year, by district and designation (the kind of
    provision and, for SRPs and special schools, the need), in the caller's places. Area Boards
    see small counts of requests suppressed."""
    reached = reach(who, "sufficiency.read")
    async with request.app.state.service.pool.acquire() as connection:
        store = PlacementsStore(connection)
        rows = sufficiency(
            await store.demand_in(academic_year, reached),
            await store.places_in(academic_year, reached),
        )
    demand: list[Published] = [row.demand for row in rows]
    total: Published = sum(row.demand for row in rows)
    if who.role is Role.AREA_BOARD:
        published = suppress_counts({str(n): row.demand for n, row in enumerate(rows)})
        demand, total = list(published.counts), published.total
    return {
        "academic_year": academic_year,
        "rows": [_row(row, shown) for row, shown in zip(rows, demand, strict=True)],
        "total_demand": total,
    }


def _row(row: SufficiencyRow, demand: Published) -> dict[str, Any]:
    hidden = isinstance(demand, Symbol)
    return {
        **row.model_dump(mode="json"),
        "area": row.area,
        "demand": demand,
        # The shortfall would give a suppressed demand away by subtraction from the places.
        "shortfall": demand if hidden else row.shortfall,
    }
