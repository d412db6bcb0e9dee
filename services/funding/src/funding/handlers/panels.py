"""HNF panels' rosters: an officer covering the panel's area keeps it; a member declares their
own interests. Each new version is published whole."""

from __future__ import annotations

from datetime import date

from funding import access
from funding.access import POLICY
from funding.adapters import FundingStore
from funding.domain.errors import DecisionRefused
from funding.domain.roster import Roster, RosterMember, declare_interest, keep_roster
from funding.handlers.refusals import as_problem
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.funding import ROSTER_SET, PanelRosterSet, RosterMemberRecord
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import NotFound


async def set_roster(
    work: UnitOfWork,
    who: Principal,
    panel_id: str,
    area: Area,
    members: tuple[RosterMember, ...],
    today: date,
) -> Roster:
    """Set a panel's roster; the same roster again changes nothing."""
    POLICY.check(who, "panel.keep", access.panel(area, panel_id))
    store = FundingStore(work.connection)
    await work.connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"panel:{panel_id}")
    current = await store.roster(panel_id, for_update=True)
    if current is not None:
        POLICY.check(who, "panel.keep", access.panel(current.area, panel_id))
    try:
        roster = keep_roster(current, panel_id, area, members, today)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    if roster is None:
        assert current is not None, "only an existing roster can be unchanged"
        return current
    await _save(work, store, roster)
    return roster


async def declare(
    work: UnitOfWork, who: Principal, panel_id: str, setting_id: str, today: date
) -> Roster:
    """A member declares their own interest in a setting; declared again, nothing changes."""
    store = FundingStore(work.connection)
    roster = await store.roster(panel_id, for_update=True)
    if roster is None:
        raise NotFound(f"no panel {panel_id}")
    POLICY.check(who, "panel.declare", access.panel(roster.area, panel_id))
    try:
        declared = declare_interest(roster, who.subject, setting_id, today)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    if declared is None:
        return roster
    await _save(work, store, declared)
    return declared


async def _save(work: UnitOfWork, store: FundingStore, roster: Roster) -> None:
    await store.save_roster(roster)
    work.emit(
        ROSTER_SET.type,
        roster.panel_id,
        PanelRosterSet(
            panel_id=roster.panel_id,
            area=roster.area,
            version=roster.version,
            members=tuple(
                RosterMemberRecord(
                    member_id=m.member_id,
                    role=m.role.value,
                    term_from=m.term_from,
                    term_to=m.term_to,
                    trained_on=m.trained_on,
                    declared_interests=m.declared_interests,
                )
                for m in roster.members
            ),
            set_on=roster.set_on,
        ),
    )
