"""The pages: every figure for a place and period, one figure with its trend by term, and how
each figure is computed. Area Board members and KCC officers for the places they cover, and the
auditor, by bearer token or by the session cookie (``monitoring.access``)."""

from __future__ import annotations

import textwrap

import asyncpg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area, District
from inclusion_shared.persistence.pool import Connection
from inclusion_shared.web.problems import NotFound
from monitoring import reports
from monitoring.access import FIGURES_READ, POLICY, place_record
from monitoring.adapters.tallies import SOURCES
from monitoring.api.deps import (
    READS_METHODS,
    SEES_FIGURES,
    current_year,
    period,
    period_query,
    pool,
    reached,
    scope,
    today,
)
from monitoring.api.views import page
from monitoring.domain.charts import figure_chart
from monitoring.domain.figures import CATALOGUE, Monitored
from monitoring.domain.periods import TERM_NAMES, Period, up_to
from monitoring.domain.places import KENT, Level, Scope
from monitoring.domain.tables import Tally

router = APIRouter(tags=["pages"], include_in_schema=False)
TERMS = [(term.value, name[:1].upper() + name[1:]) for term, name in TERM_NAMES.items()]


def figure_named(figure_id: str) -> Monitored:
    found = reports.monitored(figure_id)
    if found is None:
        raise NotFound(f"there is no figure {figure_id!r}")
    return found


def breadcrumbs(
    chosen: Scope, known: dict[str, str], who: Principal
) -> list[tuple[str, str, bool]]:
    """Kent, its area, district and Community of Schools, down to the chosen place, each with
    whether the viewer reaches it (a place they do not reach is named, not linked)."""
    trail = [chosen]
    district = known.get(chosen.code) if chosen.level is Level.COMMUNITY else None
    if district is not None:
        trail.append(Scope(Level.DISTRICT, district))
    while (parent := trail[-1].parent()) is not None:
        trail.append(parent)
    if trail[-1] != KENT:
        trail.append(KENT)
    return [
        (str(s), s.name, POLICY.allows(who, FIGURES_READ, place_record(s, known)))
        for s in reversed(trail)
    ]


def places(chosen: Scope, known: dict[str, str], who: Principal) -> list[tuple[str, str]]:
    """The places a viewer may choose in the filter: Kent, each area, each district (as far as
    they reach), and the place shown, whatever it is."""
    every = [KENT, *(Scope(Level.AREA, a.value) for a in Area)]
    every += [Scope(Level.DISTRICT, d.value) for d in District]
    found = [s for s in every if POLICY.allows(who, FIGURES_READ, place_record(s, known))]
    if chosen not in found:
        found.append(chosen)
    return [
        (str(s), s.name if s.level is Level.KENT else f"{s.name} ({s.level.name.lower()})")
        for s in found
    ]


async def kent_beside(
    connection: Connection,
    chosen: Scope,
    known: dict[str, str],
    who: Principal,
    action: str = FIGURES_READ,
) -> dict[str, list[Tally]] | None:
    """Kent's tallies of the figures charts compare a place with, for a viewer who may see
    (or download) Kent's figures; None otherwise, or when the place is Kent."""
    if chosen == KENT or not POLICY.allows(who, action, place_record(KENT, known)):
        return None
    return await reports.load(connection, reports.compared(), KENT)


@router.get("/")
async def home(_: Principal = Depends(SEES_FIGURES)) -> RedirectResponse:
    """To the dashboard of the viewer's own place."""
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    asked: Scope | None = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(SEES_FIGURES),
    the_pool: asyncpg.Pool = Depends(pool),
) -> HTMLResponse:
    """Every figure for a place (Kent, an area, a district or a Community of Schools) and a
    financial year or term, each table drilling down to the places within."""
    async with the_pool.acquire() as connection:
        chosen, known, names = await reached(connection, who, FIGURES_READ, asked)
        loaded = await reports.load(connection, CATALOGUE.values(), chosen)
        kent = await kent_beside(connection, chosen, known, who)
    trended = up_to(when, today())
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
        breadcrumbs=breadcrumbs(chosen, known, who),
        places=places(chosen, known, who),
        trended=trended,
        charts=reports.headline_charts(loaded, chosen, trended, kent),
        sections=reports.sections(loaded, chosen, when, names),
    )


@router.get("/figures/{figure_id}", response_class=HTMLResponse)
async def figure(
    request: Request,
    figure_id: str,
    asked: Scope | None = Depends(scope),
    when: Period = Depends(period),
    who: Principal = Depends(SEES_FIGURES),
    the_pool: asyncpg.Pool = Depends(pool),
) -> HTMLResponse:
    """One figure for a place and period, with its trend over the last six terms."""
    monitored = figure_named(figure_id)
    async with the_pool.acquire() as connection:
        chosen, known, names = await reached(connection, who, FIGURES_READ, asked)
        loaded = await reports.load(connection, [monitored], chosen)
    table, trend = reports.figure_tables(monitored, loaded[figure_id], chosen, when, names)
    column = monitored.figure.chart
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
        places=places(chosen, known, who),
        table=table,
        trend=trend,
        trend_chart=figure_chart(trend, column, chosen) if column else None,
    )


@router.get("/methods/{figure_id}", response_class=HTMLResponse)
async def method(
    request: Request, figure_id: str, who: Principal = Depends(READS_METHODS)
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
