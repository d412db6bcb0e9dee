"""A panel decides an HNF application: quorate, without conflicted votes, with a rationale."""

from collections.abc import Callable
from datetime import date

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import (
    Approved,
    Declined,
    DeferredForInformation,
    MeritReason,
    PanelDecision,
    Proposal,
    ProposeApproval,
    ProposeDecline,
    ProposeDeferral,
    check_proposal,
    decide_hnf,
)
from funding.domain.hnf_eligibility import HnfRule, evaluate_hnf
from funding.domain.panel import (
    Panel,
    PanelMember,
    PanelRole,
    Standing,
    Vote,
    VoteChoice,
    check_votes,
)
from funding.domain.policy import FundingPolicy
from inclusion_shared.identifiers import person_id_for

OFFICER_1 = person_id_for("officer-1")
SENCO_1 = person_id_for("senco-1")
HEAD_1 = person_id_for("head-1")
HEAD_2 = person_id_for("head-2")
SENCO_2 = person_id_for("senco-2")
STRANGER_9 = person_id_for("stranger-9")

ProposalFor = Callable[[ProposeApproval | ProposeDecline | ProposeDeferral], Proposal]
Votes = Callable[..., tuple[Vote, ...]]


def _decide(
    app: HighNeedsApplication,
    panel: Panel,
    proposal: Proposal,
    policy: FundingPolicy,
    decided_on: date,
) -> PanelDecision:
    return decide_hnf(app, evaluate_hnf(app, policy, decided_on), panel, proposal, policy)


def _refusal(
    app: HighNeedsApplication,
    panel: Panel,
    proposal: Proposal,
    policy: FundingPolicy,
    decided_on: date,
) -> DecisionRefused:
    with pytest.raises(DecisionRefused) as refused:
        _decide(app, panel, proposal, policy, decided_on)
    return refused.value


