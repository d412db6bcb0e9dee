"""The auditor's tool against a placement decision on a proposal: the panel that sat must be the
roster version the decision names, as the log set it (its members eligible on the day, under its
quorum), and its votes exactly those the log cast on the proposal before it, each by its member.
A log that lies about either fails."""

from __future__ import annotations

from datetime import date
from typing import Any

from inclusion_cli.audit.verify import verify
from inclusion_shared.contracts import placements as placement_events
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area
from inclusion_shared.persistence.outbox import NewEvent
from placements.adapters import StoredProposal
from placements.domain.capacity import Capacity, YearGroupPlaces
from placements.domain.offers import make_offer
from placements.domain.panel import PanelRole, QuorumRule, Vote, VoteChoice
from placements.domain.placement_decision import (
    PlacementDecision,
    ProposedPlacement,
    decide_placement,
)
from placements.domain.rationale import Rationale
from placements.domain.roster import Roster, RosterMember
from placements.domain.year_groups import YearGroup
from placements.handlers.decisions import _decided

from .audit_chains import (
    KEYS,
    PLACEMENT_DECIDED_ON,
    SECONDARY_SRP,
    Wire,
    capacity_set,
    checkpoint,
    log_of,
    news,
    offer_made,
    placement_decision,
    rechain,
    seal,
)

PANEL, PROPOSAL = "panel-thanet-1", "prop-1"
VOTERS = (person_id_for("officer-1"), person_id_for("senco-1"), person_id_for("head-1"))
QUORUM = QuorumRule(min_voting_members=3, min_kcc_officers=1, min_sencos=1)


def _member(member_id: str, role: PanelRole, *interests: str) -> RosterMember:
    return RosterMember(
        member_id=member_id,
        role=role,
        term_from=date(2026, 9, 1),
        term_to=date(2027, 8, 31),
        trained_on=date(2026, 8, 31),
        declared_interests=interests,
    )


ROSTER = Roster(
    panel_id=PANEL,
    area=Area.EAST,
    version=1,
    members=(
        _member(person_id_for("officer-1"), PanelRole.KCC_OFFICER),
        _member(person_id_for("senco-1"), PanelRole.SENCO),
        _member(person_id_for("head-1"), PanelRole.HEADTEACHER),
        _member(person_id_for("senco-2"), PanelRole.SENCO, SECONDARY_SRP),
        # Out of term on the day: on the roster, not on the panel that sits.
        _member(person_id_for("senco-5"), PanelRole.SENCO).evolve(term_to=date(2026, 9, 30)),
    ),
    quorum=QUORUM,
    set_on=date(2026, 9, 1),
)


def roster_set(roster: Roster = ROSTER) -> NewEvent:
    return news(
        placement_events.ROSTER_SET.type,
        roster.panel_id,
        placement_events.PanelRosterSet(
            panel_id=roster.panel_id,
            area=roster.area,
            version=roster.version,
            members=tuple(
                placement_events.RosterMemberRecord(
                    **m.model_dump(exclude={"role"}), role=m.role.value
                )
                for m in roster.members
            ),
            quorum=placement_events.QuorumRecord(**roster.quorum.model_dump()),
            set_on=roster.set_on,
        ),
    )


def vote_cast(member_id: str, choice: str = "for") -> NewEvent:
    return news(
        placement_events.VOTE_CAST.type,
        PANEL,
        placement_events.VoteCast(
            proposal_id=PROPOSAL,
            request_id="request-1",
            panel_id=PANEL,
            member_id=member_id,
            choice=choice,
            cast_on=PLACEMENT_DECIDED_ON,
            roster_version=1,
        ),
    )


def decision_on_the_proposal() -> PlacementDecision:
    """The panel sitting from the roster names the SRP, by the votes of three members."""
    made = placement_decision(1)
    votes = tuple(Vote(member_id=m, choice=VoteChoice.FOR) for m in VOTERS)
    proposal = made.proposal.evolve(votes=votes)
    return decide_placement(
        made.request,
        made.setting,
        made.consultations,
        ROSTER.panel_on(PLACEMENT_DECIDED_ON),
        proposal,
        Rationale(document_id=made.rationale.document_id, text="meets communication needs"),
        made.rationale.digest,
        PLACEMENT_DECIDED_ON,
    )


def _put(decision: PlacementDecision) -> StoredProposal:
    return StoredProposal(
        proposal_id=PROPOSAL,
        request_id=decision.request.request_id,
        panel_id=PANEL,
        status="decided",
        proposed=ProposedPlacement(setting_id=decision.setting.setting_id),
        proposed_by=person_id_for("officer-9"),
        proposed_on=PLACEMENT_DECIDED_ON,
        decision_id=decision.decision_id,
        votes=decision.proposal.votes,
    )


