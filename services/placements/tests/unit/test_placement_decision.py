"""The panel's placement decision: consulted, options exhausted, preferences refused for a
statutory reason, quorate, without conflicted votes, with a rationale kept out of the record."""

from collections.abc import Callable
from datetime import date

import pytest

from inclusion_shared.identifiers import person_id_for
from placements.domain.consultation import Consultation
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.options import Option, OptionConsidered
from placements.domain.panel import Panel, PanelMember, PanelRole, Vote, VoteChoice
from placements.domain.placement_decision import (
    PlacementDecision,
    Proposal,
    decide_placement,
)
from placements.domain.preferences import StatutoryReason, refuse_preference
from placements.domain.rationale import Rationale
from placements.domain.registry import SettingRegistry
from placements.domain.request import PlacementRequest
from placements.domain.year_groups import YearGroup

from .conftest import HEAD_1, HEAD_2, OFFICER_1, OFFICER_2, RATIONALE_DIGEST, SENCO_1, SENCO_2

STRANGER_9 = person_id_for("stranger-9")
"""Someone who does not sit on the panel."""

Votes = Callable[..., tuple[Vote, ...]]
DECIDED_ON = date(2026, 11, 16)
UNSUITABLE = StatutoryReason.UNSUITABLE.value
EVERY_OPTION = tuple(
    OptionConsidered(option=option, not_enough_because="tried_and_not_enough") for option in Option
)


class Case:
    """Everything a decision is made from, so a test changes one thing and decides."""

    def __init__(
        self,
        placement_request: PlacementRequest,
        registry: SettingRegistry,
        consultations: tuple[Consultation, ...],
        panel: Panel,
        proposal: Proposal,
        rationale: Rationale,
    ) -> None:
        self.request, self.registry, self.consultations = placement_request, registry, consultations
        self.panel, self.proposal, self.rationale = panel, proposal, rationale
        self.setting_id = "srp-0301"
        self.decided_on = DECIDED_ON

    def decide(self) -> PlacementDecision:
        return decide_placement(
            self.request,
            self.registry.setting(self.setting_id),
            self.consultations,
            self.panel,
            self.proposal,
            self.rationale,
            RATIONALE_DIGEST,
            self.decided_on,
        )

    def refusal(self) -> DecisionRefused:
        with pytest.raises(DecisionRefused) as refused:
            self.decide()
        return refused.value


@pytest.fixture
def case(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
    consultations: tuple[Consultation, ...],
    panel: Panel,
    proposal: Proposal,
    rationale: Rationale,
) -> Case:
    """The panel about to name the secondary SRP, the family's second preference."""
    return Case(placement_request, registry, consultations, panel, proposal, rationale)


def test_the_panel_names_the_setting_and_records_what_the_decision_rests_on(case: Case) -> None:
    decision = case.decide()
    assert decision.setting.setting_id == "srp-0301"
    assert decision.request == case.request
    assert decision.consultations == case.consultations
    assert decision.proposal == case.proposal
    assert decision.recused_member_ids == (SENCO_2,)
    assert decision.decided_on == DECIDED_ON


def test_the_record_carries_a_reference_to_the_rationale_never_its_text(case: Case) -> None:
    decision = case.decide()
    assert decision.rationale.document_id == "rationale-1"
    assert decision.rationale.digest == RATIONALE_DIGEST
    assert case.rationale.text not in decision.model_dump_json()
    assert "communication needs" not in decision.model_dump_json()


def test_what_was_written_leaves_out_surrounding_whitespace(case: Case) -> None:
    padded = case.rationale.evolve(text=f"\n  {case.rationale.text}  ")
    assert padded.written == case.rationale.text


@pytest.mark.parametrize("text", ["", "   \n\t"], ids=["empty", "whitespace"])
def test_a_decision_without_a_written_rationale_is_refused(case: Case, text: str) -> None:
    case.rationale = case.rationale.evolve(text=text)
    assert case.refusal().code is RefusalCode.RATIONALE_MISSING


def test_a_member_with_an_interest_in_the_setting_under_decision_cannot_vote(
    case: Case, votes: Votes
) -> None:
    case.proposal = case.proposal.evolve(votes=votes(OFFICER_1, SENCO_1, SENCO_2))
    refused = case.refusal()
    assert (refused.code, refused.details) == (
        RefusalCode.RECUSED_MEMBER_VOTED,
        (SENCO_2,),
    )


