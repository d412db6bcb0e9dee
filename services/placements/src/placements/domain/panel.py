"""Local panels of SENCOs, headteachers and KCC officers: interests, recusal, quorum, votes.

Quorum is each panel's own terms of reference, recorded with it, so a decision carries the rule
it was judged by.
"""

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.values import Count, DomainModel, PositiveCount, PseudonymousId

MAX_MEMBERS = 20
"""Members sitting on one panel, at most: a local panel is a handful of SENCOs, heads, officers."""
MAX_DECLARED_INTERESTS = 50
"""Settings one member declares an interest in, at most (a head of a trust may name several)."""


class PanelRole(StrEnum):
    """What a member sits on the panel as."""

    SENCO = "senco"
    HEADTEACHER = "headteacher"
    KCC_OFFICER = "kcc-officer"


class PanelMember(DomainModel):
    """A pseudonymous member with the settings they have declared an interest in."""

    member_id: PseudonymousId
    role: PanelRole
    declared_interests: Annotated[
        tuple[PseudonymousId, ...], Field(max_length=MAX_DECLARED_INTERESTS)
    ] = ()


class QuorumRule(DomainModel):
    """How many members must vote, and how many of them KCC officers and SENCOs."""

    min_voting_members: PositiveCount
    min_kcc_officers: Count
    min_sencos: Count


class Panel(DomainModel):
    """A local panel: its members and its quorum."""

    panel_id: PseudonymousId
    members: Annotated[tuple[PanelMember, ...], Field(min_length=1, max_length=MAX_MEMBERS)]
    quorum: QuorumRule

    @model_validator(mode="after")
    def _members_are_distinct(self) -> Self:
        ids = [member.member_id for member in self.members]
        if len(set(ids)) != len(ids):
            raise ValueError("a member sits on a panel only once")
        return self


class VoteChoice(StrEnum):
    """A member's vote. Abstaining still counts towards quorum."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Vote(DomainModel):
    """One member's vote."""

    member_id: PseudonymousId
    choice: VoteChoice


def recusals(panel: Panel, setting_ids: Iterable[str]) -> tuple[str, ...]:
    """Members who must recuse: each has declared an interest in a setting under decision."""
    under_decision = set(setting_ids)
    return tuple(
        member.member_id
        for member in panel.members
        if under_decision.intersection(member.declared_interests)
    )


def check_votes(panel: Panel, setting_ids: Iterable[str], votes: Iterable[Vote]) -> None:
    """Refuse unless the votes are valid, quorate and carry the proposal.

    Valid: once each, from members who have not had to recuse. Quorate: the panel's quorum of
    voting members, KCC officers and SENCOs. Carried: more votes for than against.
    """
    cast = tuple(votes)
    members = {member.member_id: member for member in panel.members}
    strangers = sorted({vote.member_id for vote in cast} - members.keys())
    if strangers:
        raise DecisionRefused(RefusalCode.VOTE_FROM_NON_MEMBER, tuple(strangers))
    twice = sorted(mid for mid, n in Counter(vote.member_id for vote in cast).items() if n > 1)
    if twice:
        raise DecisionRefused(RefusalCode.MEMBER_VOTED_TWICE, tuple(twice))
    recused = sorted(set(recusals(panel, setting_ids)) & {vote.member_id for vote in cast})
    if recused:
        raise DecisionRefused(RefusalCode.RECUSED_MEMBER_VOTED, tuple(recused))
    roles = Counter(members[vote.member_id].role for vote in cast)
    rule = panel.quorum
    if (
        len(cast) < rule.min_voting_members
        or roles[PanelRole.KCC_OFFICER] < rule.min_kcc_officers
        or roles[PanelRole.SENCO] < rule.min_sencos
    ):
        raise DecisionRefused(
            RefusalCode.QUORUM_NOT_MET,
            (
                f"voting_members_{len(cast)}",
                f"kcc_officers_{roles[PanelRole.KCC_OFFICER]}",
                f"sencos_{roles[PanelRole.SENCO]}",
            ),
        )
    tally = Counter(vote.choice for vote in cast)
    if tally[VoteChoice.FOR] <= tally[VoteChoice.AGAINST]:
        raise DecisionRefused(RefusalCode.PROPOSAL_NOT_CARRIED)
