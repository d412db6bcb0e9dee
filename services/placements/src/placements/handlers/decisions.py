"""A placement decision proposed to a panel, its members' votes, and the decision the vote
that makes them quorate takes, with the offer of the place it names: checked against the
setting's capacity, beyond which only a KCC officer's override allows an offer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import uuid4

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    CAPACITY_OVERRIDDEN,
    OFFER_MADE,
    PLACEMENT_DECIDED,
    VOTE_CAST,
    CapacityOverridden,
    OfferMade,
    OptionConsideredRecord,
    PanelMemberRecord,
    PlacementDecided,
    PreferenceRefusalRecord,
    VoteCast,
    VoteRecord,
)
from inclusion_shared.kent import AREA_OF
from inclusion_shared.persistence.personal_data import PersonalDataVault, PersonErased
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound, Unprocessable
from placements.access import POLICY, of_request, of_stored_request
from placements.adapters import PlacementsStore, StoredProposal, StoredRequest
from placements.domain.capacity import AuthorisingRole, Capacity, CapacityOverride
from placements.domain.offers import Offer, check_place_left, make_offer, places_held
from placements.domain.options import OptionConsidered
from placements.domain.panel import Panel, Standing, Vote, VoteChoice, check_votes
from placements.domain.placement_decision import (
    PlacementDecision,
    ProposedPlacement,
    check_proposal,
    decide_placement,
    under_decision,
)
from placements.domain.preferences import refuse_preference
from placements.domain.rationale import Rationale, check_written
from placements.domain.request import PlacementRequest
from placements.domain.roster import admit_vote
from placements.domain.setting import Setting
from placements.handlers.refusals import the_rules
from placements.handlers.requests import registry_of

# A request is decided once consulted on; after a declined offer it may be decided again.
DECIDABLE = {"received", "consulting"}


@dataclass(frozen=True)
class PanelProposal:
    """What the officer puts to the panel, as they sent it, and the reason for offering the
    place beyond capacity if they authorise that."""

    setting_id: str
    panel_id: str
    options_considered: tuple[OptionConsidered, ...]
    preference_refusals: tuple[tuple[str, str | None], ...]
    rationale: str
    capacity_override_reason: str | None = None


async def propose_placement(
    work: UnitOfWork,
    vault: PersonalDataVault,
    who: Principal,
    request_id: str,
    put: PanelProposal,
    today: date,
) -> StoredProposal:
    """Put a proposed decision to a panel of the case's area, its rationale sealed under the
    child's key; refused now if the panel could not carry it as proposed (a setting that cannot
    take the child, a consultation missing, options not exhausted, a preference not refused, no
    rationale, no place left without the officer's override)."""
    store = PlacementsStore(work.connection)
    stored = await store.request(request_id, for_update=True)
    if stored is None:
        raise NotFound(f"no request {request_id}")
    request = stored.request
    POLICY.check(who, "request.propose", of_stored_request(stored))
    if put.capacity_override_reason is not None:
        POLICY.check(who, "capacity.override", of_stored_request(stored))
    _ensure_decidable(stored)
    with the_rules():
        proposed = ProposedPlacement(
            setting_id=put.setting_id,
            options_considered=put.options_considered,
            preference_refusals=tuple(
                refuse_preference(request, setting_id, reason)
                for setting_id, reason in put.preference_refusals
            ),
            capacity_override_reason=put.capacity_override_reason,
        )
    proposal = StoredProposal(
        proposal_id=f"prop-{uuid4().hex[:20]}",
        request_id=request_id,
        panel_id=put.panel_id,
        status="open",
        proposed=proposed,
        proposed_by=who.subject,
        proposed_on=today,
        decision_id=f"pdec-{uuid4().hex[:20]}",
        votes=(),
    )
    if await store.has_open_proposal(request.request_id):
        raise Conflict(
            f"request {request.request_id} has a proposal open already", code="proposal_open"
        )
    roster = await store.roster(proposal.panel_id)
    if roster is None:
        raise Unprocessable(f"no panel {proposal.panel_id}", code="unknown_panel")
    if roster.area is not AREA_OF[request.district]:
        raise Unprocessable(
            f"panel {proposal.panel_id} serves {roster.area}, not {AREA_OF[request.district]}",
            code="panel_of_another_area",
        )
    registry = await registry_of(store, [proposed.setting_id])
    consultations = [c.consultation for c in await store.consultations(request.request_id)]
    text = Rationale(document_id=f"rationale:{proposal.decision_id}", text=put.rationale)
    with the_rules():
        setting = registry.setting(proposed.setting_id)
        check_proposal(
            request,
            setting,
            consultations,
            proposed.put_to_vote(proposal.decision_id, ()),
            text,
            today,
        )
    await _places_left(store, request, setting, _override(proposal))
    await vault.seal(
        work.connection,
        request.child_id,
        text.document_id,
        "decision-rationale",
        {"rationale": text.text},
    )
    await store.add_proposal(proposal)
    return proposal


