"""Phase transfers and the day the amended plan naming the next placement is due.

School to school (including early years to Reception and infant to junior): 15 February of the
calendar year the child moves. Secondary to post-16: 31 March. Between post-16 institutions: at
least 5 months before the move. The days themselves come from the timescales data.
"""

from datetime import date
from enum import StrEnum

from placements.domain.clocks import Clock, ClockKind, ClockStop
from placements.domain.dates import AcademicYear, academic_year_starting, first_year, months_before
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timescales import Timescales
from placements.domain.values import DomainModel
from placements.domain.year_groups import YearGroup


class PhaseTransfer(StrEnum):
    """The transfers a child's plan must be amended for."""

    EARLY_YEARS_TO_RECEPTION = "early_years_to_reception"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"
    SECONDARY_TO_POST_16 = "secondary_to_post_16"


LEAVING_YEAR: dict[PhaseTransfer, YearGroup] = {
    PhaseTransfer.EARLY_YEARS_TO_RECEPTION: YearGroup.EARLY_YEARS,
    PhaseTransfer.INFANT_TO_JUNIOR: YearGroup.YEAR_2,
    PhaseTransfer.PRIMARY_TO_SECONDARY: YearGroup.YEAR_6,
    PhaseTransfer.SECONDARY_TO_POST_16: YearGroup.YEAR_11,
}
"""The year group a child is in during the academic year before each transfer."""


class TransferDue(DomainModel):
    """A child's next transfer: the year they leave in, the day they move, the plan's due day."""

    transfer: PhaseTransfer
    leaving_year: AcademicYear
    moves_on: date
    due_on: date


def next_transfer(year_group: YearGroup, *, infant_school: bool = False) -> PhaseTransfer | None:
    """The next transfer for a child in `year_group`, or None after Year 11.

    Infant to junior applies only to a child at an infant school: at a primary school, the child
    stays on after Year 2.
    """
    for transfer, leaving in LEAVING_YEAR.items():
        if transfer is PhaseTransfer.INFANT_TO_JUNIOR and not infant_school:
            continue
        if year_group <= leaving:
            return transfer
    return None


def transfer_deadline(
    year_group: YearGroup,
    academic_year: str,
    timescales: Timescales,
    *,
    infant_school: bool = False,
) -> TransferDue:
    """When the amended plan for the child's next transfer is due.

    `year_group` is the child's year group in `academic_year`. The child moves on 1 September at
    the end of the year they spend in the leaving year group, and the plan is due on the
    timescales' day in the calendar year of that move: a Year 6 child in 2026-27 moves in
    September 2027, so the plan is due 15 February 2027. Refused after Year 11: moves between
    post-16 institutions have a deadline of their own (`post_16_move_deadline`).
    """
    transfer = next_transfer(year_group, infant_school=infant_school)
    if transfer is None:
        raise DecisionRefused(RefusalCode.NO_PHASE_TRANSFER_AHEAD, (year_group.name.lower(),))
    leaving_from = first_year(academic_year) + LEAVING_YEAR[transfer] - year_group
    move_year = leaving_from + 1
    if transfer is PhaseTransfer.SECONDARY_TO_POST_16:
        due_on = timescales.secondary_to_post_16_due.in_year(move_year)
    else:
        due_on = timescales.school_transfer_due.in_year(move_year)
    return TransferDue(
        transfer=transfer,
        leaving_year=academic_year_starting(leaving_from),
        moves_on=date(move_year, 9, 1),
        due_on=due_on,
    )


def post_16_move_deadline(moves_on: date, timescales: Timescales) -> date:
    """The latest day to amend the plan for a move between post-16 institutions on `moves_on`."""
    return months_before(moves_on, timescales.post_16_move_notice_months)


def _stopped(clock: Clock, amended_on: date | None) -> Clock:
    if amended_on is None:
        return clock
    return clock.evolve(stopped_on=amended_on, stop=ClockStop.MET)


def transfer_clock(
    case_id: str,
    due: TransferDue,
    timescales: Timescales,
    amended_plan_issued_on: date | None = None,
) -> Clock:
    """The clock for a phase transfer, met when the amended plan is issued."""
    kind = (
        ClockKind.SECONDARY_TO_POST_16
        if due.transfer is PhaseTransfer.SECONDARY_TO_POST_16
        else ClockKind.SCHOOL_TRANSFER
    )
    clock = Clock(
        subject_id=case_id, kind=kind, due_on=due.due_on, timescales_version=timescales.version
    )
    return _stopped(clock, amended_plan_issued_on)


def post_16_move_clock(
    case_id: str,
    moves_on: date,
    timescales: Timescales,
    amended_plan_issued_on: date | None = None,
) -> Clock:
    """The clock for a move between post-16 institutions, met when the amended plan is issued."""
    clock = Clock(
        subject_id=case_id,
        kind=ClockKind.POST_16_MOVE,
        due_on=post_16_move_deadline(moves_on, timescales),
        timescales_version=timescales.version,
    )
    return _stopped(clock, amended_plan_issued_on)
