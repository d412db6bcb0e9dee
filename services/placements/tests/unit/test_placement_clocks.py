"""A placement of a child with an EHCP carries the clock for the amended plan before the next
phase transfer, and before a planned move between post-16 institutions."""

from datetime import date

import pytest

from inclusion_shared.kent import District
from placements.domain.capacity import Capacity, YearGroupPlaces, check_capacity
from placements.domain.clocks import Clock, ClockKind, ClockStatus, ClockStop, read_clock
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.placement import EndReason, Placement
from placements.domain.placement_clocks import (
    PlannedPost16Move,
    placement_clocks,
    plan_post_16_move,
)
from placements.domain.setting import ProvisionType, Setting
from placements.domain.timescales import Timescales
from placements.domain.year_groups import YearGroup as Y

PRIMARY = Setting(
    setting_id="primary-1",
    provision=ProvisionType.MAINSTREAM,
    district=District.THANET,
    community_id="cos-17",
    lowest_year=Y.RECEPTION,
    highest_year=Y.YEAR_6,
)
COLLEGE = PRIMARY.evolve(setting_id="college-1", lowest_year=Y.YEAR_12, highest_year=Y.YEAR_14)


def _year_6(**changes: object) -> Placement:
    return Placement(
        placement_id="placement-1",
        offer_id="offer-1",
        child_id="child-4b8669e033ccb7794915",
        setting_id="primary-1",
        provision=ProvisionType.MAINSTREAM,
        year_group=Y.YEAR_6,
        started_on=date(2026, 9, 3),
    ).evolve(**changes)


def _clocks(
    placement: Placement, timescales: Timescales, *plans: date, has_ehcp: bool = True
) -> tuple[Clock, ...]:
    return placement_clocks(
        placement,
        PRIMARY,
        has_ehcp=has_ehcp,
        amended_plans=plans,
        post_16_move=None,
        timescales=timescales,
    )


def test_a_year_6_placement_waits_for_the_amended_plan_by_15_february(
    timescales: Timescales,
) -> None:
    (clock,) = _clocks(_year_6(), timescales)
    assert (clock.subject_id, clock.kind, clock.due_on) == (
        "placement-1",
        ClockKind.SCHOOL_TRANSFER,
        date(2027, 2, 15),
    )
    assert read_clock(clock, date(2027, 2, 16)).status is ClockStatus.BREACHED


def test_the_amended_plan_issued_in_the_leaving_year_meets_the_clock(
    timescales: Timescales,
) -> None:
    (clock,) = _clocks(_year_6(), timescales, date(2026, 3, 1), date(2027, 2, 10))
    assert (clock.stopped_on, clock.stop) == (date(2027, 2, 10), ClockStop.MET)


def test_a_child_without_an_ehcp_has_no_transfer_clock(timescales: Timescales) -> None:
    assert _clocks(_year_6(), timescales, has_ehcp=False) == ()


def test_leaving_before_the_due_day_without_a_plan_withdraws_the_clock(
    timescales: Timescales,
) -> None:
    moved = _year_6(ended_on=date(2026, 12, 18), end_reason=EndReason.LEFT_KENT)
    (clock,) = _clocks(moved, timescales)
    assert (clock.stopped_on, clock.stop) == (date(2026, 12, 18), ClockStop.WITHDRAWN)


def test_leaving_before_the_transfer_year_leaves_the_clock_to_the_next_placement(
    timescales: Timescales,
) -> None:
    year_4 = _year_6(
        year_group=Y.YEAR_4, ended_on=date(2027, 7, 20), end_reason=EndReason.LEFT_KENT
    )
    assert _clocks(year_4, timescales) == ()


def test_a_post_16_move_is_due_5_months_before_it(timescales: Timescales) -> None:
    year_12 = _year_6(setting_id="college-1", year_group=Y.YEAR_12)
    move = plan_post_16_move(year_12, date(2027, 9, 6), date(2026, 11, 2))
    (clock,) = placement_clocks(
        year_12,
        COLLEGE,
        has_ehcp=True,
        amended_plans=(),
        post_16_move=move,
        timescales=timescales,
    )
    assert (clock.kind, clock.due_on) == (ClockKind.POST_16_MOVE, date(2027, 4, 6))


def test_only_a_post_16_placement_plans_a_post_16_move() -> None:
    with pytest.raises(DecisionRefused) as refused:
        plan_post_16_move(_year_6(), date(2027, 9, 6), date(2026, 11, 2))
    assert refused.value.code is RefusalCode.NOT_A_POST_16_PLACEMENT


def test_a_post_16_move_comes_after_the_placement_starts() -> None:
    year_12 = _year_6(year_group=Y.YEAR_12)
    with pytest.raises(DecisionRefused) as refused:
        plan_post_16_move(year_12, date(2026, 9, 1), date(2026, 11, 2))
    assert refused.value.code is RefusalCode.MOVE_BEFORE_PLACEMENT_STARTS


def test_a_planned_move_keeps_its_dates() -> None:
    move = PlannedPost16Move(moves_on=date(2027, 9, 6), recorded_on=date(2026, 11, 2))
    assert move.evolve(moves_on=date(2027, 9, 13)).recorded_on == date(2026, 11, 2)


def test_capacity_is_refused_for_a_year_group_the_setting_does_not_take() -> None:
    capacity = Capacity(
        setting_id="primary-1",
        academic_year="2027-28",
        by_year_group=(YearGroupPlaces(year_group=Y.YEAR_7, places=30),),
    )
    with pytest.raises(DecisionRefused) as refused:
        check_capacity(PRIMARY, capacity)
    assert refused.value.code is RefusalCode.YEAR_GROUP_NOT_TAKEN


def test_capacity_is_refused_against_another_setting() -> None:
    capacity = Capacity(setting_id="primary-2", academic_year="2027-28", designated_places=30)
    with pytest.raises(DecisionRefused) as refused:
        check_capacity(PRIMARY, capacity)
    assert refused.value.code is RefusalCode.CAPACITY_OF_ANOTHER_SETTING