async def cast_vote(
    work: UnitOfWork,
    vault: PersonalDataVault,
    who: Principal,
    proposal_id: str,
    choice: VoteChoice,
    today: date,
) -> tuple[StoredProposal, Vote, tuple[PlacementDecision, Offer] | None]:
    """A member's own vote on a proposal before their panel. The vote that makes the votes
    cast quorate takes the decision with it: recorded, with the offer of the place, if carried;
    the proposal closed if not."""
    store = PlacementsStore(work.connection)
    proposal = await store.proposal(proposal_id, for_update=True)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id}")
    stored = await store.request(proposal.request_id, for_update=True)
    assert stored is not None, "a proposal is for a request"
    POLICY.check(who, "request.vote", of_request(stored.request, proposal.panel_id))
    if proposal.status != "open":
        raise Conflict(
            f"proposal {proposal_id} is {proposal.status}; it takes no more votes",
            code="proposal_not_open",
        )
    _ensure_decidable(stored)
    request = stored.request
    roster = await store.roster(proposal.panel_id, for_update=True)
    assert roster is not None, "a proposal is put to a stored panel"
    consultations = [c.consultation for c in await store.consultations(request.request_id)]
    settings = under_decision(request, proposal.proposed.setting_id, consultations)
    with the_rules():
        admit_vote(roster, who.subject, settings, proposal.votes, today)
        vote = Vote(member_id=who.subject, choice=choice)  # a subject on the roster: an id
        votes = (*proposal.votes, vote)
        panel = roster.panel_on(today)
        standing = check_votes(panel, settings, votes)
    await store.add_vote(proposal_id, vote, today, roster.version)
    work.emit(
        VOTE_CAST.type,
        proposal.panel_id,
        VoteCast(
            proposal_id=proposal_id,
            request_id=request.request_id,
            panel_id=proposal.panel_id,
            member_id=vote.member_id,
            choice=vote.choice.value,
            cast_on=today,
            roster_version=roster.version,
        ),
    )
    taken = None
    if standing is Standing.CARRIED:
        taken = await _decide(
            work, vault, store, stored, proposal, panel, votes, roster.version, today
        )
    status = {Standing.OPEN: "open", Standing.CARRIED: "decided"}.get(standing, "not_carried")
    if status != "open":
        await store.set_proposal_status(proposal_id, status)
    return replace(proposal, status=status, votes=votes), vote, taken


def _ensure_decidable(stored: StoredRequest) -> None:
    if stored.status not in DECIDABLE:
        raise Conflict(
            f"request {stored.request.request_id} is {stored.status}; it cannot be decided now"
        )


def _override(proposal: StoredProposal) -> CapacityOverride | None:
    """An offer beyond capacity is the proposing officer's override, with their reason."""
    reason = proposal.proposed.capacity_override_reason
    if reason is None:
        return None
    return CapacityOverride(
        authorised_by=proposal.proposed_by, role=AuthorisingRole.KCC_OFFICER, reason=reason
    )


