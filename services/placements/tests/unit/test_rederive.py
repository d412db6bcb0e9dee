"""An auditor re-derives a recorded placement decision from its recorded inputs."""

import pytest

from inclusion_shared.identifiers import person_id_for
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.panel import Vote, VoteChoice
from placements.domain.placement_decision import PlacementDecision, rederive


@pytest.fixture
def recorded(decision: PlacementDecision) -> PlacementDecision:
    """The decision as read back from the decision log."""
    return PlacementDecision.model_validate_json(decision.model_dump_json())


def test_rederiving_a_recorded_decision_gives_the_record(recorded: PlacementDecision) -> None:
    assert rederive(recorded) == recorded


def test_a_record_with_an_option_removed_is_refused_on_rederive(
    recorded: PlacementDecision,
) -> None:
    proposal = recorded.proposal.evolve(options_considered=recorded.proposal.options_considered[1:])
    with pytest.raises(DecisionRefused) as refused:
        rederive(recorded.evolve(proposal=proposal))
    assert refused.value.code is RefusalCode.OPTIONS_NOT_EXHAUSTED


def test_a_record_with_a_vote_from_a_recused_member_is_refused_on_rederive(
    recorded: PlacementDecision,
) -> None:
    votes = (
        *recorded.proposal.votes,
        Vote(member_id=person_id_for("senco-2"), choice=VoteChoice.FOR),
    )
    with pytest.raises(DecisionRefused) as refused:
        rederive(recorded.evolve(proposal=recorded.proposal.evolve(votes=votes)))
    assert refused.value.code is RefusalCode.RECUSED_MEMBER_VOTED


def test_a_record_altered_to_hide_the_recusal_does_not_rederive(
    recorded: PlacementDecision,
) -> None:
    hidden = recorded.evolve(recused_member_ids=())
    assert rederive(hidden) != hidden
    assert rederive(hidden) == recorded
