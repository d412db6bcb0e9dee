"""Decision logs for the auditor's tool to read: the funding and placements services' events as
their outboxes seal them (same event types, same data models, same handlers' records), built
from the services' own domain rules, then handed to the verifier as Kafka records."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any
from uuid import uuid4

from funding.domain.daf import claim_daf
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import Proposal, ProposeApproval, decide_hnf
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.panel import Panel, PanelMember, PanelRole, Vote, VoteChoice
from funding.domain.policy import FundingPolicy, load_policy
from funding.domain.senif import EarlyYearsSettingType, SenifApplication, SenifRoute
from funding.domain.senif_decision import decide_senif
from funding.handlers.hnf import auditable_record
from inclusion_cli.audit.verify import LogRecord
from inclusion_shared.audit.checkpoints import audit_public_key, generate_audit_key, sign
from inclusion_shared.contracts import placements as placement_events
from inclusion_shared.contracts.funding import (
    ALLOCATION_COMMITTED,
    BUDGET_SET,
    DECISION_RECORDED,
    POLICY_PUBLISHED,
    AllocationCommitted,
    BudgetSet,
    DecisionRecorded,
    PolicyPublished,
)
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS
from inclusion_shared.events.chain import event_hash
from inclusion_shared.events.envelope import GENESIS_HASH, Actor
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.identifiers import child_id_for, person_id_for
from inclusion_shared.kent import District
from inclusion_shared.persistence.outbox import Cause, NewEvent, Outbox
from placements.domain import panel as placement_panel
from placements.domain.capacity import Capacity, YearGroupPlaces
from placements.domain.consultation import consult
from placements.domain.offers import Offer, make_offer
from placements.domain.options import Option, OptionConsidered
from placements.domain.placement_decision import PlacementDecision, decide_placement
from placements.domain.placement_decision import Proposal as PlacementProposal
from placements.domain.preferences import refuse_preference
from placements.domain.rationale import Rationale
from placements.domain.registry import SettingRegistry, register_setting
from placements.domain.request import PlacementRequest
from placements.domain.setting import ProvisionType, Setting
from placements.domain.values import NeedType
from placements.domain.year_groups import YearGroup
from placements.handlers.decisions import _decided

SIGNING_KEYS = {"funding": generate_audit_key(), "placements": generate_audit_key()}
CHILDS_DIGEST_KEY = bytes(32)


def keyed_digest(text: str) -> str:
    """A rationale's digest as a service's vault takes it, under a key of the child's (one
    fixed key here: the log's own checks never need the child's)."""
    return hmac.new(CHILDS_DIGEST_KEY, text.strip().encode(), hashlib.sha256).hexdigest()


KEYS = {service: audit_public_key(key) for service, key in SIGNING_KEYS.items()}
POLICY = load_policy(
    json.loads(resources.files("funding").joinpath("policies/kent-example-2026.1.json").read_text())
)
DECIDED_ON = date(2026, 10, 5)
Wire = dict[str, Any]


def seal(service: str, news: list[NewEvent]) -> list[Wire]:
    """A service's chain from position 1, as its outbox seals it, as wire dictionaries."""
    outbox = Outbox(service)
    events, previous = [], GENESIS_HASH
    cause = Cause(
        correlation_id=uuid4(), actor=Actor(role="kcc-officer", id=person_id_for("officer-1"))
    )
    for seq, new in enumerate(news, start=1):
        event = outbox.seal(new, cause, seq, previous, datetime.now(UTC), None)
        previous = event.chainhash
        events.append(event.to_wire())
    return events


def rehash(event: Wire) -> Wire:
    event["chainhash"] = event_hash(event)
    return event


def rechain(events: list[Wire], start: int) -> list[Wire]:
    """What a service that re-chained its tampered log would publish: every event from
    ``start`` on names its (new) predecessor's hash and is hashed again."""
    for index in range(start, len(events)):
        if index:
            events[index]["chainprev"] = events[index - 1]["chainhash"]
        rehash(events[index])
    return events


def checkpoint(events: list[Wire], key: bytes | None = None) -> bytes:
    """The service's signed checkpoint over its chain head."""
    head = events[-1]
    service = head["source"].rsplit("/", 1)[-1]
    return sign(
        key or SIGNING_KEYS[service], f"kent/{service}", head["chainseq"], head["chainhash"]
    ).to_bytes()


