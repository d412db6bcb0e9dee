"""Funding events: applications, decisions, allocations against budgets and awards ending,
policy versions and challenges. A decision event carries everything needed to re-derive it;
free text (the panel's rationale) stays in the service, represented here by its SHA-256."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.kent import Area, District

Scheme = Literal["hnf", "senif", "daf"]


class ApplicationSubmitted(EventData):
    """A complete application, received for decision."""

    application_id: str
    scheme: Scheme
    child_id: str
    setting_id: str
    district: District
    area: Area
    submitted_on: date
    reapplication_of: str | None = None


class ApplicationReturnedIncomplete(EventData):
    """An application returned with the evidence it lacks named; not a decline on merit."""

    application_id: str
    scheme: Scheme
    child_id: str
    setting_id: str
    district: District
    area: Area
    missing: tuple[str, ...]


class ApplicationWithdrawn(EventData):
    """The setting withdrew an application before it was decided; ``reason`` is a code."""

    application_id: str
    scheme: Scheme
    child_id: str
    setting_id: str
    district: District
    area: Area
    withdrawn_on: date
    reason: str | None = None


class ReapplicationOpened(EventData):
    """A phase transfer requires the school to apply again for a child with an HNF award."""

    child_id: str
    previous_application_id: str
    transfer: str
    new_setting_id: str


class PanelMemberRecord(EventData):
    member_id: str
    role: str
    declared_interests: tuple[str, ...]
    recused: bool


class DecisionRecorded(EventData):
    """A funding decision with its outcome, the rule results, the policy version, the panel and a
    hash of the rationale; ``record`` is the full decision record an auditor re-derives."""

    decision_id: str
    application_id: str
    scheme: Scheme
    child_id: str
    setting_id: str
    district: District
    area: Area
    outcome: Literal["approved", "declined", "deferred_for_information", "refused", "awarded"]
    band: int | None = None
    annual_amount_pence: int | None = None
    start_on: date | None = None
    review_on: date | None = None
    failed_rules: tuple[str, ...] = ()
    policy_version: str
    decided_on: date
    panel_id: str | None = None
    panel: tuple[PanelMemberRecord, ...] = ()
    rationale_sha256: str | None = None
    complete_on: date | None = None
    days_to_decision: int | None = None
    target_days: int | None = None
    target_breached: bool | None = None
    record: dict[str, Any]


class AllocationCommitted(EventData):
    """Money committed against an area's High Needs budget; an override is its own record."""

    commitment_id: str
    decision_id: str
    area: Area
    financial_year: str
    amount_pence: int
    over_commitment_pence: int = 0
    override_by: str | None = None
    override_reason: str | None = None
    remaining_pence: int


class AllocationReleased(EventData):
    """Committed money released, e.g. when an award ends."""

    commitment_id: str
    area: Area
    financial_year: str
    amount_pence: int
    reason: str
    remaining_pence: int


class AwardEnded(EventData):
    """An award ended because its child moved or left the one setting it belongs to (SENIF does
    not transfer: a new setting applies again). ``reason`` is a code, e.g. ``moved_setting``."""

    award_id: str
    decision_id: str
    scheme: Scheme
    child_id: str
    setting_id: str
    district: District
    area: Area
    ended_on: date
    reason: str


class BudgetSet(EventData):
    area: Area
    financial_year: str
    annual_amount_pence: int


class PolicyPublished(EventData):
    """A new version of the funding rules and rates, in force from a date; never overwritten."""

    version: str
    effective_from: date
    label: str
    document: dict[str, Any]


class ChallengeLodged(EventData):
    challenge_id: str
    decision_id: str
    district: District
    panel_id: str | None = None


class ChallengeResolved(EventData):
    challenge_id: str
    decision_id: str
    result: Literal["upheld", "overturned"]
    reasons: tuple[str, ...]


def _topic(aggregate: str) -> Any:
    return topic_named(f"funding.{aggregate}.v1")


APPLICATION_SUBMITTED = CONTRACTS.register(
    "funding.application.submitted", _topic("application"), ApplicationSubmitted
)
APPLICATION_RETURNED = CONTRACTS.register(
    "funding.application.returned-incomplete", _topic("application"), ApplicationReturnedIncomplete
)
APPLICATION_WITHDRAWN = CONTRACTS.register(
    "funding.application.withdrawn", _topic("application"), ApplicationWithdrawn
)
REAPPLICATION_OPENED = CONTRACTS.register(
    "funding.application.reapplication-opened", _topic("application"), ReapplicationOpened
)
DECISION_RECORDED = CONTRACTS.register(
    "funding.decision.recorded", _topic("decision"), DecisionRecorded
)
ALLOCATION_COMMITTED = CONTRACTS.register(
    "funding.allocation.committed", _topic("allocation"), AllocationCommitted
)
ALLOCATION_RELEASED = CONTRACTS.register(
    "funding.allocation.released", _topic("allocation"), AllocationReleased
)
AWARD_ENDED = CONTRACTS.register("funding.allocation.award-ended", _topic("allocation"), AwardEnded)
BUDGET_SET = CONTRACTS.register("funding.budget.set", _topic("budget"), BudgetSet)
POLICY_PUBLISHED = CONTRACTS.register("funding.policy.published", _topic("policy"), PolicyPublished)
CHALLENGE_LODGED = CONTRACTS.register(
    "funding.challenge.lodged", _topic("challenge"), ChallengeLodged
)
CHALLENGE_RESOLVED = CONTRACTS.register(
    "funding.challenge.resolved", _topic("challenge"), ChallengeResolved
)
