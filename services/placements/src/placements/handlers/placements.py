"""Placements: started from an accepted offer, ended with a reason, a move (the end of one and
the start of the next in one transaction), and the facts that stop their transfer clocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import uuid4

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    AMENDED_PLAN_ISSUED,
    PLACEMENT_ENDED,
    PLACEMENT_STARTED,
    POST_16_MOVE_PLANNED,
    AmendedPlanIssued,
    PlacementEnded,
    PlacementStarted,
    Post16MovePlanned,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound
from placements.access import POLICY, of_offer, of_placement
from placements.adapters import PlacementsStore, StoredOffer, StoredPlacement
from placements.domain.funding_signals import is_early_years_leaver, transfer_of
from placements.domain.placement import (
    EndReason,
    MovePurpose,
    end_placement,
    start_placement,
)
from placements.domain.placement_clocks import plan_post_16_move
from placements.domain.setting import Setting
from placements.domain.transfers import post_16_move_deadline
from placements.domain.year_groups import phase_of
from placements.handlers.case_clocks import keep_placement_clocks, timescales_in_force
from placements.handlers.refusals import the_rules


async def start(
    work: UnitOfWork, who: Principal, offer_id: str, starts_on: date
) -> StoredPlacement:
    """Start the placement an accepted offer gave; the child's last placement must have ended."""
    store = PlacementsStore(work.connection)
    offer = await _accepted_offer(store, who, "placement.start", offer_id)
    previous = await store.latest_placement_of(offer.offer.child_id)
    return await _start(work, store, offer, starts_on, previous)


async def move(
    work: UnitOfWork,
    who: Principal,
    placement_id: str,
    last_day: date,
    purpose: MovePurpose,
    offer_id: str,
    starts_on: date,
) -> tuple[StoredPlacement, StoredPlacement]:
    """End a placement for a move, with its purpose, and start the next from its offer: the
    caller reaches both."""
    store = PlacementsStore(work.connection)
    stored = await _placement(store, who, "placement.move", placement_id)
    offer = await _accepted_offer(store, who, "placement.move", offer_id)
    ended = await _end(work, store, stored, last_day, EndReason.MOVED_PROVISION, purpose)
    return ended, await _start(work, store, offer, starts_on, ended)


async def _accepted_offer(
    store: PlacementsStore, who: Principal, action: str, offer_id: str
) -> StoredOffer:
    stored = await store.offer(offer_id, for_update=True)
    if stored is None:
        raise NotFound(f"no offer {offer_id}")
    POLICY.check(who, action, of_offer(stored))
    if await store.placement_of_offer(offer_id) is not None:
        raise Conflict(f"offer {offer_id} has already started a placement")
    return stored


async def _start(
    work: UnitOfWork,
    store: PlacementsStore,
    stored_offer: StoredOffer,
    starts_on: date,
    previous: StoredPlacement | None,
) -> StoredPlacement:
    request = await store.request(stored_offer.request_id, for_update=True)
    assert request is not None, "an offer follows a request's decision"
    before = previous.placement if previous is not None else None
    with the_rules():
        placement = start_placement(
            stored_offer.offer,
            placement_id=f"placement-{uuid4().hex[:20]}",
            on=starts_on,
            previous=before,
        )
    await store.add_placement(placement, request.request.has_ehcp)
    started = StoredPlacement(
        placement,
        request.request.has_ehcp,
        None,
        (),
        request.request.district.value,
        request.panel_id,
    )
    await keep_placement_clocks(store, started)
    await store.set_request_status(stored_offer.request_id, "placed")
    setting = await _setting(store, placement.setting_id)
    left = None if before is None else await _setting(store, before.setting_id)
    transfer = transfer_of(placement, before, left)
    moved_for = before.move_purpose if before is not None else None
    work.emit(
        PLACEMENT_STARTED.type,
        placement.child_id,
        PlacementStarted(
            placement_id=placement.placement_id,
            child_id=placement.child_id,
            setting_id=placement.setting_id,
            setting_type=setting.provision.value,
            district=setting.district,
            area=setting.area,
            phase=phase_of(placement.year_group).value,
            year_group=int(placement.year_group),
            starts_on=placement.started_on,
            transfer=transfer.value if transfer is not None else None,
            previous_setting_id=before.setting_id if before is not None else None,
            move_reason=moved_for.value if moved_for is not None else None,
            offer_id=placement.offer_id,
        ),
    )
    return started