async def _decide(
    work: UnitOfWork,
    vault: PersonalDataVault,
    store: PlacementsStore,
    stored: StoredRequest,
    proposal: StoredProposal,
    panel: Panel,
    votes: tuple[Vote, ...],
    roster_version: int,
    today: date,
) -> tuple[PlacementDecision, Offer]:
    """Record the decision the panel carried, its rationale as the keyed digest under the
    child's key of what was written, and offer the place it names."""
    request = stored.request
    document_id = f"rationale:{proposal.decision_id}"
    try:
        text = (await vault.open(work.connection, document_id))["rationale"]
    except PersonErased:
        raise Conflict(
            "the child's details were erased: the proposal's rationale is gone",
            code="rationale_erased",
        ) from None
    rationale = Rationale(document_id=document_id, text=text)
    with the_rules():
        check_written(rationale)
    digest = await vault.digest(work.connection, request.child_id, rationale.written)
    registry = await registry_of(store, [proposal.proposed.setting_id])
    consultations = [c.consultation for c in await store.consultations(request.request_id)]
    with the_rules():
        setting = registry.setting(proposal.proposed.setting_id)
        decision = decide_placement(
            request,
            setting,
            consultations,
            panel,
            proposal.proposed.put_to_vote(proposal.decision_id, votes),
            rationale,
            digest,
            today,
        )
    offer = await _offer(work, store, decision, _override(proposal), today)
    await store.add_decision(decision)
    await store.add_offer(offer, request.request_id)
    await store.set_request_status(request.request_id, "offered")
    await store.put_before_panel(request.request_id, decision.panel.panel_id)
    work.emit(
        PLACEMENT_DECIDED.type,
        request.child_id,
        _decided(decision, proposal, roster_version),
    )
    work.emit(
        OFFER_MADE.type,
        request.child_id,
        OfferMade(
            offer_id=offer.offer_id,
            decision_id=decision.decision_id,
            request_id=request.request_id,
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


async def _places_left(
    store: PlacementsStore,
    request: PlacementRequest,
    setting: Setting,
    override: CapacityOverride | None,
) -> None:
    """Nothing, or why the place could not be offered now: no places recorded, or none left
    without an override."""
    capacity = await _capacity(store, setting, request.academic_year, for_update=False)
    offers = await store.offers_at(setting.setting_id, request.academic_year)
    with the_rules():
        check_place_left(capacity, offers, request.year_group, override)


async def _capacity(
    store: PlacementsStore, setting: Setting, academic_year: str, *, for_update: bool
) -> Capacity:
    capacity = await store.capacity(setting.setting_id, academic_year, for_update=for_update)
    if capacity is None:
        raise Unprocessable(
            f"no places are recorded at {setting.setting_id} for {academic_year}",
            code="no_capacity_recorded",
        )
    return capacity


async def _offer(
    work: UnitOfWork,
    store: PlacementsStore,
    decision: PlacementDecision,
    override: CapacityOverride | None,
    today: date,
) -> Offer:
    request, setting = decision.request, decision.setting
    # The lock on the capacity row makes offers at one setting in one year wait for each other.
    capacity = await _capacity(store, setting, request.academic_year, for_update=True)
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


def _decided(
    decision: PlacementDecision,
    put: StoredProposal | None = None,
    roster_version: int | None = None,
) -> PlacementDecided:
    """The decision event; without a proposal, as decisions were recorded before panels kept
    rosters."""
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
        proposal_id=put.proposal_id if put else None,
        proposed_by=put.proposed_by if put else None,
        roster_version=roster_version if put else None,
        rationale_document_id=decision.rationale.document_id,
        rationale_digest=decision.rationale.digest,
        record=decision.model_dump(mode="json"),
    )
