"""Proposed HNF decisions before a panel: each member votes as themselves, and the vote that
makes the votes cast quorate takes the decision."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from funding.access import PERMIT
from funding.adapters import FundingStore
from funding.api.deps import today, vault
from funding.domain.panel import VoteChoice
from funding.domain.values import PseudonymousId
from funding.handlers.hnf import cast_vote, check_application
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound

router = APIRouter(prefix="/hnf/proposals", tags=["high needs funding"])


class VoteRequest(BaseModel):
    """A member's own vote: who votes is the token's subject, never the body's say."""

    model_config = ConfigDict(extra="forbid")

    choice: VoteChoice


@router.post("/{proposal_id}/votes", status_code=201)
async def vote(
    request: Request,
    proposal_id: PseudonymousId,
    body: VoteRequest,
    who: Principal = Depends(PERMIT["hnf.vote"]),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Vote, as a member of the proposal's panel eligible today and free of interest in the
    setting. The vote that makes the votes quorate records the decision if carried (an
    approval commits the band's annual amount against the area's budget) or closes the
    proposal as not carried."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        proposal, cast, decision = await cast_vote(
            work, who, the_vault, proposal_id, body.choice, today()
        )
        taken = None
        if decision is not None:
            taken = {
                "decision_id": decision.decision_id,
                "application_id": proposal.application_id,
                "outcome": decision.outcome.model_dump(mode="json"),
                "policy_version": decision.policy_version,
                "rules": [rule.model_dump(mode="json") for rule in decision.evaluation.rules],
            }
        return 201, {
            "proposal_id": proposal.proposal_id,
            "vote": cast.model_dump(mode="json"),
            "status": proposal.status,
            "votes": [v.model_dump(mode="json") for v in proposal.votes],
            "decision": taken,
        }

    return await run_command(request, who, handle)


@router.get("/{proposal_id}")
async def read(
    request: Request,
    proposal_id: PseudonymousId,
    who: Principal = Depends(PERMIT["hnf.read"]),
) -> dict[str, Any]:
    """A proposal and its votes, for whoever may read its application (the members of its
    panel among them)."""
    async with request.app.state.service.pool.acquire() as connection:
        store = FundingStore(connection)
        proposal = await store.proposal(proposal_id)
        if proposal is None:
            raise NotFound(f"no proposal {proposal_id}")
        stored = await store.application(proposal.application_id)
    assert stored is not None, "a proposal is for an application"
    check_application(who, "hnf.read", stored, (proposal.panel_id,))
    return proposal.view()
