"""Placement panels' rosters: an officer covering the panel's area keeps it, with its quorum; a
member declares their own interests. Each new version is published whole."""

from __future__ import annotations

from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    ROSTER_SET,
    PanelRosterSet,
    QuorumRecord,
    RosterMemberRecord,
)
from inclusion_shared.kent import Area
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_panel
from placements.adapters import PlacementsStore
from placements.domain.panel import QuorumRule
from placements.domain.roster import Roster, RosterMember, declare_interest, keep_roster
from placements.handlers.refusals import the_rules


async def set_roster(
    work: UnitOfWork,
    who: Principal,
    panel_id: str,
    area: Area,
    members: tuple[RosterMember, ...],
    quorum: QuorumRule,
    today: date,
) -> Roster:
    """Set a panel's roster; the same roster again changes nothing."""
    POLICY.check(who, "panel.keep", of_panel(area, panel_id))
    store = PlacementsStore(work.connection)
    # Two officers setting a new panel at once: the second waits, then finds the first's.
    await work.connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"panel:{panel_id}")
    current = await store.roster(panel_id, for_update=True)
    if current is not None:
        POLICY.check(who, "panel.keep", of_panel(current.area, panel_id))
    with the_rules():
        roster = keep_roster(current, panel_id, area, members, quorum, today)
    if roster is None:
        assert current is not None, "only an existing roster can be unchanged"
        return current
    await _save(work, store, roster)
    return roster


async def declare(
    work: UnitOfWork, who: Principal, panel_id: str, setting_id: str, today: date
) -> Roster:
    """A member declares their own interest in a setting; declared again, nothing changes."""
    store = PlacementsStore(work.connection)
    roster = await store.roster(panel_id, for_update=True)
    if roster is None:
        raise NotFound(f"no panel {panel_id}")
    POLICY.check(who, "panel.declare", of_panel(roster.area, panel_id))
    with the_rules():
        declared = declare_interest(roster, who.subject, setting_id, today)
    if declared is None:
        return roster
    await _save(work, store, declared)
    return declared


async def _save(work: UnitOfWork, store: PlacementsStore, roster: Roster) -> None:
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
            quorum=QuorumRecord(**roster.quorum.model_dump()),
            set_on=roster.set_on,
        ),
    )
