"""Phase transfer deadlines: 15 February of the transfer year, 31 March to post-16, 5 months
before a move between post-16 institutions; academic years start on 1 September."""

from datetime import date

import pytest

from placements.domain.clocks import ClockKind, ClockStatus, read_clock
from placements.domain.dates import academic_year_of
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timescales import DayOfYear, Timescales
from placements.domain.transfers import (
    PhaseTransfer,
    next_transfer,
    post_16_move_clock,
    post_16_move_deadline,
    transfer_clock,
    transfer_deadline,
)
from placements.domain.year_groups import YearGroup as Y
from placements.domain.year_groups import year_group_on


@pytest.mark.parametrize(
    ("day", "academic_year"),
    [
        (date(2026, 9, 1), "2026-27"),
        (date(2026, 8, 31), "2025-26"),
        (date(2027, 1, 1), "2026-27"),
        (date(2027, 8, 31), "2026-27"),
        (date(2099, 9, 1), "2099-00"),
    ],
)
def test_an_academic_year_starts_on_1_september(day: date, academic_year: str) -> None:
    assert academic_year_of(day) == academic_year


def test_a_year_6_child_in_2026_27_moves_in_september_2027_with_the_plan_due_15_february_2027(
    timescales: Timescales,
) -> None:
    due = transfer_deadline(Y.YEAR_6, "2026-27", timescales)
    assert due.transfer is PhaseTransfer.PRIMARY_TO_SECONDARY
    assert (due.leaving_year, due.moves_on, due.due_on) == (
        "2026-27",
        date(2027, 9, 1),
        date(2027, 2, 15),
    )


@pytest.mark.parametrize(
    ("year_group", "academic_year", "transfer", "due_on"),
    [
        (Y.EARLY_YEARS, "2026-27", PhaseTransfer.EARLY_YEARS_TO_RECEPTION, date(2027, 2, 15)),
        (Y.RECEPTION, "2026-27", PhaseTransfer.PRIMARY_TO_SECONDARY, date(2033, 2, 15)),
        (Y.YEAR_5, "2026-27", PhaseTransfer.PRIMARY_TO_SECONDARY, date(2028, 2, 15)),
        (Y.YEAR_6, "2027-28", PhaseTransfer.PRIMARY_TO_SECONDARY, date(2028, 2, 15)),
        (Y.YEAR_7, "2026-27", PhaseTransfer.SECONDARY_TO_POST_16, date(2031, 3, 31)),
        (Y.YEAR_10, "2026-27", PhaseTransfer.SECONDARY_TO_POST_16, date(2028, 3, 31)),
        (Y.YEAR_11, "2026-27", PhaseTransfer.SECONDARY_TO_POST_16, date(2027, 3, 31)),
        (Y.YEAR_11, "2099-00", PhaseTransfer.SECONDARY_TO_POST_16, date(2100, 3, 31)),
    ],
    ids=[
        "final_pre_school_year",
        "reception_at_a_primary",
        "year_5",
        "year_6_a_year_later",
        "year_7",
        "year_10",
        "year_11",
        "over_the_century",
    ],
)
def test_the_plan_is_due_in_the_calendar_year_of_the_move(
    timescales: Timescales,
    year_group: Y,
    academic_year: str,
    transfer: PhaseTransfer,
    due_on: date,
) -> None:
    due = transfer_deadline(year_group, academic_year, timescales)
    assert (due.transfer, due.due_on) == (transfer, due_on)


@pytest.mark.parametrize(
    ("year_group", "due_on"),
    [(Y.RECEPTION, date(2029, 2, 15)), (Y.YEAR_2, date(2027, 2, 15))],
)
def test_an_infant_school_child_transfers_to_junior_after_year_2(
    timescales: Timescales, year_group: Y, due_on: date
) -> None:
    due = transfer_deadline(year_group, "2026-27", timescales, infant_school=True)
    assert (due.transfer, due.due_on) == (PhaseTransfer.INFANT_TO_JUNIOR, due_on)


def test_a_primary_school_child_in_year_2_stays_on_until_year_6(timescales: Timescales) -> None:
    assert next_transfer(Y.YEAR_2) is PhaseTransfer.PRIMARY_TO_SECONDARY
    assert transfer_deadline(Y.YEAR_2, "2026-27", timescales).due_on == date(2031, 2, 15)


@pytest.mark.parametrize("year_group", [Y.YEAR_12, Y.YEAR_13, Y.YEAR_14])
def test_after_year_11_there_is_no_phase_transfer_ahead(
    timescales: Timescales, year_group: Y
) -> None:
    assert next_transfer(year_group) is None
    with pytest.raises(DecisionRefused) as refused:
        transfer_deadline(year_group, "2026-27", timescales)
    assert refused.value.code is RefusalCode.NO_PHASE_TRANSFER_AHEAD


