"""Placement decisions proposed to panels, their members' votes, and the decisions taken,
with the offer of the place each names."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.persistence.personal_data import PersonalDataVault, PersonErased
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, check_case, of_decision
from placements.adapters import PlacementsStore
from placements.api.deps import today, vault
from placements.domain.options import OptionConsidered
from placements.domain.panel import VoteChoice
from placements.domain.request import MAX_PREFERENCES
from placements.domain.values import MAX_REASONS, PseudonymousId, ReasonCode
from placements.handlers.decisions import PanelProposal, cast_vote, propose_placement
from placements.handlers.rationales import rationale_digest

router = APIRouter(tags=["panel decisions"])
REQUEST_PROPOSE = permit(POLICY, "request.propose")
REQUEST_VOTE = permit(POLICY, "request.vote")
REQUEST_READ = permit(POLICY, "request.read")
DECISION_READ = permit(POLICY, "decision.read")
RATIONALE_DIGEST = permit(POLICY, "rationale.digest")


class PreferenceRefusalRequest(BaseModel):
    """A family preference the panel does not name, and the statutory reason why."""

    model_config = ConfigDict(extra="forbid")

    setting_id: PseudonymousId
    reason: ReasonCode | None = Field(
        None,
        description="unsuitable_for_age_ability_aptitude_or_need, "
        "incompatible_with_efficient_education_of_others or "
        "incompatible_with_efficient_use_of_resources",
    )


class ProposalRequest(BaseModel):
    """What the officer asks a panel of the case's area to decide: the setting to name, what
    was considered, and why. Who sits and how they vote is never the proposal's say."""

    model_config = ConfigDict(extra="forbid")

    setting_id: PseudonymousId
    panel_id: PseudonymousId
    options_considered: Annotated[tuple[OptionConsidered, ...], Field(max_length=MAX_REASONS)] = ()
    preference_refusals: Annotated[
        tuple[PreferenceRefusalRequest, ...], Field(max_length=MAX_PREFERENCES)
    ] = ()
    rationale: Annotated[str, StringConstraints(max_length=20_000)]
    capacity_override_reason: ReasonCode | None = Field(
        None, description="offer the place beyond capacity: a KCC officer's authorised override"
    )


class VoteRequest(BaseModel):
    """A member's own vote: who votes is the token's subject, never the body's say."""

    model_config = ConfigDict(extra="forbid")

    choice: VoteChoice


@router.post("/requests/{request_id}/proposals", status_code=201)
async def propose(
    request: Request,
    request_id: PseudonymousId,
    body: ProposalRequest,
    who: Principal = Depends(REQUEST_PROPOSE),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Put a proposed decision naming a setting to a panel of the case's area, as an officer
    covering its district; the panel's members then vote. A specialist placement needs the
    options considered; a higher preference not named needs a statutory reason; an offer beyond
    the setting's capacity needs the officer's override. The rationale's text stays here,
    encrypted under the child's key; the decision's event carries a digest keyed by it."""

    proposed = PanelProposal(
        setting_id=body.setting_id,
        panel_id=body.panel_id,
        options_considered=body.options_considered,
        preference_refusals=tuple((r.setting_id, r.reason) for r in body.preference_refusals),
        rationale=body.rationale,
        capacity_override_reason=body.capacity_override_reason,
    )

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        made = await propose_placement(work, the_vault, who, request_id, proposed, today(request))
        return 201, made.view()

    return await run_command(request, who, handle)


@router.post("/proposals/{proposal_id}/votes", status_code=201)
async def vote(
    request: Request,
    proposal_id: PseudonymousId,
    body: VoteRequest,
    who: Principal = Depends(REQUEST_VOTE),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Vote, as a member of the proposal's panel eligible today and free of interest in every
    setting under decision (named, preferred or consulted). The vote that makes the votes
    quorate records the decision and offers the place if carried, or closes the proposal as
    not carried."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        proposal, cast, taken = await cast_vote(
            work, the_vault, who, proposal_id, body.choice, today(request)
        )
        decided = None
        if taken is not None:
            decision, offer = taken
            decided = {
                "decision_id": decision.decision_id,
                "request_id": proposal.request_id,
                "setting_id": decision.setting.setting_id,
                "recused_member_ids": list(decision.recused_member_ids),
                "rationale": decision.rationale.model_dump(mode="json"),
                "offer": offer.model_dump(mode="json"),
            }
        return 201, {
            "proposal_id": proposal.proposal_id,
            "vote": cast.model_dump(mode="json"),
            "status": proposal.status,
            "votes": [v.model_dump(mode="json") for v in proposal.votes],
            "decision": decided,
        }

    return await run_command(request, who, handle)


@router.get("/proposals/{proposal_id}")
async def read_proposal(
    request: Request,
    proposal_id: PseudonymousId,
    who: Principal = Depends(REQUEST_READ),
) -> dict[str, Any]:
    """A proposal and its votes, for whoever may read its request (the members of its panel
    among them)."""
    async with request.app.state.service.pool.acquire() as connection:
        store = PlacementsStore(connection)
        proposal = await store.proposal(proposal_id)
        if proposal is None:
            raise NotFound(f"no proposal {proposal_id}")
        stored = await store.request(proposal.request_id)
    assert stored is not None, "a proposal is for a request"
    check_case(who, "request.read", stored, (proposal.panel_id,))
    return proposal.view()


@router.get("/decisions/{decision_id}")
async def read_decision(
    request: Request,
    decision_id: PseudonymousId,
    who: Principal = Depends(DECISION_READ),
    the_vault: PersonalDataVault = Depends(vault),
) -> dict[str, Any]:
    """A decision's full record. Officers, panel members and the family also read the written
    rationale, while it exists; an auditor reads its reference only."""
    async with request.app.state.service.pool.acquire() as connection:
        decision = await PlacementsStore(connection).decision(decision_id)
        if decision is None:
            raise NotFound(f"no decision {decision_id}")
        record = of_decision(decision)
        POLICY.check(who, "decision.read", record)
        text = None
        if POLICY.allows(who, "rationale.read", record):
            try:
                opened = await the_vault.open(connection, decision.rationale.document_id)
                text = opened["rationale"]
            except PersonErased:
                text = None
    return {**decision.model_dump(mode="json"), "rationale_text": text}


@router.get("/decisions/{decision_id}/rationale-digest")
async def read_rationale_digest(
    request: Request,
    decision_id: PseudonymousId,
    who: Principal = Depends(RATIONALE_DIGEST),
    the_vault: PersonalDataVault = Depends(vault),
) -> dict[str, Any]:
    """The HMAC-SHA256 of a decision's written rationale under a key derived from the child's,
    recomputed from the text kept here, never the text: the auditor compares it with the
    decision event's `rationale_digest`. 410 Gone (code `erased`) once the child's key is
    erased: by design, nothing can be checked then."""
    async with request.app.state.service.pool.acquire() as connection:
        digest = await rationale_digest(connection, who, the_vault, decision_id)
    return {"decision_id": decision_id, "rationale_digest": digest}
