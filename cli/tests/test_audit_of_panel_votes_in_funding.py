"""The auditor's tool against an HNF decision on a proposal: the panel that sat must be the
roster version the decision names, as the log set it, and its votes exactly those the log cast
on the proposal before it, each by its member. A log that lies about either fails."""

from __future__ import annotations

from datetime import date
from typing import Any

from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import Proposal, ProposeApproval, decide_hnf
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.panel import PanelRole, Vote, VoteChoice
from funding.domain.roster import Roster, RosterMember
from funding.handlers.hnf import auditable_record
from inclusion_cli.audit.verify import verify
from inclusion_shared.contracts.funding import (
    ALLOCATION_COMMITTED,
    DECISION_RECORDED,
    ROSTER_SET,
    VOTE_CAST,
    DecisionRecorded,
    PanelRosterSet,
    RosterMemberRecord,
    VoteCast,
    VoteRecord,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area
from inclusion_shared.persistence.outbox import NewEvent

from .audit_chains import (
    DECIDED_ON,
    KEYS,
    POLICY,
    Wire,
    budget_set,
    checkpoint,
    hnf_commitment,
    hnf_decision,
    keyed_digest,
    log_of,
    news,
    policy_published,
    rechain,
    seal,
)

PANEL, PROPOSAL, SCHOOL = "panel-1", "prop-1", "school-0042"
VOTERS = (person_id_for("officer-1"), person_id_for("senco-2"), person_id_for("head-3"))


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
        _member(person_id_for("senco-2"), PanelRole.SENCO),
        _member(person_id_for("head-3"), PanelRole.HEADTEACHER),
        _member(person_id_for("senco-4"), PanelRole.SENCO, SCHOOL),
        # Out of term on the day: on the roster, not on the panel that sits.
        _member(person_id_for("senco-5"), PanelRole.SENCO).evolve(term_to=date(2026, 9, 30)),
    ),
    set_on=date(2026, 9, 1),
)


def roster_set(roster: Roster = ROSTER) -> NewEvent:
    return news(
        ROSTER_SET.type,
        roster.panel_id,
        PanelRosterSet(
            panel_id=roster.panel_id,
            area=roster.area,
            version=roster.version,
            members=tuple(
                RosterMemberRecord(**m.model_dump(exclude={"role"}), role=m.role.value)
                for m in roster.members
            ),
            set_on=roster.set_on,
        ),
    )


def vote_cast(member_id: str, choice: str = "for") -> NewEvent:
    return news(
        VOTE_CAST.type,
        PANEL,
        VoteCast(
            proposal_id=PROPOSAL,
            application_id="hnf-1",
            panel_id=PANEL,
            member_id=member_id,
            choice=choice,
            cast_on=DECIDED_ON,
            roster_version=1,
        ),
    )


def decision_on_the_proposal() -> DecisionRecorded:
    """The panel sitting from the roster approves band 3, by the votes of three members."""
    headline = hnf_decision()
    app = HighNeedsApplication.model_validate(headline.record["application"])
    votes = tuple(Vote(member_id=m, choice=VoteChoice.FOR) for m in VOTERS)
    proposal = Proposal(
        decision_id="dec-1",
        outcome=ProposeApproval(band=3, start_on=date(2026, 11, 1), review_on=date(2027, 10, 31)),
        rationale="daily individual support is needed",
        votes=votes,
    )
    decision = decide_hnf(
        app, evaluate_hnf(app, POLICY, DECIDED_ON), ROSTER.panel_on(DECIDED_ON), proposal, POLICY
    )
    return headline.model_copy(
        update={
            "panel_id": PANEL,
            "rationale_digest": keyed_digest(proposal.rationale),
            "record": auditable_record(decision, keyed_digest(proposal.rationale)),
            "proposal_id": PROPOSAL,
            "proposed_by": person_id_for("officer-9"),
            "roster_version": 1,
            "votes": tuple(VoteRecord(member_id=v.member_id, choice="for") for v in votes),
        }
    )