@pytest.mark.parametrize(
    ("moves_on", "due_on"),
    [
        (date(2027, 9, 1), date(2027, 4, 1)),
        (date(2027, 8, 1), date(2027, 3, 1)),
        (date(2027, 7, 31), date(2027, 2, 28)),
        (date(2028, 7, 31), date(2028, 2, 29)),
        (date(2027, 7, 28), date(2027, 2, 28)),
        (date(2028, 1, 15), date(2027, 8, 15)),
    ],
    ids=[
        "september",
        "into_march",
        "clamped_to_february",
        "clamped_to_a_leap_february",
        "february_28_itself",
        "back_over_the_year_end",
    ],
)
def test_a_move_between_post_16_institutions_is_due_5_months_before(
    timescales: Timescales, moves_on: date, due_on: date
) -> None:
    assert post_16_move_deadline(moves_on, timescales) == due_on


@pytest.mark.parametrize(
    ("year_group", "amended_on", "status"),
    [
        (Y.YEAR_6, date(2027, 2, 15), ClockStatus.MET),
        (Y.YEAR_6, date(2027, 2, 16), ClockStatus.MET_LATE),
        (Y.YEAR_11, date(2027, 3, 31), ClockStatus.MET),
        (Y.YEAR_11, date(2027, 4, 1), ClockStatus.MET_LATE),
    ],
    ids=["15_february", "16_february", "31_march", "1_april"],
)
def test_an_amended_plan_on_the_due_day_is_on_time_and_the_day_after_late(
    timescales: Timescales, year_group: Y, amended_on: date, status: ClockStatus
) -> None:
    due = transfer_deadline(year_group, "2026-27", timescales)
    clock = transfer_clock("case-1", due, timescales, amended_plan_issued_on=amended_on)
    assert read_clock(clock, date(2027, 6, 1)).status is status


def test_the_post_16_transfer_has_its_own_clock(timescales: Timescales) -> None:
    year_11 = transfer_clock(
        "case-1", transfer_deadline(Y.YEAR_11, "2026-27", timescales), timescales
    )
    year_6 = transfer_clock(
        "case-1", transfer_deadline(Y.YEAR_6, "2026-27", timescales), timescales
    )
    assert (year_11.kind, year_6.kind) == (
        ClockKind.SECONDARY_TO_POST_16,
        ClockKind.SCHOOL_TRANSFER,
    )


@pytest.mark.parametrize(
    ("now", "status"),
    [(date(2027, 2, 15), ClockStatus.RUNNING), (date(2027, 2, 16), ClockStatus.BREACHED)],
)
def test_a_transfer_without_an_amended_plan_breaches_on_16_february(
    timescales: Timescales, now: date, status: ClockStatus
) -> None:
    clock = transfer_clock("case-1", transfer_deadline(Y.YEAR_6, "2026-27", timescales), timescales)
    assert read_clock(clock, now).status is status


def test_a_post_16_move_clock_is_met_by_an_amended_plan_5_months_ahead(
    timescales: Timescales,
) -> None:
    clock = post_16_move_clock("case-1", date(2027, 9, 1), timescales, date(2027, 4, 1))
    assert (clock.kind, clock.due_on) == (ClockKind.POST_16_MOVE, date(2027, 4, 1))
    assert read_clock(clock, date(2027, 9, 1)).status is ClockStatus.MET
    late = post_16_move_clock("case-1", date(2027, 9, 1), timescales, date(2027, 4, 2))
    assert read_clock(late, date(2027, 9, 1)).status is ClockStatus.MET_LATE


def test_the_transfer_days_are_data_in_the_timescales(timescales: Timescales) -> None:
    changed = timescales.evolve(
        school_transfer_due=DayOfYear(month=3, day=1), post_16_move_notice_months=6
    )
    assert transfer_deadline(Y.YEAR_6, "2026-27", changed).due_on == date(2027, 3, 1)
    assert post_16_move_deadline(date(2027, 9, 1), changed) == date(2027, 3, 1)


def test_29_february_cannot_be_a_yearly_deadline() -> None:
    with pytest.raises(ValueError):
        DayOfYear(month=2, day=29)


@pytest.mark.parametrize(
    ("known", "on", "year_group"),
    [
        (date(2026, 9, 1), date(2027, 8, 31), Y.YEAR_6),
        (date(2026, 9, 1), date(2027, 9, 1), Y.YEAR_7),
        (date(2027, 8, 31), date(2027, 9, 1), Y.YEAR_7),
        (date(2026, 10, 1), date(2024, 10, 1), Y.YEAR_4),
    ],
    ids=["end_of_the_year", "next_september", "overnight", "two_years_back"],
)
def test_a_child_moves_up_a_year_group_each_1_september(
    known: date, on: date, year_group: Y
) -> None:
    assert year_group_on(Y.YEAR_6, known, on) is year_group


@pytest.mark.parametrize("academic_year", ["2026-28", "2026/27", "26-27", "0000-01", "9999-00"])
def test_a_transfer_deadline_needs_an_academic_year_written_like_2026_27(
    timescales: Timescales, academic_year: str
) -> None:
    with pytest.raises(ValueError):
        transfer_deadline(Y.YEAR_6, academic_year, timescales)