def test_an_eligible_application_is_approved_at_the_band_table_amount(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    decision = _decide(application, panel, carried(approve_band_3), policy, decided_on)
    assert decision.outcome == Approved(
        band=3,
        annual_amount_pence=900_000,
        start_on=date(2026, 10, 1),
        review_on=date(2027, 7, 31),
    )


def test_the_decision_records_everything_needed_to_re_derive_it(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    decision = _decide(application, panel, carried(approve_band_3), policy, decided_on)
    assert decision.application == application
    assert decision.evaluation == evaluate_hnf(application, policy, decided_on)
    assert decision.policy_version == "kent-example-2026.1"
    assert decision.decided_on == decided_on
    assert decision.panel == panel
    assert decision.recused_member_ids == (SENCO_2,)
    assert decision.quorum == policy.panel_quorum
    assert decision.rationale.startswith("Evidence shows")


def test_approving_an_ineligible_application_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    in_a_pru = application.evolve(setting_type="pru")
    refused = _refusal(in_a_pru, panel, carried(approve_band_3), policy, decided_on)
    assert refused.code is RefusalCode.APPLICATION_INELIGIBLE
    assert refused.details == (HnfRule.MAINSTREAM_SCHOOL_ONLY.value,)


@pytest.mark.parametrize(
    "proposed",
    [
        ProposeApproval(band=3, start_on=date(2026, 10, 1), review_on=date(2027, 7, 31)),
        ProposeDecline(merit_reasons=(MeritReason.PROVISION_NOT_MATCHED_TO_NEEDS,)),
    ],
    ids=["approve", "decline"],
)
def test_an_incomplete_application_is_neither_approved_nor_declined(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    proposed: ProposeApproval | ProposeDecline,
) -> None:
    one_plan = application.evolve(provision_plans=application.provision_plans[:1])
    refused = _refusal(one_plan, panel, carried(proposed), policy, decided_on)
    assert refused.code is RefusalCode.APPLICATION_INCOMPLETE
    assert refused.details == ("provision_plans",)


def test_an_incomplete_application_is_deferred_for_the_missing_items(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    one_plan = application.evolve(provision_plans=application.provision_plans[:1])
    deferral = ProposeDeferral(items=("provision_plans", "speech_and_language_report"))
    decision = _decide(one_plan, panel, carried(deferral), policy, decided_on)
    assert decision.outcome == DeferredForInformation(
        items=("provision_plans", "speech_and_language_report")
    )


def test_a_deferral_that_omits_missing_evidence_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    bare = application.evolve(needs_reports=(), costed_provision_pence=None)
    deferral = ProposeDeferral(items=("needs_reports",))
    refused = _refusal(bare, panel, carried(deferral), policy, decided_on)
    assert refused.code is RefusalCode.DEFERRAL_OMITS_MISSING_ITEMS
    assert refused.details == ("costed_provision",)


def test_a_deferral_naming_nothing_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    refused = _refusal(application, panel, carried(ProposeDeferral(items=())), policy, decided_on)
    assert refused.code is RefusalCode.DEFERRAL_WITHOUT_ITEMS


def test_a_decline_cites_every_failed_rule(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    failing = application.evolve(
        matches_mainstream_core_standards=False, costed_provision_pence=500_000
    )
    decision = _decide(failing, panel, carried(ProposeDecline()), policy, decided_on)
    assert decision.outcome == Declined(
        failed_rules=(
            HnfRule.MATCHES_CORE_STANDARDS,
            HnfRule.COSTED_PROVISION_ABOVE_SCHOOL_THRESHOLD,
        ),
        merit_reasons=(),
    )


def test_declining_an_application_that_meets_every_rule_needs_a_merit_reason(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    refused = _refusal(application, panel, carried(ProposeDecline()), policy, decided_on)
    assert refused.code is RefusalCode.DECLINE_WITHOUT_REASONS
    on_merit = ProposeDecline(merit_reasons=(MeritReason.EVIDENCE_DOES_NOT_SHOW_LEVEL_OF_SUPPORT,))
    decision = _decide(application, panel, carried(on_merit), policy, decided_on)
    assert decision.outcome == Declined(
        failed_rules=(), merit_reasons=(MeritReason.EVIDENCE_DOES_NOT_SHOW_LEVEL_OF_SUPPORT,)
    )


@pytest.mark.parametrize("rationale", ["", "   \n\t"], ids=["empty", "blank"])
def test_a_decision_without_a_written_rationale_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    rationale: str,
) -> None:
    proposal = carried(approve_band_3).evolve(rationale=rationale)
    refused = _refusal(application, panel, proposal, policy, decided_on)
    assert refused.code is RefusalCode.RATIONALE_MISSING


def test_a_decision_with_too_few_voting_members_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    votes: Votes,
) -> None:
    proposal = carried(approve_band_3).evolve(votes=votes(OFFICER_1, SENCO_1))
    refused = _refusal(application, panel, proposal, policy, decided_on)
    assert refused.code is RefusalCode.QUORUM_NOT_MET
    assert refused.details == ("voting_members_2", "kcc_officers_1")


def test_a_decision_without_a_kcc_officer_voting_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    votes: Votes,
) -> None:
    second_head = PanelMember(member_id=HEAD_2, role=PanelRole.HEADTEACHER)
    larger = panel.evolve(members=(*panel.members, second_head))
    proposal = carried(approve_band_3).evolve(votes=votes(SENCO_1, HEAD_1, HEAD_2))
    refused = _refusal(application, larger, proposal, policy, decided_on)
    assert refused.code is RefusalCode.QUORUM_NOT_MET
    assert refused.details == ("voting_members_3", "kcc_officers_0")


def test_the_quorum_comes_from_the_policy(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    stricter = policy.evolve(panel_quorum={"min_voting_members": 4, "min_kcc_officers": 1})
    refused = _refusal(application, panel, carried(approve_band_3), stricter, decided_on)
    assert refused.code is RefusalCode.QUORUM_NOT_MET


def test_a_recused_members_vote_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    votes: Votes,
) -> None:
    proposal = carried(approve_band_3).evolve(votes=votes(OFFICER_1, SENCO_1, HEAD_1, SENCO_2))
    refused = _refusal(application, panel, proposal, policy, decided_on)
    assert refused.code is RefusalCode.RECUSED_MEMBER_VOTED
    assert refused.details == (SENCO_2,)


def test_a_recused_member_cannot_make_up_the_quorum(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    votes: Votes,
) -> None:
    proposal = carried(approve_band_3).evolve(votes=votes(OFFICER_1, SENCO_1, SENCO_2))
    refused = _refusal(application, panel, proposal, policy, decided_on)
    assert refused.code is RefusalCode.RECUSED_MEMBER_VOTED


def test_an_interest_in_another_setting_does_not_stop_a_member_voting(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    decision = _decide(application, panel, carried(approve_band_3), policy, decided_on)
    assert SENCO_1 in {vote.member_id for vote in decision.proposal.votes}
    assert SENCO_1 not in decision.recused_member_ids


@pytest.mark.parametrize(
    ("voters", "code"),
    [
        ((OFFICER_1, SENCO_1, HEAD_1, STRANGER_9), RefusalCode.VOTE_FROM_NON_MEMBER),
        ((OFFICER_1, SENCO_1, HEAD_1, HEAD_1), RefusalCode.MEMBER_VOTED_TWICE),
    ],
    ids=["non_member", "twice"],
)
def test_votes_only_count_once_and_only_from_members(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    votes: Votes,
    voters: tuple[str, ...],
    code: RefusalCode,
) -> None:
    proposal = carried(approve_band_3).evolve(votes=votes(*voters))
    assert _refusal(application, panel, proposal, policy, decided_on).code is code


def test_a_proposal_without_a_majority_for_it_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
    votes: Votes,
) -> None:
    split = (
        *votes(OFFICER_1),
        *votes(SENCO_1, choice=VoteChoice.AGAINST),
        *votes(HEAD_1, choice=VoteChoice.ABSTAIN),
    )
    refused = _refusal(
        application, panel, carried(approve_band_3).evolve(votes=split), policy, decided_on
    )
    assert refused.code is RefusalCode.PROPOSAL_NOT_CARRIED


@pytest.mark.parametrize(
    ("start_on", "review_on", "code"),
    [
        (date(2026, 10, 1), date(2026, 10, 1), RefusalCode.REVIEW_NOT_AFTER_START),
        (date(2026, 10, 1), date(2027, 10, 2), RefusalCode.REVIEW_TOO_LATE),
    ],
    ids=["review_on_start_day", "review_after_twelve_months"],
)
def test_an_award_is_reviewed_after_it_starts_and_within_the_policy_interval(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    start_on: date,
    review_on: date,
    code: RefusalCode,
) -> None:
    proposed = ProposeApproval(band=2, start_on=start_on, review_on=review_on)
    assert _refusal(application, panel, carried(proposed), policy, decided_on).code is code


def test_an_award_may_be_backdated_and_reviewed_exactly_twelve_months_on(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    proposed = ProposeApproval(band=1, start_on=date(2026, 9, 1), review_on=date(2027, 9, 1))
    decision = _decide(application, panel, carried(proposed), policy, decided_on)
    assert isinstance(decision.outcome, Approved)
    assert decision.outcome.annual_amount_pence == 300_000


def test_approval_at_a_band_missing_from_the_table_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
) -> None:
    proposed = ProposeApproval(band=9, start_on=date(2026, 10, 1), review_on=date(2027, 7, 31))
    refused = _refusal(application, panel, carried(proposed), policy, decided_on)
    assert refused.code is RefusalCode.UNKNOWN_BAND


def test_an_evaluation_of_other_evidence_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    rosier = evaluate_hnf(application, policy, decided_on)
    in_an_srp = application.evolve(setting_type="srp")
    with pytest.raises(DecisionRefused) as refused:
        decide_hnf(in_an_srp, rosier, panel, carried(approve_band_3), policy)
    assert refused.value.code is RefusalCode.EVALUATION_DOES_NOT_MATCH_APPLICATION


def test_an_evaluation_under_another_policy_version_is_refused(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: ProposalFor,
    approve_band_3: ProposeApproval,
) -> None:
    evaluation = evaluate_hnf(application, policy, decided_on)
    other = policy.evolve(version="kent-example-2026.2")
    with pytest.raises(DecisionRefused) as refused:
        decide_hnf(application, evaluation, panel, carried(approve_band_3), other)
    assert refused.value.code is RefusalCode.POLICY_VERSION_MISMATCH


def test_votes_short_of_quorum_leave_the_proposal_open(
    panel: Panel, policy: FundingPolicy, votes: Votes
) -> None:
    standing = check_votes(panel, "school-0042", votes(OFFICER_1, SENCO_1), policy.panel_quorum)

    assert standing is Standing.OPEN


def test_quorate_votes_carry_a_proposal_with_more_for_than_against(
    panel: Panel, policy: FundingPolicy
) -> None:
    cast = (
        Vote(member_id=OFFICER_1, choice=VoteChoice.FOR),
        Vote(member_id=SENCO_1, choice=VoteChoice.AGAINST),
        Vote(member_id=HEAD_1, choice=VoteChoice.FOR),
    )

    assert check_votes(panel, "school-0042", cast, policy.panel_quorum) is Standing.CARRIED


def test_quorate_votes_without_a_majority_for_leave_the_proposal_not_carried(
    panel: Panel, policy: FundingPolicy, votes: Votes
) -> None:
    cast = votes(OFFICER_1, SENCO_1, HEAD_1, choice=VoteChoice.ABSTAIN)

    assert check_votes(panel, "school-0042", cast, policy.panel_quorum) is Standing.NOT_CARRIED


def test_a_proposal_is_checked_before_it_goes_to_the_panel(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_proposal(
            application,
            ProposeApproval(band=9, start_on=date(2026, 10, 1), review_on=date(2027, 7, 31)),
            "The evidence supports it.",
            policy,
            decided_on,
        )

    assert refused.value.code is RefusalCode.UNKNOWN_BAND
    with pytest.raises(DecisionRefused) as unexplained:
        check_proposal(application, ProposeDecline(), "  ", policy, decided_on)
    assert unexplained.value.code is RefusalCode.RATIONALE_MISSING
