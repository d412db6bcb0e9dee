"""Reading a clock on a day passed in: warning points, due day, breach, met, withdrawn."""

from datetime import date

import pytest
from pydantic import ValidationError

from placements.domain.clocks import Clock, ClockKind, ClockStatus, ClockStop, read_clock

DUE_ON = date(2026, 10, 17)
CLOCK = Clock(
    subject_id="request-1",
    kind=ClockKind.CONSULTATION_REPLY,
    due_on=DUE_ON,
    timescales_version="send-regulations-2014",
    party_id="srp-0301",
)
WARNINGS = (5, 2)


@pytest.mark.parametrize(
    ("now", "status", "passed", "days_left"),
    [
        (date(2026, 10, 11), ClockStatus.RUNNING, (), 6),
        (date(2026, 10, 12), ClockStatus.DUE_SOON, (5,), 5),
        (date(2026, 10, 15), ClockStatus.DUE_SOON, (5, 2), 2),
        (date(2026, 10, 17), ClockStatus.DUE_SOON, (5, 2), 0),
        (date(2026, 10, 18), ClockStatus.BREACHED, (5, 2), -1),
    ],
    ids=["before_warnings", "first_warning", "second_warning", "due_day", "day_after"],
)
def test_a_running_clock_warns_at_each_point_before_it_is_due_then_breaches(
    now: date, status: ClockStatus, passed: tuple[int, ...], days_left: int
) -> None:
    reading = read_clock(CLOCK, now, WARNINGS)
    assert (reading.status, reading.warnings_passed, reading.days_left) == (
        status,
        passed,
        days_left,
    )
    assert reading.late is (status is ClockStatus.BREACHED)


def test_without_warning_points_a_clock_runs_until_it_breaches() -> None:
    assert read_clock(CLOCK, DUE_ON).status is ClockStatus.RUNNING


def test_warning_points_are_whole_days_before_due() -> None:
    with pytest.raises(ValidationError):
        read_clock(CLOCK, DUE_ON, (0,))


@pytest.mark.parametrize(
    ("stop", "stopped_on", "status"),
    [
        (ClockStop.MET, date(2026, 10, 17), ClockStatus.MET),
        (ClockStop.MET, date(2026, 10, 18), ClockStatus.MET_LATE),
        (ClockStop.WITHDRAWN, date(2026, 10, 20), ClockStatus.WITHDRAWN),
    ],
)
def test_a_stopped_clock_is_met_met_late_or_withdrawn_and_warns_no_more(
    stop: ClockStop, stopped_on: date, status: ClockStatus
) -> None:
    reading = read_clock(
        CLOCK.evolve(stop=stop, stopped_on=stopped_on), date(2026, 11, 1), WARNINGS
    )
    assert (reading.status, reading.warnings_passed) == (status, ())
    assert reading.late is (status is ClockStatus.MET_LATE)


def test_a_stop_after_now_has_not_happened_yet() -> None:
    met_later = CLOCK.evolve(stop=ClockStop.MET, stopped_on=date(2026, 10, 16))
    assert read_clock(met_later, date(2026, 10, 15), WARNINGS).status is ClockStatus.DUE_SOON
    assert read_clock(met_later, date(2026, 10, 16), WARNINGS).status is ClockStatus.MET


def test_a_stopped_clock_records_both_the_day_and_how() -> None:
    with pytest.raises(ValidationError):
        CLOCK.evolve(stopped_on=date(2026, 10, 16))
    with pytest.raises(ValidationError):
        CLOCK.evolve(stop=ClockStop.MET)
