"""The panel's decision on a placement request, and the offer of the place it names: checked
against the setting's capacity, beyond which only a KCC officer's override allows an offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    CAPACITY_OVERRIDDEN,
    OFFER_MADE,
    PLACEMENT_DECIDED,
    CapacityOverridden,
    OfferMade,
    OptionConsideredRecord,
    PanelMemberRecord,
    PlacementDecided,
    PreferenceRefusalRecord,
    VoteRecord,
)
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound, Unprocessable
from placements.access import POLICY, of_request, officer_id
from placements.adapters import PlacementsStore
from placements.domain.capacity import AuthorisingRole, CapacityOverride
from placements.domain.offers import Offer, make_offer, places_held
from placements.domain.options import OptionConsidered
from placements.domain.panel import Panel, Vote
from placements.domain.placement_decision import PlacementDecision, Proposal, decide_placement
from placements.domain.preferences import refuse_preference
from placements.domain.rationale import Rationale
from placements.handlers.refusals import the_rules
from placements.handlers.requests import registry_of

# A request is decided once consulted on; after a declined offer it may be decided again.
DECIDABLE = {"received", "consulting"}


@dataclass(frozen=True)
class PanelProposal:
    """What the panel put to the vote, as the caller sent it, and the reason for offering the
    place beyond capacity if the caller authorises that."""

    setting_id: str
    panel: Panel
    votes: tuple[Vote, ...]
    options_considered: tuple[OptionConsidered, ...]
    preference_refusals: tuple[tuple[str, str | None], ...]
    rationale: str
    capacity_override_reason: str | None = None


async def decide_request(
    work: UnitOfWork,
    vault: PersonalDataVault,
    who: Principal,
    request_id: str,
    proposed: PanelProposal,
    today: date,
) -> tuple[PlacementDecision, Offer]:
    """Record the panel's decision and offer the place it names, or refuse both. A panel
    member records it only for a panel they sit on (the panel the decision names)."""
    store = PlacementsStore(work.connection)
    stored = await store.request(request_id, for_update=True)
    if stored is None:
        raise NotFound(f"no request {request_id}")
    case = of_request(stored.request, proposed.panel.panel_id)
    POLICY.check(who, "request.decide", case)
    override = None
    if proposed.capacity_override_reason is not None:
        POLICY.check(who, "capacity.override", case)
        override = CapacityOverride(
            authorised_by=officer_id(who),
            role=AuthorisingRole.KCC_OFFICER,
            reason=proposed.capacity_override_reason,
        )
    if stored.status not in DECIDABLE:
        raise Conflict(f"request {request_id} is {stored.status}; it cannot be decided now")
    request = stored.request
    registry = await registry_of(store, [proposed.setting_id])
    consultations = [stored.consultation for stored in await store.consultations(request_id)]
    decision_id = f"pdec-{uuid4().hex[:20]}"
    with the_rules():
        setting = registry.setting(proposed.setting_id)
        proposal = Proposal(
            decision_id=decision_id,
            options_considered=proposed.options_considered,
            preference_refusals=tuple(
                refuse_preference(request, setting_id, reason)
                for setting_id, reason in proposed.preference_refusals
            ),
            votes=proposed.votes,
        )
        rationale = Rationale(document_id=f"rationale:{decision_id}", text=proposed.rationale)
        decision = decide_placement(
            request, setting, consultations, proposed.panel, proposal, rationale, today
        )
    offer = await _offer(work, store, decision, override, today)
    await vault.seal(
        work.connection,
        request.child_id,
        rationale.document_id,
        "decision-rationale",
        {"rationale": rationale.text},
    )
    await store.add_decision(decision)
    await store.add_offer(offer, request_id)
    await store.set_request_status(request_id, "offered")
    await store.put_before_panel(request_id, decision.panel.panel_id)
    work.emit(PLACEMENT_DECIDED.type, request.child_id, _decided(decision))
    work.emit(
        OFFER_MADE.type,
        request.child_id,
        OfferMade(
            offer_id=offer.offer_id,
            decision_id=decision.decision_id,
            request_id=request_id,
            child_id=offer.child_id,
            setting_id=offer.setting_id,
            setting_type=offer.provision.value,
            district=setting.district,
            area=setting.area,
            academic_year=offer.academic_year,
            year_group=int(offer.year_group),
            made_on=offer.made_on,
            over_capacity=offer.over_capacity is not None,
        ),
    )
    return decision, offer


async def _offer(
    work: UnitOfWork,
    store: PlacementsStore,
    decision: PlacementDecision,
    override: CapacityOverride | None,
    today: date,
) -> Offer:
    request, setting = decision.request, decision.setting
    # The lock on the capacity row makes offers at one setting in one year wait for each other.
    capacity = await store.capacity(setting.setting_id, request.academic_year, for_update=True)
    if capacity is None:
        raise Unprocessable(
            f"no places are recorded at {setting.setting_id} for {request.academic_year}",
            code="no_capacity_recorded",
        )
    offers = await store.offers_at(setting.setting_id, request.academic_year)
    with the_rules():
        offer = make_offer(
            decision,
            capacity,
            offers,
            offer_id=f"offer-{uuid4().hex[:20]}",
            made_on=today,
            override=override,
        )
    if offer.over_capacity is not None:
        authorised = offer.over_capacity
        work.emit(
            CAPACITY_OVERRIDDEN.type,
            setting.setting_id,
            CapacityOverridden(
                setting_id=setting.setting_id,
                academic_year=capacity.academic_year,
                year_group=int(request.year_group),
                offer_id=offer.offer_id,
                decision_id=decision.decision_id,
                places=capacity.places_for(request.year_group),
                held_before=places_held(capacity, offers, request.year_group),
                authorised_by=authorised.authorised_by,
                authorised_role=authorised.role.value,
                reason=authorised.reason,
            ),
        )
    return offer


def _decided(decision: PlacementDecision) -> PlacementDecided:
    request, setting, proposal = decision.request, decision.setting, decision.proposal
    recused = set(decision.recused_member_ids)
    return PlacementDecided(
        decision_id=decision.decision_id,
        request_id=request.request_id,
        child_id=request.child_id,
        setting_id=setting.setting_id,
        setting_type=setting.provision.value,
        district=setting.district,
        area=setting.area,
        academic_year=request.academic_year,
        phase=request.phase.value,
        year_group=int(request.year_group),
        need_type=request.need_type.value,
        decided_on=decision.decided_on,
        options_considered=tuple(
            OptionConsideredRecord(
                option=entry.option.value, not_enough_because=entry.not_enough_because
            )
            for entry in proposal.options_considered
        ),
        preference_refusals=tuple(
            PreferenceRefusalRecord(setting_id=refusal.setting_id, reason=refusal.reason.value)
            for refusal in proposal.preference_refusals
        ),
        panel_id=decision.panel.panel_id,
        panel=tuple(
            PanelMemberRecord(
                member_id=member.member_id,
                role=member.role.value,
                declared_interests=member.declared_interests,
                recused=member.member_id in recused,
            )
            for member in decision.panel.members
        ),
        votes=tuple(
            VoteRecord(member_id=vote.member_id, choice=vote.choice.value)
            for vote in proposal.votes
        ),
        rationale_document_id=decision.rationale.document_id,
        rationale_sha256=decision.rationale.sha256,
        record=decision.model_dump(mode="json"),
    )