def log_of(events: list[Wire], *checkpoints: bytes) -> list[LogRecord]:
    records = [
        LogRecord(
            CONTRACTS[event["type"]].topic.name,
            0,
            offset,
            json.dumps(event, separators=(",", ":")).encode(),
        )
        for offset, event in enumerate(events)
    ]
    records += [LogRecord(AUDIT_CHECKPOINTS.name, 0, n, raw) for n, raw in enumerate(checkpoints)]
    return records


def signed_log(*chains: list[Wire]) -> list[LogRecord]:
    """Every chain given, each signed through its head."""
    records: list[LogRecord] = []
    for chain in chains:
        records += log_of(chain)
    checkpoints = [checkpoint(chain) for chain in chains]
    records += [LogRecord(AUDIT_CHECKPOINTS.name, 0, n, raw) for n, raw in enumerate(checkpoints)]
    return records


def news(contract_type: str, subject: str, data: EventData) -> NewEvent:
    return NewEvent(contract_type, subject, data)


def policy_published(policy: FundingPolicy = POLICY) -> NewEvent:
    return news(
        POLICY_PUBLISHED.type,
        policy.version,
        PolicyPublished(
            version=policy.version,
            effective_from=policy.effective_from,
            label=policy.label,
            document=policy.model_dump(mode="json"),
        ),
    )


def budget_set(amount: int) -> NewEvent:
    return news(
        BUDGET_SET.type,
        "east-kent:2026-27",
        BudgetSet(area="east-kent", financial_year="2026-27", annual_amount_pence=amount),
    )


# --- HNF -------------------------------------------------------------------------------------


def hnf_decision() -> DecisionRecorded:
    """The panel approves band 3 for a Thanet child: 900,000 pence a year."""
    app = HighNeedsApplication.model_validate(
        {
            "application_id": "hnf-1",
            "child_id": "child-4b8669e033ccb7794915",
            "setting_id": "school-0042",
            "setting_type": "mainstream",
            "district": "thanet",
            "phase": "primary",
            "has_ehcp": True,
            "sen_support_severe_and_complex": False,
            "on_roll_full_time": True,
            "normally_available_resources_used": True,
            "matches_mainstream_core_standards": True,
            "needs_reports": ["doc-1"],
            "provision_plans": [
                {"document_id": "plan-1", "dated": "2026-01-12"},
                {"document_id": "plan-2", "dated": "2026-05-18"},
            ],
            "staff_trained_on": "2025-06-30",
            "costed_provision_pence": 1_450_000,
            "requested_band": 3,
        }
    )
    members = (
        PanelMember(member_id=person_id_for("officer-1"), role=PanelRole.KCC_OFFICER),
        PanelMember(member_id=person_id_for("senco-2"), role=PanelRole.SENCO),
        PanelMember(member_id=person_id_for("head-3"), role=PanelRole.HEADTEACHER),
    )
    proposal = Proposal(
        decision_id="dec-1",
        outcome=ProposeApproval(band=3, start_on=date(2026, 11, 1), review_on=date(2027, 10, 31)),
        rationale="daily individual support is needed",
        votes=tuple(Vote(member_id=m.member_id, choice=VoteChoice.FOR) for m in members),
    )
    decision = decide_hnf(
        app,
        evaluate_hnf(app, POLICY, DECIDED_ON),
        Panel(panel_id="panel-1", members=members),
        proposal,
        POLICY,
    )
    return DecisionRecorded(
        decision_id="dec-1",
        application_id="hnf-1",
        scheme="hnf",
        child_id=app.child_id,
        setting_id=app.setting_id,
        district=app.district,
        area="east-kent",
        outcome="approved",
        band=3,
        annual_amount_pence=900_000,
        policy_version=POLICY.version,
        decided_on=DECIDED_ON,
        rationale_digest=keyed_digest(proposal.rationale),
        record=auditable_record(decision, keyed_digest(proposal.rationale)),
    )


def hnf_commitment() -> AllocationCommitted:
    """The approval's money committed against East Kent's budget, as the service commits it
    before recording the decision."""
    return AllocationCommitted(
        commitment_id="dec-1",
        decision_id="dec-1",
        area="east-kent",
        financial_year="2026-27",
        amount_pence=900_000,
        remaining_pence=4_100_000,
    )


def funding_chain() -> list[Wire]:
    """Policy, budget, commitment, HNF decision, a new budget: positions 1 to 5."""
    return seal(
        "funding",
        [
            policy_published(),
            budget_set(5_000_000),
            news(ALLOCATION_COMMITTED.type, "east-kent:2026-27", hnf_commitment()),
            news(DECISION_RECORDED.type, "dec-1", hnf_decision()),
            budget_set(6_000_000),
        ],
    )