async def end(
    work: UnitOfWork,
    who: Principal,
    placement_id: str,
    ends_on: date,
    reason: EndReason,
    purpose: MovePurpose | None,
) -> StoredPlacement:
    """End a placement on its last day, with a reason (and a purpose for a move)."""
    store = PlacementsStore(work.connection)
    stored = await _placement(store, who, "placement.end", placement_id)
    return await _end(work, store, stored, ends_on, reason, purpose)


async def _end(
    work: UnitOfWork,
    store: PlacementsStore,
    stored: StoredPlacement,
    ends_on: date,
    reason: EndReason,
    purpose: MovePurpose | None,
) -> StoredPlacement:
    with the_rules():
        ended = end_placement(stored.placement, ends_on, reason, purpose)
    await store.save_placement(ended)
    left = replace(stored, placement=ended)
    await keep_placement_clocks(store, left)
    setting = await _setting(store, ended.setting_id)
    work.emit(
        PLACEMENT_ENDED.type,
        ended.child_id,
        PlacementEnded(
            placement_id=ended.placement_id,
            child_id=ended.child_id,
            setting_id=ended.setting_id,
            setting_type=setting.provision.value,
            district=setting.district,
            area=setting.area,
            ends_on=ends_on,
            reason=reason.value,
            left_early_years=is_early_years_leaver(ended),
            move_purpose=purpose.value if purpose is not None else None,
        ),
    )
    return left


async def issue_amended_plan(
    work: UnitOfWork, who: Principal, placement_id: str, issued_on: date
) -> StoredPlacement:
    """The amended plan naming the child's next placement was issued."""
    store = PlacementsStore(work.connection)
    stored = await _placement(store, who, "amended-plan.record", placement_id)
    if not await store.add_amended_plan(placement_id, issued_on):
        raise Conflict(f"an amended plan issued on {issued_on} is already recorded")
    work.emit(
        AMENDED_PLAN_ISSUED.type,
        stored.placement.child_id,
        AmendedPlanIssued(
            placement_id=placement_id, child_id=stored.placement.child_id, issued_on=issued_on
        ),
    )
    plans = tuple(sorted((*stored.amended_plans, issued_on)))
    amended = replace(stored, amended_plans=plans)
    await keep_placement_clocks(store, amended)
    return amended


async def plan_move_between_post_16_institutions(
    work: UnitOfWork, who: Principal, placement_id: str, moves_on: date, today: date
) -> StoredPlacement:
    """Record a planned move from a post-16 placement; its amended plan is due 5 months ahead."""
    store = PlacementsStore(work.connection)
    stored = await _placement(store, who, "post-16-move.plan", placement_id)
    with the_rules():
        planned = plan_post_16_move(stored.placement, moves_on, today)
    await store.plan_post_16_move(placement_id, planned)
    moving = replace(stored, post_16_move=planned)
    await keep_placement_clocks(store, moving)
    work.emit(
        POST_16_MOVE_PLANNED.type,
        stored.placement.child_id,
        Post16MovePlanned(
            placement_id=placement_id,
            child_id=stored.placement.child_id,
            moves_on=moves_on,
            due_on=post_16_move_deadline(moves_on, timescales_in_force()),
        ),
    )
    return moving


async def _placement(
    store: PlacementsStore, who: Principal, action: str, placement_id: str
) -> StoredPlacement:
    stored = await store.placement(placement_id, for_update=True)
    if stored is None:
        raise NotFound(f"no placement {placement_id}")
    POLICY.check(who, action, of_placement(stored))
    return stored


async def _setting(store: PlacementsStore, setting_id: str) -> Setting:
    setting = await store.setting(setting_id)
    assert setting is not None, "placements are only ever at registered settings"
    return setting
