"""SENIF applications from early years settings, and the officers' decisions on them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from funding.access import PERMIT
from funding.api.deps import today
from funding.domain.senif import SenifApplication
from funding.domain.values import PseudonymousId
from funding.handlers.senif import decide_senif_application, submit_senif
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import NEW_CHILD, ChildId, PersonId, mint_child_id
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command

router = APIRouter(prefix="/senif/applications", tags=["senif"])


class SenifApplicationRequest(SenifApplication):
    """An application as a setting's SENCO submits it; the service names it unless they do."""

    application_id: PseudonymousId = Field(default_factory=lambda: f"senif-{uuid4().hex[:20]}")
    child_id: ChildId = Field(default_factory=mint_child_id, description=NEW_CHILD)

    def application(self) -> SenifApplication:
        return SenifApplication.model_validate(self.model_dump())


class AwardRequest(BaseModel):
    """The deciding officer names the second officer who quality assured the decision."""

    model_config = ConfigDict(extra="forbid")

    quality_assured_by: PersonId
    start_on: date


@router.post("", status_code=201)
async def submit(
    request: Request,
    body: SenifApplicationRequest,
    who: Principal = Depends(PERMIT["senif.submit"]),
) -> JSONResponse:
    """An early years setting's SENCO applies for a child at their own setting. A request for
    more hours than SENIF allows (30 a week, 15 for an eligible two-year-old, never more than
    the child attends) is refused with `senif_hours_above_cap`."""
    application = body.application()

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        stored = await submit_senif(work, who, application, today())
        return 201, stored.view()

    return await run_command(request, who, handle)


@router.post("/{application_id}/award", status_code=201)
async def award(
    request: Request,
    application_id: PseudonymousId,
    body: AwardRequest,
    who: Principal = Depends(PERMIT["senif.decide"]),
) -> JSONResponse:
    """The SEN Inclusion Funding Officer, covering the setting's district, decides against
    the criteria: `awarded` when every rule is met, `refused` citing the failed rules
    otherwise. A second officer must have quality assured it: the deciding officer cannot
    (`quality_assured_by_deciding_officer`)."""
    decided_by = who.subject

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        decision = await decide_senif_application(
            work,
            who,
            application_id,
            decision_id=f"dec-{uuid4().hex[:20]}",
            award_id=f"senif-award-{uuid4().hex[:16]}",
            decided_by=decided_by,
            quality_assured_by=body.quality_assured_by,
            start_on=body.start_on,
            today=today(),
        )
        return 201, {
            "decision_id": decision.decision_id,
            "application_id": application_id,
            "outcome": decision.outcome,
            "award": decision.award.model_dump(mode="json", exclude={"evaluation"})
            if decision.award
            else None,
            "failed_rules": list(decision.evaluation.failed_rules),
            "policy_version": decision.policy_version,
            "rules": [rule.model_dump(mode="json") for rule in decision.evaluation.rules],
        }

    return await run_command(request, who, handle)
