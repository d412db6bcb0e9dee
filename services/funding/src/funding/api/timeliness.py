"""How long High Needs Funding decisions take from a complete application, against the target
of the policy each was decided under."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from funding.adapters import FundingStore
from inclusion_shared.auth import Principal, Role, allow
from inclusion_shared.kent import Area, District

router = APIRouter(prefix="/hnf", tags=["high needs funding"])


@router.get("/timeliness")
async def timeliness(
    request: Request,
    area: Area | None = None,
    district: District | None = None,
    _: Principal = Depends(allow(Role.KCC_OFFICER, Role.AUDITOR, Role.AREA_BOARD)),
) -> dict[str, Any]:
    """Every HNF decision with its days from complete to decision and its target; the count
    decided and the count that breached the target. Optionally for one area or district."""
    async with request.app.state.service.pool.acquire() as connection:
        decisions = await FundingStore(connection).timeliness(area, district)
    breaches = sum(1 for decision in decisions if decision["target_breached"])
    return {
        "decided": len(decisions),
        "breaches": breaches,
        "within_target": len(decisions) - breaches,
        "decisions": decisions,
    }
