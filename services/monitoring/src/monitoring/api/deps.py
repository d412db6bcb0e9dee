"""What every monitoring page needs: the pool, today's financial year, and the scope and period
a request asks for (a bad one is a clear 4xx)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

import asyncpg
from fastapi import Query, Request

from inclusion_shared.web.problems import NotFound, Problem
from monitoring.domain.periods import Period, Term, financial_year_of
from monitoring.domain.places import Scope


def pool(request: Request) -> asyncpg.Pool:
    found: asyncpg.Pool = request.app.state.service.pool
    return found


def current_year() -> str:
    return financial_year_of(datetime.now(UTC).date())


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
    scope: Annotated[str, Query(max_length=80, description="kent, area:…, district:…")] = "kent",
) -> Scope:
    try:
        return Scope.parse(scope)
    except ValueError as error:
        raise NotFound(str(error)) from None


def period_query(chosen: Period) -> str:
    return urlencode({"year": chosen.year, "term": chosen.term.value if chosen.term else ""})