def test_an_interest_in_any_consulted_setting_means_recusal(case: Case) -> None:
    interested = PanelMember(
        member_id=SENCO_1,
        role=PanelRole.SENCO,
        declared_interests=("mainstream-0201",),
    )
    case.panel = case.panel.evolve(
        members=(interested, *case.panel.members[:1], *case.panel.members[2:])
    )
    assert case.refusal().code is RefusalCode.RECUSED_MEMBER_VOTED


def test_an_interest_in_an_unrelated_school_does_not_stop_a_member_voting(case: Case) -> None:
    decision = case.decide()
    assert SENCO_1 in {vote.member_id for vote in decision.proposal.votes}
    assert SENCO_1 not in decision.recused_member_ids


@pytest.fixture
def larger_panel(panel: Panel) -> Panel:
    return panel.evolve(
        members=(
            *panel.members,
            PanelMember(member_id=HEAD_2, role=PanelRole.HEADTEACHER),
            PanelMember(member_id=OFFICER_2, role=PanelRole.KCC_OFFICER),
        )
    )


@pytest.mark.parametrize(
    ("voters", "short_of"),
    [
        ((OFFICER_1, SENCO_1), "voting_members_2"),
        (
            (SENCO_1, HEAD_1, HEAD_2),
            "kcc_officers_0",
        ),
        (
            (
                OFFICER_1,
                OFFICER_2,
                HEAD_1,
                HEAD_2,
            ),
            "sencos_0",
        ),
    ],
    ids=["too_few_members", "no_kcc_officer", "no_senco"],
)
def test_a_decision_without_a_quorum_is_refused(
    case: Case, larger_panel: Panel, votes: Votes, voters: tuple[str, ...], short_of: str
) -> None:
    case.panel = larger_panel
    case.proposal = case.proposal.evolve(votes=votes(*voters))
    refused = case.refusal()
    assert refused.code is RefusalCode.QUORUM_NOT_MET
    assert short_of in refused.details


def test_the_smallest_quorum_decides(case: Case, larger_panel: Panel, votes: Votes) -> None:
    case.panel = larger_panel
    case.proposal = case.proposal.evolve(votes=votes(OFFICER_2, SENCO_1, HEAD_2))
    assert case.decide().decision_id == "decision-1"


def test_a_recused_member_does_not_make_up_the_quorum(case: Case, votes: Votes) -> None:
    case.proposal = case.proposal.evolve(votes=votes(OFFICER_1, HEAD_1))
    assert case.refusal().code is RefusalCode.QUORUM_NOT_MET


@pytest.mark.parametrize(
    ("voters", "code"),
    [
        (
            (
                OFFICER_1,
                SENCO_1,
                HEAD_1,
                STRANGER_9,
            ),
            RefusalCode.VOTE_FROM_NON_MEMBER,
        ),
        (
            (
                OFFICER_1,
                SENCO_1,
                HEAD_1,
                HEAD_1,
            ),
            RefusalCode.MEMBER_VOTED_TWICE,
        ),
    ],
    ids=["non_member", "twice"],
)
def test_votes_count_once_and_only_from_members(
    case: Case, votes: Votes, voters: tuple[str, ...], code: RefusalCode
) -> None:
    case.proposal = case.proposal.evolve(votes=votes(*voters))
    assert case.refusal().code is code


def test_a_proposal_without_a_majority_for_it_is_refused(case: Case, votes: Votes) -> None:
    split = (
        *votes(OFFICER_1),
        *votes(SENCO_1, choice=VoteChoice.AGAINST),
        *votes(HEAD_1, choice=VoteChoice.ABSTAIN),
    )
    case.proposal = case.proposal.evolve(votes=split)
    assert case.refusal().code is RefusalCode.PROPOSAL_NOT_CARRIED


def test_a_decision_without_the_nearest_mainstream_school_consulted_is_refused(
    case: Case,
) -> None:
    case.consultations = tuple(c for c in case.consultations if not c.nearest_mainstream)
    assert case.refusal().code is RefusalCode.NEAREST_MAINSTREAM_NOT_CONSULTED


