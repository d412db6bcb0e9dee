"""A panel's stored roster: who sits on it, for what term, trained when, declaring what
interests, and its terms of reference (the quorum). An officer keeps it; a member adds their own
interests. A case never brings its own panel: the panel that decides is the roster's members
eligible on the day, judged by the roster's quorum."""

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from inclusion_shared.identifiers import PersonId
from inclusion_shared.kent import Area
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.panel import (
    MAX_DECLARED_INTERESTS,
    MAX_MEMBERS,
    Panel,
    PanelMember,
    PanelRole,
    QuorumRule,
    Vote,
    must_recuse,
)
from placements.domain.values import DomainModel, PseudonymousId


class RosterMember(DomainModel):
    """A member as the roster keeps them: their seat, term, training and declared interests."""

    member_id: PersonId
    role: PanelRole
    term_from: date
    term_to: date
    trained_on: date | None = None
    declared_interests: Annotated[
        tuple[PseudonymousId, ...], Field(max_length=MAX_DECLARED_INTERESTS)
    ] = ()

    @model_validator(mode="after")
    def _term_runs_forwards(self) -> Self:
        if self.term_from > self.term_to:
            raise ValueError("a member's term cannot end before it begins")
        return self

    def eligible_on(self, day: date) -> bool:
        """In term on the day, and trained by then."""
        return (
            self.term_from <= day <= self.term_to
            and self.trained_on is not None
            and self.trained_on <= day
        )

    def seat(self) -> PanelMember:
        return PanelMember(
            member_id=self.member_id, role=self.role, declared_interests=self.declared_interests
        )


def _distinct(members: tuple[RosterMember, ...]) -> tuple[RosterMember, ...]:
    ids = [member.member_id for member in members]
    if len(set(ids)) != len(ids):
        raise ValueError("a member can sit on a panel only once")
    return members


Members = Annotated[
    tuple[RosterMember, ...],
    Field(min_length=1, max_length=MAX_MEMBERS),
    AfterValidator(_distinct),
]
"""A roster's members: at least one, at most a panel's worth, each once."""


class Roster(DomainModel):
    """One version of a panel's roster, in the area it serves, with its quorum."""

    panel_id: PseudonymousId
    area: Area
    version: Annotated[int, Field(strict=True, ge=1)]
    members: Members
    quorum: QuorumRule
    set_on: date

    def member(self, member_id: str) -> RosterMember | None:
        return next((m for m in self.members if m.member_id == member_id), None)

    def panel_on(self, day: date) -> Panel:
        """The members eligible on the day, as the panel sitting for a decision under the
        roster's quorum; refused when none is."""
        eligible = tuple(m.seat() for m in self.members if m.eligible_on(day))
        if not eligible:
            raise DecisionRefused(RefusalCode.NO_ELIGIBLE_MEMBERS, (self.panel_id,))
        return Panel(panel_id=self.panel_id, members=eligible, quorum=self.quorum)


def keep_roster(
    current: Roster | None,
    panel_id: str,
    area: Area,
    members: tuple[RosterMember, ...],
    quorum: QuorumRule,
    on: date,
) -> Roster | None:
    """The roster's next version as an officer sets it, or None when nothing changes. A panel
    serves one area for good."""
    if current is not None and current.area != area:
        raise DecisionRefused(RefusalCode.PANEL_AREA_FIXED, (current.area.value,))
    if current is not None and (current.members, current.quorum) == (members, quorum):
        return None
    version = 1 if current is None else current.version + 1
    return Roster(
        panel_id=panel_id, area=area, version=version, members=members, quorum=quorum, set_on=on
    )


def declare_interest(roster: Roster, member_id: str, setting_id: str, on: date) -> Roster | None:
    """The roster with a member's own declaration of interest in a setting, or None when they
    had declared it already. Only a member on the roster declares."""
    member = roster.member(member_id)
    if member is None:
        raise DecisionRefused(RefusalCode.NOT_ON_PANEL, (member_id,))
    if setting_id in member.declared_interests:
        return None
    declared = member.evolve(declared_interests=(*member.declared_interests, setting_id))
    members = tuple(declared if m is member else m for m in roster.members)
    return roster.evolve(version=roster.version + 1, members=members, set_on=on)


def admit_vote(
    roster: Roster,
    member_id: str,
    setting_ids: Iterable[str],
    earlier: Iterable[Vote],
    on: date,
) -> None:
    """Nothing, or why a member may not vote on a proposal about some settings: not on the
    roster, voted on it already, not eligible on the day (out of term or untrained), or bound
    to recuse (an interest declared in a setting under decision)."""
    member = roster.member(member_id)
    if member is None:
        raise DecisionRefused(RefusalCode.NOT_ON_PANEL, (member_id,))
    if any(vote.member_id == member_id for vote in earlier):
        raise DecisionRefused(RefusalCode.MEMBER_VOTED_TWICE, (member_id,))
    if not member.eligible_on(on):
        why = "out_of_term" if not member.term_from <= on <= member.term_to else "untrained"
        raise DecisionRefused(RefusalCode.MEMBER_NOT_ELIGIBLE, (member_id, why))
    under_decision = tuple(setting_ids)
    if must_recuse(member.seat(), under_decision):
        conflicted = sorted(set(under_decision) & set(member.declared_interests))
        raise DecisionRefused(RefusalCode.MUST_RECUSE, (member_id, *conflicted))
