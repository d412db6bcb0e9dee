"""The statutory clocks a placement carries for a child with an EHCP: the amended plan naming
the next placement before the child's next phase transfer, and before a planned move between
post-16 institutions.

A clock belongs to the placement the child is in during the year it falls due. A placement that
ends before its transfer year carries none (the next placement does); one that ends before the
due day with no amended plan withdraws its clock. An amended plan counts for a transfer when it
is issued in or after the academic year the child leaves in, and for a post-16 move when it is
issued on or after the day the move was recorded.
"""

from collections.abc import Iterable
from datetime import date

from placements.domain.clocks import Clock, ClockStop
from placements.domain.dates import academic_year_of, first_year
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.placement import Placement
from placements.domain.setting import Setting, is_infant_school
from placements.domain.timescales import Timescales
from placements.domain.transfers import (
    next_transfer,
    post_16_move_clock,
    transfer_clock,
    transfer_deadline,
)
from placements.domain.values import DomainModel
from placements.domain.year_groups import Phase, phase_of, year_group_on


class PlannedPost16Move(DomainModel):
    """A move between post-16 institutions on `moves_on`, recorded on `recorded_on`."""

    moves_on: date
    recorded_on: date


def plan_post_16_move(placement: Placement, moves_on: date, recorded_on: date) -> PlannedPost16Move:
    """Record a planned move from a post-16 placement, or refuse: the placement has ended, the
    child is not in post-16 on the day it is recorded, or the move is not after the start."""
    if placement.ended_on is not None:
        raise DecisionRefused(RefusalCode.PLACEMENT_ALREADY_ENDED, (placement.placement_id,))
    year = year_group_on(placement.year_group, placement.started_on, recorded_on)
    if phase_of(year) is not Phase.POST_16:
        raise DecisionRefused(RefusalCode.NOT_A_POST_16_PLACEMENT, (year.name.lower(),))
    if moves_on <= placement.started_on:
        raise DecisionRefused(RefusalCode.MOVE_BEFORE_PLACEMENT_STARTS)
    return PlannedPost16Move(moves_on=moves_on, recorded_on=recorded_on)


def _withdrawn_if_left(clock: Clock, placement: Placement) -> Clock:
    ended = placement.ended_on
    if clock.stopped_on is None and ended is not None and ended < clock.due_on:
        return clock.evolve(stopped_on=ended, stop=ClockStop.WITHDRAWN)
    return clock


def _transfer_clock(
    placement: Placement, setting: Setting, plans: list[date], timescales: Timescales
) -> Clock | None:
    infant = is_infant_school(setting)
    if next_transfer(placement.year_group, infant_school=infant) is None:
        return None
    due = transfer_deadline(
        placement.year_group,
        academic_year_of(placement.started_on),
        timescales,
        infant_school=infant,
    )
    leaving_starts = date(first_year(due.leaving_year), 9, 1)
    if placement.ended_on is not None and placement.ended_on < leaving_starts:
        return None
    issued = next((day for day in plans if day >= leaving_starts), None)
    return _withdrawn_if_left(
        transfer_clock(placement.placement_id, due, timescales, issued), placement
    )


def placement_clocks(
    placement: Placement,
    setting: Setting,
    *,
    has_ehcp: bool,
    amended_plans: Iterable[date],
    post_16_move: PlannedPost16Move | None,
    timescales: Timescales,
) -> tuple[Clock, ...]:
    """The clocks of one placement; none for a child without an EHCP."""
    if not has_ehcp:
        return ()
    plans = sorted(amended_plans)
    clocks: list[Clock] = []
    transfer = _transfer_clock(placement, setting, plans, timescales)
    if transfer is not None:
        clocks.append(transfer)
    if post_16_move is not None:
        issued = next((day for day in plans if day >= post_16_move.recorded_on), None)
        move = post_16_move_clock(placement.placement_id, post_16_move.moves_on, timescales, issued)
        clocks.append(_withdrawn_if_left(move, placement))
    return tuple(clocks)
