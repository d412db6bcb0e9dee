"""The panel's decision on a placement request, with the offer of the place it names."""

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
from placements.access import POLICY, of_decision
from placements.adapters import PlacementsStore
from placements.api.deps import today, vault
from placements.domain.options import OptionConsidered
from placements.domain.panel import MAX_MEMBERS, Panel, Vote
from placements.domain.request import MAX_PREFERENCES
from placements.domain.values import MAX_REASONS, PseudonymousId, ReasonCode
from placements.handlers.decisions import PanelProposal, decide_request

router = APIRouter(tags=["panel decisions"])
REQUEST_DECIDE = permit(POLICY, "request.decide")
DECISION_READ = permit(POLICY, "decision.read")


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


class DecisionRequest(BaseModel):
    """The setting the panel names, who sat and how they voted, what was considered, and why."""

    model_config = ConfigDict(extra="forbid")

    setting_id: PseudonymousId
    panel: Panel
    votes: Annotated[tuple[Vote, ...], Field(max_length=MAX_MEMBERS)]
    options_considered: Annotated[tuple[OptionConsidered, ...], Field(max_length=MAX_REASONS)] = ()
    preference_refusals: Annotated[
        tuple[PreferenceRefusalRequest, ...], Field(max_length=MAX_PREFERENCES)
    ] = ()
    rationale: Annotated[str, StringConstraints(max_length=20_000)]
    capacity_override_reason: ReasonCode | None = Field(
        None, description="offer the place beyond capacity: a KCC officer's authorised override"
    )


@router.post("/requests/{request_id}/decision", status_code=201)
async def decide(
    request: Request,
    request_id: PseudonymousId,
    body: DecisionRequest,
    who: Principal = Depends(REQUEST_DECIDE),
    the_vault: PersonalDataVault = Depends(vault),
) -> JSONResponse:
    """Record the panel's decision naming a setting, and offer the place. A specialist placement
    needs the options considered; a higher preference not named needs a statutory reason; an
    offer beyond the setting's capacity needs a KCC officer's override, recorded as its own
    event. The rationale's text stays here, encrypted; events carry its hash. A panel member
    records a decision only of a panel they sit on."""
    proposed = PanelProposal(
        setting_id=body.setting_id,
        panel=body.panel,
        votes=body.votes,
        options_considered=body.options_considered,
        preference_refusals=tuple((r.setting_id, r.reason) for r in body.preference_refusals),
        rationale=body.rationale,
        capacity_override_reason=body.capacity_override_reason,
    )

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        decision, offer = await decide_request(
            work, the_vault, who, request_id, proposed, today(request)
        )
        return 201, {
            "decision_id": decision.decision_id,
            "request_id": request_id,
            "setting_id": decision.setting.setting_id,
            "recused_member_ids": list(decision.recused_member_ids),
            "rationale": decision.rationale.model_dump(mode="json"),
            "offer": offer.model_dump(mode="json"),
        }

    return await run_command(request, who, handle)


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