# --- SENIF and DAF ---------------------------------------------------------------------------


def senif_decision(**changes: Any) -> DecisionRecorded:
    """The SEN Inclusion Funding Officer awards 12.5 hours a week at a maintained nursery."""
    app = SenifApplication(
        application_id="senif-app-3",
        child_id="child-7e8647a8748273dfb402",
        setting_id="nursery-0311",
        setting_type=EarlyYearsSettingType.MAINTAINED_NURSERY,
        route=SenifRoute.SUPPORT_PLAN,
        takes_up_funded_early_education=True,
        has_ehcp=False,
        eligible_two_year_old=False,
        funded_hours_attended_per_week=Decimal("25"),
        hours_requested_per_week=Decimal("12.5"),
        for_one_to_one_support=False,
        ordinarily_available_provision_in_place=True,
        support_plan_id="doc-support-plan-3",
        support_plan_reviewed_on=date(2026, 9, 1),
    ).evolve(**changes)
    decision = decide_senif(
        app,
        POLICY,
        DECIDED_ON,
        decision_id="decision-senif-1",
        award_id="senif-award-3",
        decided_by=person_id_for("officer-senif-1"),
        quality_assured_by=person_id_for("officer-senif-2"),
        start_on=date(2026, 10, 12),
    )
    return DecisionRecorded(
        decision_id=decision.decision_id,
        application_id=app.application_id,
        scheme="senif",
        child_id=app.child_id,
        setting_id=app.setting_id,
        district="thanet",
        area="east-kent",
        outcome=decision.outcome,
        start_on=decision.start_on if decision.award is not None else None,
        failed_rules=decision.evaluation.failed_rules,
        policy_version=POLICY.version,
        decided_on=DECIDED_ON,
        record=decision.model_dump(mode="json"),
    )


def daf_decision(decision_id: str, claim_id: str, provider_id: str) -> DecisionRecorded:
    """A provider's Disability Access Fund claim for a child on DLA, accepted."""
    claim = claim_daf(
        claim_id=claim_id,
        child_id="child-593372968c9b553adf08",
        provider_id=provider_id,
        financial_year="2026-27",
        child_receives_dla=True,
        existing_claims=(),
        policy=POLICY,
    )
    return DecisionRecorded(
        decision_id=decision_id,
        application_id=claim_id,
        scheme="daf",
        child_id=claim.child_id,
        setting_id=provider_id,
        district="thanet",
        area="east-kent",
        outcome="awarded",
        annual_amount_pence=claim.amount_pence,
        policy_version=POLICY.version,
        decided_on=DECIDED_ON,
        record={"claim": claim.model_dump(mode="json"), "child_receives_dla": True},
    )


def early_years_chain(*decisions: DecisionRecorded) -> list[Wire]:
    """The policy, then the decisions given, in the funding service's chain."""
    return seal(
        "funding",
        [policy_published()] + [news(DECISION_RECORDED.type, d.decision_id, d) for d in decisions],
    )


# --- placements ------------------------------------------------------------------------------

SECONDARY, SECONDARY_SRP, SPECIAL = "mainstream-0201", "srp-0301", "special-0401"
PLACEMENT_DECIDED_ON = date(2026, 11, 16)
SRP_OPTIONS = (
    OptionConsidered(
        option=Option.GRADUATED_RESPONSE, not_enough_because="needs_exceed_sen_support"
    ),
    OptionConsidered(option=Option.LIFT_OR_STLS, not_enough_because="stls_advice_insufficient"),
    OptionConsidered(option=Option.NEAREST_MAINSTREAM, not_enough_because="sensory_environment"),
)


def _setting(setting_id: str, provision: ProvisionType, *needs: NeedType) -> Setting:
    lowest, highest = YearGroup.YEAR_7, YearGroup.YEAR_11
    return Setting(
        setting_id=setting_id,
        provision=provision,
        district=District.THANET,
        community_id="cos-17",
        lowest_year=lowest,
        highest_year=highest,
        need_types=needs,
    )


def _registry() -> SettingRegistry:
    registry = SettingRegistry()
    for setting in (
        _setting(SECONDARY, ProvisionType.MAINSTREAM),
        _setting(SECONDARY_SRP, ProvisionType.SRP, NeedType.ASD),
        _setting(SPECIAL, ProvisionType.SPECIAL, NeedType.ASD),
    ):
        registry = register_setting(registry, setting)
    return registry


