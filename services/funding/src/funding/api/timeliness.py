"""How long High Needs Funding decisions take from a complete application, against the target
of the policy each was decided under."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import TypeAdapter

from funding.access import PERMIT, check_places
from funding.adapters import FundingStore
from funding.domain.values import PseudonymousId
from inclusion_shared.auth import Principal
from inclusion_shared.kent import Area, District
from inclusion_shared.web.paging import PageRequest, page_request, paged

router = APIRouter(prefix="/hnf", tags=["high needs funding"])
DECISION_KEY: TypeAdapter[tuple[date, str]] = TypeAdapter(tuple[date, PseudonymousId])


@router.get("/timeliness")
async def timeliness(
    request: Request,
    area: Area | None = None,
    district: District | None = None,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["timeliness.read"]),
) -> dict[str, Any]:
    """The count of HNF decisions and the count that breached the target, and the decisions
    themselves, with their days from complete to decision and their target, a page at a time
    (by day decided; follow `next` until null): those in the caller's places, or in one area
    or district of them."""
    check_places(who, "timeliness.read", area, district)
    after = page.after_as(DECISION_KEY)
    async with request.app.state.service.pool.acquire() as connection:
        store = FundingStore(connection)
        decided, breaches = await store.timeliness_counts(who, area, district)
        decisions = await store.timeliness(who, area, district, after, page.fetch)
    shown, cursor = page.of(decisions, lambda d: (d["decided_on"], d["decision_id"]))
    return {
        "decided": decided,
        "breaches": breaches,
        "within_target": decided - breaches,
        **paged(shown, cursor, "decisions"),
    }
