"""Statutory clocks as of a day: reading them, sweeping them for warnings and breaches, and
timeliness with and without allowed exceptions."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from inclusion_shared.auth import Principal, Role, allow
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from placements.adapters import PlacementsStore
from placements.api.deps import not_after_today, today
from placements.domain.clocks import ClockKind, ClockStatus
from placements.domain.timeliness import Timeliness
from placements.handlers.clocks import every_clock, sweep, timeliness_as_of

router = APIRouter(tags=["statutory clocks"])


@router.post("/clocks/sweep")
async def sweep_clocks(
    request: Request,
    as_of: date | None = None,
    who: Principal = Depends(allow(Role.KCC_OFFICER)),
) -> JSONResponse:
    """Raise each clock's warning and breach that is due as of today (or an earlier day, to
    catch up), once: a clock already warned or breached raises nothing again. Run it daily."""
    day = not_after_today(as_of or today(request), today(request), "as_of")
    warning_days = request.app.state.settings.clock_warning_days

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        raised = await sweep(work, day, warning_days)
        return 200, {"as_of": day.isoformat(), "raised": raised}

    return await run_command(request, who, handle)


@router.get("/clocks")
async def read_clocks(
    request: Request,
    as_of: date | None = None,
    kind: ClockKind | None = None,
    status: ClockStatus | None = None,
    _: Principal = Depends(allow(Role.KCC_OFFICER, Role.AUDITOR)),
) -> dict[str, Any]:
    """Every statutory clock as it stood on a day (today unless given)."""
    day = as_of or today(request)
    warning_days = request.app.state.settings.clock_warning_days
    async with request.app.state.service.pool.acquire() as connection:
        tracked = await every_clock(PlacementsStore(connection))
    clocks = []
    for clock in tracked:
        reading = clock.read(day, warning_days)
        if kind not in (None, reading.clock.kind) or status not in (None, reading.status):
            continue
        clocks.append(clock.view(reading))
    return {"as_of": day.isoformat(), "clocks": clocks}


@router.get("/timeliness")
async def read_timeliness(
    request: Request,
    as_of: date | None = None,
    _: Principal = Depends(allow(Role.KCC_OFFICER, Role.AREA_BOARD, Role.AUDITOR)),
) -> dict[str, Any]:
    """For each kind of clock, of the cases settled by a day: how many were on time, including
    and excluding the cases with an allowed exception, as the DfE reports it."""
    day = as_of or today(request)
    async with request.app.state.service.pool.acquire() as connection:
        reports = await timeliness_as_of(PlacementsStore(connection), day)
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
