"""The panel's HNF decision, recorded with everything needed to re-derive it."""

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from funding.domain.dates import months_after
from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_eligibility import HnfRule, evaluate_hnf
from funding.domain.panel import Panel, Standing, Vote, check_votes, quorum_shortfall, recusals
from funding.domain.policy import FundingPolicy, QuorumRule, ensure_in_force
from funding.domain.rules import Eligibility, Evaluation
from funding.domain.values import MAX_REASONS, DomainModel, Pence, PseudonymousId, ReasonCode


class MeritReason(StrEnum):
    """Why a panel declines an application that meets every rule."""

    NEEDS_MET_FROM_NORMALLY_AVAILABLE_RESOURCES = "needs_met_from_normally_available_resources"
    EVIDENCE_DOES_NOT_SHOW_LEVEL_OF_SUPPORT = "evidence_does_not_show_level_of_support"
    PROVISION_NOT_MATCHED_TO_NEEDS = "provision_not_matched_to_needs"


class ProposeApproval(DomainModel):
    """Approve at a band; the amount always comes from the policy's band table."""

    kind: Literal["approve"] = "approve"
    band: Annotated[int, Field(strict=True, ge=1)]
    start_on: date
    review_on: date


class ProposeDecline(DomainModel):
    """Decline. Failed rules are cited automatically; merit reasons are the panel's own."""

    kind: Literal["decline"] = "decline"
    merit_reasons: Annotated[tuple[MeritReason, ...], Field(max_length=MAX_REASONS)] = ()


class ProposeDeferral(DomainModel):
    """Defer until the named information arrives."""

    kind: Literal["defer_for_information"] = "defer_for_information"
    items: Annotated[tuple[ReasonCode, ...], Field(max_length=MAX_REASONS)]


ProposedOutcome = Annotated[
    ProposeApproval | ProposeDecline | ProposeDeferral, Field(discriminator="kind")
]


class Proposal(DomainModel):
    """What the panel is asked to decide, its written rationale and the votes cast."""

    decision_id: PseudonymousId
    outcome: ProposedOutcome
    rationale: str
    votes: tuple[Vote, ...]


class Approved(DomainModel):
    """Top-up approved at a band, for an annual amount, from a start date to a review date."""

    kind: Literal["approved"] = "approved"
    band: int
    annual_amount_pence: Pence
    start_on: date
    review_on: date


class Declined(DomainModel):
    """Declined, citing every failed rule and any merit reasons."""

    kind: Literal["declined"] = "declined"
    failed_rules: tuple[HnfRule, ...]
    merit_reasons: tuple[MeritReason, ...]


class DeferredForInformation(DomainModel):
    """Deferred until the listed information is supplied."""

    kind: Literal["deferred_for_information"] = "deferred_for_information"
    items: Annotated[tuple[ReasonCode, ...], Field(max_length=MAX_REASONS)]


Outcome = Annotated[Approved | Declined | DeferredForInformation, Field(discriminator="kind")]


class PanelDecision(DomainModel):
    """A decision and all it rests on: inputs, rule results, policy version, panel, rationale."""

    decision_id: PseudonymousId
    decided_on: date
    policy_version: str
    application: HighNeedsApplication
    evaluation: Evaluation
    panel: Panel
    recused_member_ids: tuple[str, ...]
    quorum: QuorumRule
    proposal: Proposal
    outcome: Outcome

    @property
    def rationale(self) -> str:
        """The panel's written rationale."""
        return self.proposal.rationale


def _approved(proposed: ProposeApproval, evaluation: Evaluation, policy: FundingPolicy) -> Approved:
    if evaluation.eligibility is Eligibility.INELIGIBLE:
        raise DecisionRefused(RefusalCode.APPLICATION_INELIGIBLE, evaluation.failed_rules)
    band = policy.band_numbered(proposed.band)
    if proposed.review_on <= proposed.start_on:
        raise DecisionRefused(RefusalCode.REVIEW_NOT_AFTER_START)
    latest_review = months_after(proposed.start_on, policy.award_review_within_months)
    if proposed.review_on > latest_review:
        raise DecisionRefused(RefusalCode.REVIEW_TOO_LATE, (latest_review.isoformat(),))
    return Approved(
        band=band.band,
        annual_amount_pence=band.annual_top_up_pence,
        start_on=proposed.start_on,
        review_on=proposed.review_on,
    )


def _declined(proposed: ProposeDecline, evaluation: Evaluation) -> Declined:
    failed = tuple(HnfRule(rule) for rule in evaluation.failed_rules)
    if not failed and not proposed.merit_reasons:
        raise DecisionRefused(RefusalCode.DECLINE_WITHOUT_REASONS)
    return Declined(failed_rules=failed, merit_reasons=proposed.merit_reasons)