def chain(*, roster: Roster = ROSTER, cast: tuple[str, ...] = VOTERS) -> list[Wire]:
    """Places at the SRP, the roster, the votes cast, the decision and its offer."""
    decision = decision_on_the_proposal()
    capacity = Capacity(
        setting_id=SECONDARY_SRP,
        academic_year="2027-28",
        by_year_group=(YearGroupPlaces(year_group=YearGroup.YEAR_7, places=1),),
    )
    offer = make_offer(decision, capacity, (), offer_id="offer-1", made_on=PLACEMENT_DECIDED_ON)
    return seal(
        "placements",
        [
            capacity_set(1),
            roster_set(roster),
            *(vote_cast(member) for member in cast),
            news(
                placement_events.PLACEMENT_DECIDED.type,
                decision.request.child_id,
                _decided(decision, _put(decision), 1),
            ),
            offer_made(decision, offer),
        ],
    )


def divergence(events: list[Wire]) -> tuple[str, str, int | None]:
    report = verify(log_of(events, checkpoint(events)), KEYS)
    assert not report.passed
    found = report.first_divergence
    assert found is not None
    return found.kind, found.message, found.position


def decided(events: list[Wire]) -> dict[str, Any]:
    """The decision's data (the event before the offer)."""
    data: dict[str, Any] = events[-2]["data"]
    return data


def test_a_decision_by_the_rosters_members_and_the_votes_they_cast_passes() -> None:
    events = chain()

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.passed, report.failures
    assert report.chains["placements"].decisions_rederived == 1
    assert report.chains["placements"].commitments_rechecked == 1


def test_a_vote_the_log_never_cast_fails() -> None:
    kind, message, position = divergence(
        chain(cast=(person_id_for("officer-1"), person_id_for("senco-1")))
    )

    assert kind == "decision does not follow from its rules"
    assert (
        f"votes the log never cast on proposal prop-1: {person_id_for('head-1')} (for)" in message
    )
    assert position == 5


def test_a_vote_cast_but_left_out_of_the_decision_fails() -> None:
    kind, message, _ = divergence(chain(cast=(*VOTERS, person_id_for("senco-5"))))

    assert kind == "decision does not follow from its rules"
    assert f"left out of it: {person_id_for('senco-5')} (for)" in message


def test_a_member_dropped_from_the_roster_yet_sitting_on_the_panel_fails() -> None:
    dropped = ROSTER.evolve(
        members=[m for m in ROSTER.members if m.member_id != person_id_for("senco-1")]
    )

    kind, message, _ = divergence(chain(roster=dropped))

    assert kind == "decision does not follow from its rules"
    assert "the panel is not roster version 1 of panel-thanet-1 as the log set it" in message


def test_a_quorum_the_roster_never_set_fails() -> None:
    laxer = ROSTER.evolve(quorum=QUORUM.evolve(min_sencos=0))

    _, message, _ = divergence(chain(roster=laxer))

    assert "the panel is not roster version 1" in message and "min_sencos" in message


def test_an_interest_hidden_from_the_panel_the_roster_declared_fails() -> None:
    events = chain()
    for member in decided(events)["record"]["panel"]["members"]:
        member["declared_interests"] = []
    rechain(events, len(events) - 2)

    _, message, _ = divergence(events)

    assert "the panel is not roster version 1" in message


def test_a_recused_voter_fails_even_when_the_log_cast_their_vote() -> None:
    """senco-2 declared an interest in the SRP the panel named; a service that took their vote
    and counted it recorded what the rules refuse."""
    recused = person_id_for("senco-2")
    events = chain(cast=(*VOTERS, recused))
    data = decided(events)
    data["record"]["proposal"]["votes"].append({"member_id": recused, "choice": "for"})
    data["votes"].append({"member_id": recused, "choice": "for"})
    rechain(events, len(events) - 2)

    kind, message, _ = divergence(events)

    assert kind == "decision does not follow from its rules"
    assert (
        f"the rules refuse this decision: recused_member_voted: {person_id_for('senco-2')}"
        in message
    )


def test_headline_votes_that_are_not_the_records_fail() -> None:
    events = chain()
    decided(events)["votes"] = [{"member_id": person_id_for("officer-1"), "choice": "for"}]
    rechain(events, len(events) - 2)

    _, message, _ = divergence(events)

    assert "the headline votes" in message


def test_a_decision_naming_a_roster_version_the_log_never_set_fails() -> None:
    events = chain()
    decided(events)["roster_version"] = 2
    rechain(events, len(events) - 2)

    _, message, _ = divergence(events)

    assert "roster version 2 of panel-thanet-1 was not set in the log before it" in message
