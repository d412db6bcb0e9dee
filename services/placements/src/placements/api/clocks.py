"""Statutory clocks as of a day: reading them, sweeping them for warnings and breaches, and
timeliness with and without allowed exceptions."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged
from placements.access import POLICY, reach
from placements.adapters import ClockKey, PlacementsStore, StoredClock
from placements.api.deps import not_after_today, today
from placements.domain.clocks import ClockKind, ClockStatus
from placements.domain.timeliness import Timeliness
from placements.domain.values import PseudonymousId
from placements.handlers.clocks import sweep, timeliness_as_of

router = APIRouter(tags=["statutory clocks"])
CLOCKS_SWEEP = permit(POLICY, "clocks.sweep")
CLOCK_LIST = permit(POLICY, "clock.list")
TIMELINESS_READ = permit(POLICY, "timeliness.read")
CLOCK_KEY: TypeAdapter[ClockKey] = TypeAdapter(
    tuple[date, ClockKind, PseudonymousId, PseudonymousId | Literal[""]]
)


@router.post("/clocks/sweep")
async def sweep_clocks(
    request: Request,
    as_of: date | None = None,
    who: Principal = Depends(CLOCKS_SWEEP),
) -> JSONResponse:
    """Raise each clock's warning and breach that is due as of today (or an earlier day, to
    catch up), once: a clock already warned or breached raises nothing again. An officer sweeps
    the clocks of their places; run it daily, Kent-wide."""
    day = not_after_today(as_of or today(request), today(request), "as_of")
    warning_days = request.app.state.settings.clock_warning_days

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        raised = await sweep(work, who, day, warning_days)
        return 200, {"as_of": day.isoformat(), "raised": raised}

    return await run_command(request, who, handle)


@router.get("/clocks")
async def read_clocks(
    request: Request,
    as_of: date | None = None,
    kind: ClockKind | None = None,
    status: ClockStatus | None = None,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(CLOCK_LIST),
) -> dict[str, Any]:
    """Every statutory clock of the caller's places as it stood on a day (today unless given),
    of a kind and a status if given, in the order they fall due, a page at a time: follow
    `next` until null."""
    day = as_of or today(request)
    warning_days = request.app.state.settings.clock_warning_days
    after = page.after_as(CLOCK_KEY)
    async with request.app.state.service.pool.acquire() as connection:
        found = await PlacementsStore(connection).clocks(
            day, warning_days, kind, status, after, page.fetch, reach(who, "clock.list")
        )
    shown, cursor = page.of(found, _clock_key)
    clocks = [tracked.view(tracked.read(day, warning_days)) for tracked in shown]
    return {"as_of": day.isoformat(), **paged(clocks, cursor, "clocks")}


def _clock_key(tracked: StoredClock) -> tuple[str, str, str, str]:
    clock = tracked.clock
    return clock.due_on.isoformat(), clock.kind.value, clock.subject_id, clock.party_id or ""


@router.get("/timeliness")
async def read_timeliness(
    request: Request,
    as_of: date | None = None,
    who: Principal = Depends(TIMELINESS_READ),
) -> dict[str, Any]:
    """For each kind of clock, of the cases of the caller's places settled by a day: how many
    were on time, including and excluding the cases with an allowed exception, as the DfE
    reports it."""
    day = as_of or today(request)
    async with request.app.state.service.pool.acquire() as connection:
        reports = await timeliness_as_of(
            PlacementsStore(connection), day, reach(who, "timeliness.read")
        )
    return {
        "as_of": day.isoformat(),
        "clocks": [
            {
                "kind": report.kind.value,
                "including_exceptions": _figure(report.including_exceptions),
                "excluding_exceptions": _figure(report.excluding_exceptions),
                "cases_with_exceptions": report.cases_with_exceptions,
            }
            for report in reports
        ],
    }


def _figure(figure: Timeliness) -> dict[str, Any]:
    rate = figure.rate
    return {
        "cases": figure.cases,
        "on_time": figure.on_time,
        "rate": None if rate is None else round(float(rate), 4),
    }
