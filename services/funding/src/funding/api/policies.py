"""Funding policy versions: the rules and rates in force, published as audited events."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from funding import access
from funding.access import PERMIT, POLICY
from funding.adapters import FundingStore
from funding.domain.policy import FundingPolicy
from funding.handlers.policies import publish_policy
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.paging import PageRequest, page_request, paged

router = APIRouter(prefix="/policies", tags=["policies"])
# Versions are listed by the day they take effect, which no two versions share.
POLICY_KEY: TypeAdapter[tuple[date]] = TypeAdapter(tuple[date])


@router.post("", status_code=201)
async def publish(
    request: Request,
    policy: FundingPolicy,
    who: Principal = Depends(PERMIT["policy.publish"]),
) -> JSONResponse:
    """Publish a new version of Kent's rules and rates, as a Kent-wide officer; earlier
    versions stay as they were."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        POLICY.check(who, "policy.publish", access.KENT)
        await publish_policy(work, policy, who.subject)
        return 201, {"version": policy.version, "effective_from": policy.effective_from.isoformat()}

    return await run_command(request, who, handle)


@router.get("")
async def list_policies(
    request: Request,
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["policy.read"]),
) -> dict[str, Any]:
    """Every published version, oldest first, a page at a time: follow `next` until null."""
    after = page.after_as(POLICY_KEY)
    async with request.app.state.service.pool.acquire() as connection:
        policies = await FundingStore(connection).policies_page(
            who, after[0] if after else None, page.fetch
        )
    shown, cursor = page.of(policies, lambda policy: (policy.effective_from.isoformat(),))
    return paged([policy.model_dump(mode="json") for policy in shown], cursor, "policies")
