"""An auditor re-derives a recorded decision from its recorded inputs and policy version."""

from collections.abc import Callable
from datetime import date

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import (
    MeritReason,
    PanelDecision,
    Proposal,
    ProposeApproval,
    ProposeDecline,
    ProposeDeferral,
    decide_hnf,
    rederive,
)
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.panel import Panel
from funding.domain.policy import FundingPolicy, add_policy, policy_of_version
from inclusion_shared.identifiers import person_id_for

SENCO_2 = person_id_for("senco-2")

ProposedOutcome = ProposeApproval | ProposeDecline | ProposeDeferral
ProposalFor = Callable[[ProposedOutcome], Proposal]


def _recorded(
    app: HighNeedsApplication,
    panel: Panel,
    proposal: Proposal,
    policy: FundingPolicy,
    decided_on: date,
) -> PanelDecision:
    """Decide, then pass the decision through JSON as the decision log would."""
    decision = decide_hnf(app, evaluate_hnf(app, policy, decided_on), panel, proposal, policy)
    return PanelDecision.model_validate_json(decision.model_dump_json())


@pytest.mark.parametrize(
    "proposed",
    [
        ProposeApproval(band=4, start_on=date(2026, 9, 1), review_on=date(2027, 7, 31)),
        ProposeDecline(merit_reasons=(MeritReason.NEEDS_MET_FROM_NORMALLY_AVAILABLE_RESOURCES,)),
        ProposeDeferral(items=("educational_psychologist_report",)),
    ],
    ids=["approved", "declined", "deferred"],
)
def test_rederiving_a_recorded_decision_gives_the_recorded_outcome(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    proposed: ProposedOutcome,
) -> None:
    recorded = _recorded(application, panel, carried(proposed), policy, decided_on)
    rederived = rederive(recorded, policy)
    assert rederived.outcome == recorded.outcome
    assert rederived == recorded


def test_an_auditor_finds_the_recorded_version_after_newer_policies_arrive(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    recorded = _recorded(application, panel, carried(approve_band_3), policy, decided_on)
    newer = policy.evolve(
        version="kent-example-2027.1",
        effective_from=date(2027, 9, 1),
        bands=tuple(
            band.evolve(annual_top_up_pence=band.annual_top_up_pence + 50_000)
            for band in policy.bands
        ),
    )
    history = add_policy((policy,), newer)
    rederived = rederive(recorded, policy_of_version(history, recorded.policy_version))
    assert rederived == recorded


def test_rederiving_under_another_policy_version_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    recorded = _recorded(application, panel, carried(approve_band_3), policy, decided_on)
    with pytest.raises(DecisionRefused) as refused:
        rederive(recorded, policy.evolve(version="kent-example-2027.1"))
    assert refused.value.code is RefusalCode.POLICY_VERSION_MISMATCH


def test_a_record_altered_to_pay_more_than_the_band_does_not_rederive(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    recorded = _recorded(application, panel, carried(approve_band_3), policy, decided_on)
    inflated = recorded.evolve(outcome=recorded.outcome.evolve(annual_amount_pence=1_200_000))
    assert rederive(inflated, policy) != inflated
    assert rederive(inflated, policy) == recorded


def test_a_record_altered_to_hide_a_failed_rule_is_refused_on_rederive(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    recorded = _recorded(application, panel, carried(approve_band_3), policy, decided_on)
    in_a_special_school = recorded.evolve(
        application=recorded.application.evolve(setting_type="special")
    )
    with pytest.raises(DecisionRefused) as refused:
        rederive(in_a_special_school, policy)
    assert refused.value.code is RefusalCode.APPLICATION_INELIGIBLE


def test_a_record_with_a_vote_from_a_recused_member_is_refused_on_rederive(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    proposal = carried(approve_band_3)
    recorded = _recorded(application, panel, proposal, policy, decided_on)
    conflicted_vote = (*proposal.votes, proposal.votes[0].evolve(member_id=SENCO_2))
    tampered = recorded.evolve(proposal=proposal.evolve(votes=conflicted_vote))
    with pytest.raises(DecisionRefused) as refused:
        rederive(tampered, policy)
    assert refused.value.code is RefusalCode.RECUSED_MEMBER_VOTED
