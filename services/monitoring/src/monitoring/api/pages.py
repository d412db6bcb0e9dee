"""The pages: every figure for a place and period, one figure with its trend by term, and how
each figure is computed. Area Board members and KCC officers only, by bearer token or by the
session cookie."""

from __future__ import annotations

import textwrap

import asyncpg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from inclusion_shared.auth import Principal, allow
from inclusion_shared.web.problems import NotFound
from monitoring import reports
from monitoring.adapters.tallies import SOURCES, communities
from monitoring.api.deps import current_year, period, period_query, pool, scope
from monitoring.api.sessions import VIEWERS
from monitoring.api.views import page
from monitoring.domain.figures import CATALOGUE, Monitored
from monitoring.domain.periods import TERM_NAMES, Period
from monitoring.domain.places import KENT, Level, Scope

router = APIRouter(tags=["pages"], include_in_schema=False)
TERMS = [(term.value, name.capitalize()) for term, name in TERM_NAMES.items()]


def figure_named(figure_id: str) -> Monitored:
    found = reports.monitored(figure_id)
    if found is None:
        raise NotFound(f"there is no figure {figure_id!r}")
    return found


def breadcrumbs(chosen: Scope, known: dict[str, str]) -> list[tuple[str, str]]:
    """Kent, its area, district and Community of Schools, down to the chosen place."""
    trail = [chosen]
    district = known.get(chosen.code) if chosen.level is Level.COMMUNITY else None
    if district is not None:
        trail.append(Scope(Level.DISTRICT, district))
    while (parent := trail[-1].parent()) is not None:
        trail.append(parent)
    if trail[-1] != KENT:
        trail.append(KENT)
    return [(str(s), s.name) for s in reversed(trail)]


@router.get("/")
async def home(_: Principal = Depends(allow(*VIEWERS))) -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    chosen: Scope = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(allow(*VIEWERS)),
    the_pool: asyncpg.Pool = Depends(pool),
) -> HTMLResponse:
    """Every figure for a place (Kent, an area, a district or a Community of Schools) and a
    financial year or term, each table drilling down to the places within."""
    async with the_pool.acquire() as connection:
        loaded = await reports.load(connection, CATALOGUE.values())
        known = await communities(connection)
    return page(
        request,
        "dashboard.html",
        who=who,
        scope=chosen,
        scope_text=str(chosen),
        period=when,
        period_query=period_query(when),
        years=reports.years_with_data(loaded, current_year()),
        terms=TERMS,
        breadcrumbs=breadcrumbs(chosen, known),
        sections=reports.sections(loaded, chosen, when),
    )


@router.get("/figures/{figure_id}", response_class=HTMLResponse)
async def figure(
    request: Request,
    figure_id: str,
    chosen: Scope = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(allow(*VIEWERS)),
    the_pool: asyncpg.Pool = Depends(pool),
) -> HTMLResponse:
    """One figure for a place and period, with its trend over the last six terms."""
    monitored = figure_named(figure_id)
    async with the_pool.acquire() as connection:
        loaded = await reports.load(connection, [monitored])
    table, trend = reports.figure_tables(monitored, loaded[figure_id], chosen, when)
    return page(
        request,
        "figure.html",
        who=who,
        figure=monitored.figure,
        scope=chosen,
        scope_text=str(chosen),
        period=when,
        period_query=period_query(when),
        years=reports.years_with_data(loaded, current_year()),
        terms=TERMS,
        table=table,
        trend=trend,
    )


@router.get("/methods/{figure_id}", response_class=HTMLResponse)
async def method(
    request: Request, figure_id: str, who: Principal = Depends(allow(*VIEWERS))
) -> HTMLResponse:
    """How one figure is computed: its events, counting rules, places, limits, disclosure
    control and the query behind it."""
    monitored = figure_named(figure_id)
    return page(
        request,
        "method.html",
        who=who,
        figure=monitored.figure,
        method=monitored.method,
        sql=textwrap.dedent(SOURCES[monitored.figure.source]).strip(),
    )
