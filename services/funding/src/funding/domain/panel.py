"""Local panels: members, declared interests, recusal, votes and quorum."""

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import QuorumRule
from funding.domain.values import DomainModel, PseudonymousId
from inclusion_shared.identifiers import PersonId

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
    """A panel member, by their person id, with the settings they have declared an interest in."""

    member_id: PersonId
    role: PanelRole
    declared_interests: Annotated[
        tuple[PseudonymousId, ...], Field(max_length=MAX_DECLARED_INTERESTS)
    ] = ()


class Panel(DomainModel):
    """The members sitting for a decision."""

    panel_id: PseudonymousId
    members: Annotated[tuple[PanelMember, ...], Field(min_length=1, max_length=MAX_MEMBERS)]

    @model_validator(mode="after")
    def _members_are_distinct(self) -> Self:
        ids = [member.member_id for member in self.members]
        if len(set(ids)) != len(ids):
            raise ValueError("a member can sit on a panel only once")
        return self


class VoteChoice(StrEnum):
    """A member's vote on a proposal. Abstaining still counts towards quorum."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Vote(DomainModel):
    """One member's vote."""

    member_id: PersonId
    choice: VoteChoice


def must_recuse(member: PanelMember, setting_id: str) -> bool:
    """A member who has declared an interest in the applying setting must recuse."""
    return setting_id in member.declared_interests


def recusals(panel: Panel, setting_id: str) -> tuple[str, ...]:
    """Ids of the members who must recuse from a decision about this setting."""
    return tuple(m.member_id for m in panel.members if must_recuse(m, setting_id))


class Standing(StrEnum):
    """Where the votes cast on a proposal leave it."""

    OPEN = "open"  # not yet quorate: it waits for more votes
    CARRIED = "carried"
    NOT_CARRIED = "not_carried"


def check_votes(
    panel: Panel, setting_id: str, votes: Iterable[Vote], quorum: QuorumRule
) -> Standing:
    """Where valid votes leave a proposal; refused unless the votes are valid.

    Valid: each vote from a member of the panel who has not had to recuse, once. Quorate: enough
    members voted, enough of them KCC officers (until then the proposal stays open). Carried:
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
    recused = sorted(set(recusals(panel, setting_id)) & {vote.member_id for vote in cast})
    if recused:
        raise DecisionRefused(RefusalCode.RECUSED_MEMBER_VOTED, tuple(recused))
    officers = sum(members[vote.member_id].role is PanelRole.KCC_OFFICER for vote in cast)
    if len(cast) < quorum.min_voting_members or officers < quorum.min_kcc_officers:
        return Standing.OPEN
    tally = Counter(vote.choice for vote in cast)
    carried = tally[VoteChoice.FOR] > tally[VoteChoice.AGAINST]
    return Standing.CARRIED if carried else Standing.NOT_CARRIED


def quorum_shortfall(panel: Panel, votes: Iterable[Vote]) -> tuple[str, ...]:
    """What a refusal for want of quorum names: how many voted, how many of them officers."""
    cast = tuple(votes)
    roles = {member.member_id: member.role for member in panel.members}
    officers = sum(roles.get(vote.member_id) is PanelRole.KCC_OFFICER for vote in cast)
    return (f"voting_members_{len(cast)}", f"kcc_officers_{officers}")