def _deferred(proposed: ProposeDeferral, evaluation: Evaluation) -> DeferredForInformation:
    if not proposed.items:
        raise DecisionRefused(RefusalCode.DEFERRAL_WITHOUT_ITEMS)
    omitted = tuple(m.item.value for m in evaluation.missing if m.item.value not in proposed.items)
    if omitted:
        raise DecisionRefused(RefusalCode.DEFERRAL_OMITS_MISSING_ITEMS, omitted)
    return DeferredForInformation(items=proposed.items)


def _outcome(
    proposed: ProposeApproval | ProposeDecline | ProposeDeferral,
    evaluation: Evaluation,
    policy: FundingPolicy,
) -> Approved | Declined | DeferredForInformation:
    if isinstance(proposed, ProposeDeferral):
        return _deferred(proposed, evaluation)
    # An incomplete application can be deferred, never approved or declined on merit.
    if evaluation.eligibility is Eligibility.INCOMPLETE:
        missing = tuple(m.item.value for m in evaluation.missing)
        raise DecisionRefused(RefusalCode.APPLICATION_INCOMPLETE, missing)
    if isinstance(proposed, ProposeApproval):
        return _approved(proposed, evaluation, policy)
    return _declined(proposed, evaluation)


def decide_hnf(
    app: HighNeedsApplication,
    evaluation: Evaluation,
    panel: Panel,
    proposal: Proposal,
    policy: FundingPolicy,
) -> PanelDecision:
    """Record the panel's decision on an HNF application, or refuse it.

    Refused when the evaluation is not this application's under this policy, the rationale is
    empty, the votes are invalid or not quorate, or the outcome is not open to the panel (approving
    an ineligible or incomplete application, declining without reasons, deferring without naming
    the missing evidence).
    """
    if evaluation.policy_version != policy.version:
        raise DecisionRefused(
            RefusalCode.POLICY_VERSION_MISMATCH, (evaluation.policy_version, policy.version)
        )
    ensure_in_force(policy, evaluation.decided_on)
    if evaluation != evaluate_hnf(app, policy, evaluation.decided_on):
        raise DecisionRefused(RefusalCode.EVALUATION_DOES_NOT_MATCH_APPLICATION)
    if not proposal.rationale.strip():
        raise DecisionRefused(RefusalCode.RATIONALE_MISSING)
    standing = check_votes(panel, app.setting_id, proposal.votes, policy.panel_quorum)
    if standing is Standing.OPEN:
        raise DecisionRefused(RefusalCode.QUORUM_NOT_MET, quorum_shortfall(panel, proposal.votes))
    if standing is Standing.NOT_CARRIED:
        raise DecisionRefused(RefusalCode.PROPOSAL_NOT_CARRIED)
    return PanelDecision(
        decision_id=proposal.decision_id,
        decided_on=evaluation.decided_on,
        policy_version=policy.version,
        application=app,
        evaluation=evaluation,
        panel=panel,
        recused_member_ids=recusals(panel, app.setting_id),
        quorum=policy.panel_quorum,
        proposal=proposal,
        outcome=_outcome(proposal.outcome, evaluation, policy),
    )


def check_proposal(
    app: HighNeedsApplication,
    outcome: ProposeApproval | ProposeDecline | ProposeDeferral,
    rationale: str,
    policy: FundingPolicy,
    on: date,
) -> Approved | Declined | DeferredForInformation:
    """What the panel would decide if it carried the proposal on the day, or the refusal an
    officer gets before putting it to the panel: an outcome not open to the panel, or no
    rationale."""
    ensure_in_force(policy, on)
    if not rationale.strip():
        raise DecisionRefused(RefusalCode.RATIONALE_MISSING)
    return _outcome(outcome, evaluate_hnf(app, policy, on), policy)


def rederive(decision: PanelDecision, policy: FundingPolicy) -> PanelDecision:
    """Re-make a recorded decision from its recorded inputs under its recorded policy version.

    An auditor compares the result with the record: equal means the decision was made by the
    rules in force. A record that the rules would have refused raises `DecisionRefused`.
    """
    if decision.policy_version != policy.version:
        raise DecisionRefused(
            RefusalCode.POLICY_VERSION_MISMATCH, (decision.policy_version, policy.version)
        )
    evaluation = evaluate_hnf(decision.application, policy, decision.decided_on)
    return decide_hnf(decision.application, evaluation, decision.panel, decision.proposal, policy)
