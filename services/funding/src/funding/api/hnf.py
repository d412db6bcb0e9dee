"""High Needs Funding applications, their withdrawal, and the decisions proposed to panels."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from funding.access import PERMIT
from funding.adapters import FundingStore, StoredProposal
from funding.api.deps import today, vault
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import ProposedOutcome
from funding.domain.values import PseudonymousId, ReasonCode
from funding.handlers.hnf import (
    check_application,
    propose_decision,
    submit_hnf,
    withdraw_application,
)
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import NEW_CHILD, ChildId, mint_child_id
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound

router = APIRouter(prefix="/hnf/applications", tags=["high needs funding"])

# No one pupil's top-up provision costs a million pounds a year: beyond that it is a typo.
MAX_COSTED_PROVISION_PENCE = 100_000_000


class ChildDetails(BaseModel):
    """Who the child is. Kept only in this service, encrypted under the child's own key."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    date_of_birth: date


class HnfApplicationRequest(HighNeedsApplication):
    """An application as a SENCO submits it; the service names it unless the school does."""

    application_id: PseudonymousId = Field(default_factory=lambda: f"hnf-{uuid4().hex[:20]}")
    child_id: ChildId = Field(default_factory=mint_child_id, description=NEW_CHILD)
    costed_provision_pence: (
        Annotated[int, Field(strict=True, ge=0, le=MAX_COSTED_PROVISION_PENCE)] | None
    ) = None
    child_details: ChildDetails | None = None

    def application(self) -> HighNeedsApplication:
        return HighNeedsApplication.model_validate(self.model_dump(exclude={"child_details"}))


class ProposalRequest(BaseModel):
    """What the officer asks a panel of the application's area to decide, and why."""

    model_config = ConfigDict(extra="forbid")

    panel_id: PseudonymousId
    outcome: ProposedOutcome
    rationale: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)
    ]
    override_reason: ReasonCode | None = Field(
        None,
        description="commit beyond the budget: the override of a KCC officer covering its area",
    )


class WithdrawalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: ReasonCode | None = None


@router.post("", status_code=201)
async def submit(
    request: Request,
    body: HnfApplicationRequest,
    who: Principal = Depends(PERMIT["hnf.submit"]),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """A SENCO applies for a pupil at their own setting. Incomplete applications come back
    with the missing evidence named (status `returned_incomplete`)."""
    application = body.application()

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        stored = await submit_hnf(work, who, application, today())
        if body.child_details is not None:
            await the_vault.seal(
                work.connection,
                application.child_id,
                f"child-details:{application.application_id}",
                "child-details",
                body.child_details.model_dump(mode="json"),
            )
        return 201, stored.view()

    return await run_command(request, who, handle)


@router.get("/{application_id}")
async def read(
    request: Request,
    application_id: PseudonymousId,
    who: Principal = Depends(PERMIT["hnf.read"]),
) -> dict[str, Any]:
    """An application, its decisions, each with the panel that made it, and the proposals put
    to panels with their votes: for the applying setting's SENCO, the child's family, the
    officers covering its district, the members of a panel it was put to, and the auditor."""
    async with request.app.state.service.pool.acquire() as connection:
        store = FundingStore(connection)
        stored = await store.application(application_id)
        if stored is None:
            raise NotFound(f"no application {application_id}")
        decisions = await store.decisions_of(application_id)
        proposals = await store.proposals_of(application_id)
    panels = (
        *(d["panel_id"] for d in decisions if d["panel_id"]),
        *(p.panel_id for p in proposals),
    )
    check_application(who, "hnf.read", stored, panels)
    return {
        **stored.view(),
        "decisions": decisions,
        "proposals": [proposal.view() for proposal in proposals],
    }


@router.post("/{application_id}/withdrawal")
async def withdraw(
    request: Request,
    application_id: PseudonymousId,
    body: WithdrawalRequest | None = None,
    who: Principal = Depends(PERMIT["hnf.withdraw"]),
) -> JSONResponse:
    """The SENCO of the applying setting withdraws the application before it is approved or
    declined; a decided or already withdrawn application answers 409."""
    reason = body.reason if body else None

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        stored = await withdraw_application(work, who, application_id, reason, today())
        return 200, stored.view()

    return await run_command(request, who, handle)


@router.post("/{application_id}/proposals", status_code=201)
async def propose(
    request: Request,
    application_id: PseudonymousId,
    body: ProposalRequest,
    who: Principal = Depends(PERMIT["hnf.propose"]),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Put a proposed decision to a panel of the application's area, as an officer covering
    its district; the panel's members then vote. An approval beyond the area's budget needs
    the override, with a reason, of an officer covering the whole area."""
    proposal = StoredProposal(
        proposal_id=f"prop-{uuid4().hex[:20]}",
        application_id=application_id,
        panel_id=body.panel_id,
        status="open",
        outcome=body.outcome,
        override_reason=body.override_reason,
        proposed_by=who.subject,
        proposed_on=today(),
        decision_id=f"dec-{uuid4().hex[:20]}",
        votes=(),
    )

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        made = await propose_decision(work, who, the_vault, proposal, body.rationale, today())
        return 201, made.view()

    return await run_command(request, who, handle)