def placement_decision(number: int) -> PlacementDecision:
    """The panel names the secondary SRP for a Year 7 autistic child (request ``number``);
    senco-2, who declared an interest in the SRP, is recused."""
    registry = _registry()
    request = PlacementRequest(
        request_id=f"request-{number}",
        child_id=child_id_for(f"chain-{number:04d}"),
        received_on=date(2026, 10, 1),
        district=District.THANET,
        academic_year="2027-28",
        year_group=YearGroup.YEAR_7,
        need_type=NeedType.ASD,
        has_ehcp=True,
        provision_sought=ProvisionType.SRP,
        preferences=(SPECIAL, SECONDARY_SRP),
    )
    panel = placement_panel.Panel(
        panel_id="panel-thanet-1",
        members=(
            placement_panel.PanelMember(
                member_id=person_id_for("officer-1"), role=placement_panel.PanelRole.KCC_OFFICER
            ),
            placement_panel.PanelMember(
                member_id=person_id_for("senco-1"), role=placement_panel.PanelRole.SENCO
            ),
            placement_panel.PanelMember(
                member_id=person_id_for("head-1"), role=placement_panel.PanelRole.HEADTEACHER
            ),
            placement_panel.PanelMember(
                member_id=person_id_for("senco-2"),
                role=placement_panel.PanelRole.SENCO,
                declared_interests=(SECONDARY_SRP,),
            ),
        ),
        quorum=placement_panel.QuorumRule(min_voting_members=3, min_kcc_officers=1, min_sencos=1),
    )
    proposal = PlacementProposal(
        decision_id=f"pdec-{number}",
        options_considered=SRP_OPTIONS,
        preference_refusals=(
            refuse_preference(request, SPECIAL, "unsuitable_for_age_ability_aptitude_or_need"),
        ),
        votes=tuple(
            placement_panel.Vote(member_id=member, choice=placement_panel.VoteChoice.FOR)
            for member in (
                person_id_for("officer-1"),
                person_id_for("senco-1"),
                person_id_for("head-1"),
            )
        ),
    )
    return decide_placement(
        request,
        registry.setting(SECONDARY_SRP),
        consult(request, registry, SECONDARY, date(2026, 10, 2)),
        panel,
        proposal,
        Rationale(document_id=f"rationale-{number}", text="meets communication needs"),
        keyed_digest("meets communication needs"),
        PLACEMENT_DECIDED_ON,
    )


def capacity_set(places: int) -> NewEvent:
    """The SRP's Year 7 places for 2027-28."""
    return news(
        placement_events.CAPACITY_SET.type,
        SECONDARY_SRP,
        placement_events.CapacitySet(
            setting_id=SECONDARY_SRP,
            setting_type="srp",
            district="thanet",
            area="east-kent",
            academic_year="2027-28",
            by_year_group=(placement_events.YearGroupPlaces(year_group=7, places=places),),
            total_places=places,
        ),
    )


def offer_made(decision: PlacementDecision, offer: Offer) -> NewEvent:
    return news(
        placement_events.OFFER_MADE.type,
        decision.request.child_id,
        placement_events.OfferMade(
            offer_id=offer.offer_id,
            decision_id=decision.decision_id,
            request_id=decision.request.request_id,
            child_id=offer.child_id,
            setting_id=offer.setting_id,
            setting_type=offer.provision.value,
            district="thanet",
            area="east-kent",
            academic_year=offer.academic_year,
            year_group=int(offer.year_group),
            made_on=offer.made_on,
            over_capacity=offer.over_capacity is not None,
        ),
    )


def placements_chain(places: int = 1, children: int = 1) -> list[Wire]:
    """Places set at the SRP, then for each child the panel's decision and the offer of a
    place, each offer made as if the SRP still had room (as a service ignoring its capacity
    would)."""
    events = [capacity_set(places)]
    capacity = Capacity(
        setting_id=SECONDARY_SRP,
        academic_year="2027-28",
        by_year_group=(YearGroupPlaces(year_group=YearGroup.YEAR_7, places=children),),
    )
    for number in range(1, children + 1):
        decision = placement_decision(number)
        offer = make_offer(
            decision, capacity, (), offer_id=f"offer-{number}", made_on=PLACEMENT_DECIDED_ON
        )
        events += [
            news(placement_events.PLACEMENT_DECIDED.type, decision.request.child_id,
                 _decided(decision)),
            offer_made(decision, offer),
        ]  # fmt: skip
    return seal("placements", events)