def test_a_consultation_sent_after_the_decision_does_not_count(case: Case) -> None:
    case.consultations = tuple(
        c.evolve(sent_on=date(2026, 11, 17)) if c.nearest_mainstream else c
        for c in case.consultations
    )
    assert case.refusal().code is RefusalCode.NEAREST_MAINSTREAM_NOT_CONSULTED


def test_a_setting_is_named_only_once_consulted(case: Case) -> None:
    case.consultations = tuple(c for c in case.consultations if c.setting_id != "srp-0301")
    assert case.refusal().code is RefusalCode.SETTING_NOT_CONSULTED


def test_a_consultation_on_another_request_is_refused(case: Case) -> None:
    stray = case.consultations[0].evolve(request_id="request-2")
    case.consultations = (*case.consultations, stray)
    assert case.refusal().code is RefusalCode.CONSULTATION_FOR_ANOTHER_REQUEST


def test_a_specialist_placement_is_refused_without_the_options_considered(case: Case) -> None:
    considered = tuple(
        entry
        for entry in case.proposal.options_considered
        if entry.option is not Option.LIFT_OR_STLS
    )
    case.proposal = case.proposal.evolve(options_considered=considered)
    refused = case.refusal()
    assert (refused.code, refused.details) == (
        RefusalCode.OPTIONS_NOT_EXHAUSTED,
        (Option.LIFT_OR_STLS.value,),
    )


def test_a_special_school_placement_needs_an_srp_considered_too(case: Case) -> None:
    case.setting_id = "special-0401"
    case.proposal = case.proposal.evolve(preference_refusals=())
    refused = case.refusal()
    assert (refused.code, refused.details) == (RefusalCode.OPTIONS_NOT_EXHAUSTED, ("srp",))
    case.proposal = case.proposal.evolve(options_considered=EVERY_OPTION)
    assert case.decide().setting.setting_id == "special-0401"


def test_a_year_outside_the_srps_range_is_refused(case: Case) -> None:
    case.request = case.request.evolve(year_group=YearGroup.YEAR_12)
    refused = case.refusal()
    assert (refused.code, refused.details) == (
        RefusalCode.YEAR_GROUP_NOT_TAKEN,
        ("srp-0301", "year_12"),
    )


def test_a_need_outside_the_srps_designation_is_refused(case: Case) -> None:
    case.request = case.request.evolve(need_type="HI")
    assert case.refusal().code is RefusalCode.NEED_NOT_IN_DESIGNATION


def test_a_preference_ranked_higher_than_the_named_setting_must_be_refused(case: Case) -> None:
    case.proposal = case.proposal.evolve(preference_refusals=())
    refused = case.refusal()
    assert (refused.code, refused.details) == (
        RefusalCode.PREFERENCE_NOT_REFUSED,
        ("special-0401",),
    )


def test_naming_a_setting_the_family_did_not_prefer_refuses_every_preference(
    case: Case,
) -> None:
    case.setting_id = "mainstream-0201"
    case.proposal = case.proposal.evolve(options_considered=())
    assert case.refusal().details == ("srp-0301",)
    both = tuple(refuse_preference(case.request, s, UNSUITABLE) for s in case.request.preferences)
    case.proposal = case.proposal.evolve(preference_refusals=both)
    assert case.decide().setting.setting_id == "mainstream-0201"


def test_the_named_setting_cannot_also_be_refused(case: Case) -> None:
    refusals = (
        *case.proposal.preference_refusals,
        refuse_preference(case.request, "srp-0301", UNSUITABLE),
    )
    case.proposal = case.proposal.evolve(preference_refusals=refusals)
    assert case.refusal().code is RefusalCode.NAMED_SETTING_REFUSED


def test_a_refusal_of_another_requests_preference_is_refused(case: Case) -> None:
    other = case.proposal.preference_refusals[0].evolve(request_id="request-2")
    case.proposal = case.proposal.evolve(preference_refusals=(other,))
    assert case.refusal().code is RefusalCode.REFUSAL_FOR_ANOTHER_REQUEST


def test_a_decision_before_the_request_is_refused(case: Case) -> None:
    case.decided_on = date(2026, 9, 30)
    assert case.refusal().code is RefusalCode.DECIDED_BEFORE_REQUEST
