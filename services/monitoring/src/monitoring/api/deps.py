"""What every monitoring page needs: the pool, today's financial year, the scope and period a
request asks for (a bad one is a clear 4xx), and whether the caller reaches that place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, NamedTuple
from urllib.parse import urlencode

import asyncpg
from fastapi import Query, Request

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.pool import Connection
from inclusion_shared.web.problems import NotFound, Problem
from monitoring.access import (
    FIGURES_DOWNLOAD,
    FIGURES_READ,
    METHODS_READ,
    POLICY,
    home,
    place_record,
)
from monitoring.adapters.tallies import known_communities
from monitoring.domain.periods import Period, Term, financial_year_of
from monitoring.domain.places import Scope

# Each route's guard: the roles the policy grants its action get past; the place is checked
# with ``reached`` once the handler knows it.
SEES_FIGURES = permit(POLICY, FIGURES_READ)
DOWNLOADS_FIGURES = permit(POLICY, FIGURES_DOWNLOAD)
READS_METHODS = permit(POLICY, METHODS_READ)


def pool(request: Request) -> asyncpg.Pool:
    found: asyncpg.Pool = request.app.state.service.pool
    return found


def today() -> date:
    return datetime.now(UTC).date()


def current_year() -> str:
    return financial_year_of(today())


def period(
    year: Annotated[str | None, Query(max_length=7, description="e.g. 2026-27")] = None,
    term: Annotated[str | None, Query(max_length=6, description="summer, autumn or spring")] = None,
) -> Period:
    """The financial year asked for (this one by default), or one of its terms."""
    try:
        return Period(year or current_year(), Term(term) if term else None)
    except ValueError:
        raise Problem(
            "year is written like 2026-27, and term is summer, autumn or spring",
            status=422,
            kind="invalid-period",
            title="Not a period",
        ) from None


def scope(
    scope: Annotated[
        str | None,
        Query(
            max_length=80,
            description="kent, area:…, district:… or community:…; by default Kent, or the "
            "caller's own area or district when they do not reach Kent",
        ),
    ] = None,
) -> Scope | None:
    if scope is None:
        return None
    try:
        return Scope.parse(scope)
    except ValueError as error:
        raise NotFound(str(error)) from None


class Reached(NamedTuple):
    scope: Scope
    """The place, under its name."""
    communities: dict[str, str]
    """Each Community of Schools the model knows, and its district."""
    names: dict[str, str]
    """What people call each Community of Schools, where the registry says."""


async def reached(
    connection: Connection, who: Principal, action: str, asked: Scope | None
) -> Reached:
    """The place asked for (the caller's home place when none), checked against what the
    caller reaches (403 otherwise), and the Communities of Schools the model knows."""
    chosen = asked or home(who)
    known, names = await known_communities(connection)
    POLICY.check(who, action, place_record(chosen, known))
    return Reached(chosen.named(names), known, names)


def period_query(chosen: Period) -> str:
    return urlencode({"year": chosen.year, "term": chosen.term.value if chosen.term else ""})
