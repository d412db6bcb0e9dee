"""Disability Access Fund claims from early years providers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from funding.access import PERMIT
from funding.api.deps import today
from funding.domain.values import PseudonymousId
from funding.handlers.daf import claim_disability_access_fund
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import NEW_CHILD, ChildId, mint_child_id
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command

router = APIRouter(prefix="/daf/claims", tags=["disability access fund"])


class DafClaimRequest(BaseModel):
    """A provider's claim for a child on Disability Living Allowance, for this financial year."""

    model_config = ConfigDict(extra="forbid")

    claim_id: PseudonymousId = Field(default_factory=lambda: f"daf-{uuid4().hex[:20]}")
    child_id: ChildId = Field(default_factory=mint_child_id, description=NEW_CHILD)
    provider_id: PseudonymousId
    child_receives_dla: bool = Field(strict=True)


@router.post("", status_code=201)
async def claim(
    request: Request,
    body: DafClaimRequest,
    who: Principal = Depends(PERMIT["daf.claim"]),
) -> JSONResponse:
    """Claim the yearly lump sum, as the provider's SENCO. It goes to one provider only: a
    second claim for the same child and financial year, from any provider, is refused with
    `daf_already_claimed`."""
    decision_id = f"dec-{uuid4().hex[:20]}"

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        accepted = await claim_disability_access_fund(
            work,
            who,
            claim_id=body.claim_id,
            decision_id=decision_id,
            child_id=body.child_id,
            provider_id=body.provider_id,
            child_receives_dla=body.child_receives_dla,
            today=today(),
        )
        return 201, {"decision_id": decision_id, **accepted.model_dump(mode="json")}

    return await run_command(request, who, handle)
