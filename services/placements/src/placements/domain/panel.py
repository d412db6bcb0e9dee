"""Local panels of SENCOs, headteachers and KCC officers: interests, recusal, quorum, votes.

Quorum is each panel's own terms of reference, kept on its roster and recorded with each
decision, so a decision carries the rule it was judged by.
"""

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from inclusion_shared.identifiers import PersonId
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
    """A member, by their person id, with the settings they have declared an interest in."""

    member_id: PersonId
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

    member_id: PersonId
    choice: VoteChoice


def must_recuse(member: PanelMember, setting_ids: Iterable[str]) -> bool:
    """A member who has declared an interest in a setting under decision must recuse."""
    return not set(setting_ids).isdisjoint(member.declared_interests)


def recusals(panel: Panel, setting_ids: Iterable[str]) -> tuple[str, ...]:
    """Members who must recuse: each has declared an interest in a setting under decision."""
    under_decision = set(setting_ids)
    return tuple(
        member.member_id for member in panel.members if must_recuse(member, under_decision)
    )


class Standing(StrEnum):
    """Where the votes cast on a proposal leave it."""

    OPEN = "open"  # not yet quorate: it waits for more votes
    CARRIED = "carried"
    NOT_CARRIED = "not_carried"


def check_votes(panel: Panel, setting_ids: Iterable[str], votes: Iterable[Vote]) -> Standing:
    """Where valid votes leave a proposal; refused unless the votes are valid.

    Valid: once each, from members who have not had to recuse. Quorate: the panel's quorum of
    voting members, KCC officers and SENCOs (until then the proposal stays open). Carried:
    quorate, with more votes for than against.
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
        return Standing.OPEN
    tally = Counter(vote.choice for vote in cast)
    carried = tally[VoteChoice.FOR] > tally[VoteChoice.AGAINST]
    return Standing.CARRIED if carried else Standing.NOT_CARRIED


def quorum_shortfall(panel: Panel, votes: Iterable[Vote]) -> tuple[str, ...]:
    """What a refusal for want of quorum names: how many voted, how many officers and SENCOs."""
    cast = tuple(votes)
    roles = {member.member_id: member.role for member in panel.members}
    voted = Counter(roles.get(vote.member_id) for vote in cast)
    return (
        f"voting_members_{len(cast)}",
        f"kcc_officers_{voted[PanelRole.KCC_OFFICER]}",
        f"sencos_{voted[PanelRole.SENCO]}",
    )