def chain(*, roster: Roster = ROSTER, cast: tuple[str, ...] = VOTERS) -> list[Wire]:
    """Policy, budget, the roster, the votes cast, the commitment and the decision."""
    return seal(
        "funding",
        [
            policy_published(),
            budget_set(5_000_000),
            roster_set(roster),
            *(vote_cast(member) for member in cast),
            news(ALLOCATION_COMMITTED.type, "east-kent:2026-27", hnf_commitment()),
            news(DECISION_RECORDED.type, "dec-1", decision_on_the_proposal()),
        ],
    )


def divergence(events: list[Wire]) -> tuple[str, str, int | None]:
    report = verify(log_of(events, checkpoint(events)), KEYS)
    assert not report.passed
    found = report.first_divergence
    assert found is not None
    return found.kind, found.message, found.position


def decided(events: list[Wire]) -> dict[str, Any]:
    data: dict[str, Any] = events[-1]["data"]
    return data


def test_a_decision_by_the_rosters_members_and_the_votes_they_cast_passes() -> None:
    events = chain()

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.passed, report.failures
    assert report.chains["funding"].decisions_rederived == 1


def test_a_vote_the_log_never_cast_fails() -> None:
    kind, message, position = divergence(
        chain(cast=(person_id_for("officer-1"), person_id_for("senco-2")))
    )

    assert kind == "decision does not follow from its rules"
    assert (
        f"votes the log never cast on proposal prop-1: {person_id_for('head-3')} (for)" in message
    )
    assert position == 7


def test_a_vote_cast_but_left_out_of_the_decision_fails() -> None:
    kind, message, _ = divergence(chain(cast=(*VOTERS, person_id_for("senco-5"))))

    assert kind == "decision does not follow from its rules"
    assert f"left out of it: {person_id_for('senco-5')} (for)" in message


def test_a_member_dropped_from_the_roster_yet_sitting_on_the_panel_fails() -> None:
    dropped = ROSTER.evolve(
        members=[m for m in ROSTER.members if m.member_id != person_id_for("senco-2")]
    )

    kind, message, _ = divergence(chain(roster=dropped))

    assert kind == "decision does not follow from its rules"
    assert "the panel is not roster version 1 of panel-1 as the log set it" in message


def test_an_interest_hidden_from_the_panel_the_roster_declared_fails() -> None:
    events = chain()
    for member in decided(events)["record"]["panel"]["members"]:
        member["declared_interests"] = []
    rechain(events, len(events) - 1)

    _, message, _ = divergence(events)

    assert "the panel is not roster version 1" in message


def test_a_recused_voter_fails_even_when_the_log_cast_their_vote() -> None:
    """senco-4 declared an interest in the applying school; a service that took their vote
    and counted it recorded what the rules refuse."""
    recused = person_id_for("senco-4")
    events = chain(cast=(*VOTERS, recused))
    data = decided(events)
    data["record"]["proposal"]["votes"].append({"member_id": recused, "choice": "for"})
    data["votes"].append({"member_id": recused, "choice": "for"})
    rechain(events, len(events) - 1)

    kind, message, _ = divergence(events)

    assert kind == "decision does not follow from its rules"
    assert (
        f"the rules in force refuse this decision: recused_member_voted: {person_id_for('senco-4')}"
        in message
    )


def test_headline_votes_that_are_not_the_records_fail() -> None:
    events = chain()
    decided(events)["votes"] = [{"member_id": person_id_for("officer-1"), "choice": "for"}]
    rechain(events, len(events) - 1)

    _, message, _ = divergence(events)

    assert "the headline votes" in message


def test_a_decision_naming_a_roster_version_the_log_never_set_fails() -> None:
    events = chain()
    decided(events)["roster_version"] = 2
    rechain(events, len(events) - 1)

    _, message, _ = divergence(events)

    assert "roster version 2 of panel-1 was not set in the log before it" in message
