"""Allowed exceptions are recorded with a reason; timeliness is reported with and without them."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from pydantic import ValidationError

from placements.domain.clock_exceptions import ClockException, ExceptionKind, record_exception
from placements.domain.clocks import Clock, ClockKind, ClockReading, ClockStop, read_clock
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timeliness import Timeliness, timeliness
from placements.domain.timescales import Timescales

DUE_ON = date(2027, 1, 25)
NOW = date(2027, 3, 1)


def _exception(
    kind: ExceptionKind = ExceptionKind.CHILD_AWAY,
    from_on: date = date(2026, 10, 1),
    until: date | None = date(2026, 10, 28),
    clock: ClockKind = ClockKind.FINAL_EHCP,
    subject_id: str = "case-1",
) -> ClockException:
    return ClockException(
        subject_id=subject_id,
        clock=clock,
        kind=kind,
        reason="evidence_on_file",
        recorded_by="officer-1",
        from_on=from_on,
        until=until,
    )


@pytest.mark.parametrize("kind", [ExceptionKind.CHILD_AWAY, ExceptionKind.SETTING_CLOSED])
def test_an_absence_or_closure_of_exactly_4_weeks_is_an_allowed_exception(
    timescales: Timescales, kind: ExceptionKind
) -> None:
    exception = _exception(kind, date(2026, 10, 1), date(2026, 10, 28))
    assert record_exception(exception, timescales) == exception


@pytest.mark.parametrize("kind", [ExceptionKind.CHILD_AWAY, ExceptionKind.SETTING_CLOSED])
def test_an_absence_or_closure_shorter_than_4_weeks_is_refused(
    timescales: Timescales, kind: ExceptionKind
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        record_exception(_exception(kind, date(2026, 10, 1), date(2026, 10, 27)), timescales)
    assert (refused.value.code, refused.value.details) == (
        RefusalCode.EXCEPTION_TOO_SHORT,
        ("lasted_27_days",),
    )


def test_exceptional_personal_circumstances_need_no_minimum_period(
    timescales: Timescales,
) -> None:
    exception = _exception(ExceptionKind.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES, until=None)
    assert record_exception(exception, timescales).until is None


def test_an_absence_needs_its_last_day() -> None:
    with pytest.raises(ValidationError):
        _exception(ExceptionKind.CHILD_AWAY, until=None)


def test_an_exception_needs_a_reason_code_not_free_text() -> None:
    with pytest.raises(ValidationError):
        _exception().evolve(reason="Family bereavement, see notes")
    with pytest.raises(ValidationError):
        _exception().evolve(reason="")


@pytest.mark.parametrize(
    "clock",
    [
        ClockKind.CONSULTATION_REPLY,
        ClockKind.SCHOOL_TRANSFER,
        ClockKind.SECONDARY_TO_POST_16,
        ClockKind.POST_16_MOVE,
    ],
)
def test_no_exception_is_allowed_to_the_consultation_and_transfer_clocks(
    timescales: Timescales, clock: ClockKind
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        record_exception(_exception(clock=clock), timescales)
    assert refused.value.code is RefusalCode.NO_EXCEPTIONS_TO_THIS_CLOCK


def test_an_exception_ending_before_it_starts_is_refused(timescales: Timescales) -> None:
    exception = _exception(
        ExceptionKind.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES, until=date(2026, 9, 30)
    )
    with pytest.raises(DecisionRefused) as refused:
        record_exception(exception, timescales)
    assert refused.value.code is RefusalCode.EXCEPTION_ENDS_BEFORE_IT_STARTS


def test_the_minimum_weeks_are_data_in_the_timescales(timescales: Timescales) -> None:
    three_weeks = timescales.evolve(exception_min_weeks=3)
    short = _exception(until=date(2026, 10, 21))
    assert record_exception(short, three_weeks) == short


def _reading(
    case: str, issued_after_due: int | None, kind: ClockKind = ClockKind.FINAL_EHCP
) -> ClockReading:
    """A case's clock read on NOW: issued `issued_after_due` days after due, or never (None)."""
    clock = Clock(
        subject_id=case, kind=kind, due_on=DUE_ON, timescales_version="send-regulations-2014"
    )
    if issued_after_due is not None:
        clock = clock.evolve(
            stop=ClockStop.MET, stopped_on=DUE_ON + timedelta(days=issued_after_due)
        )
    return read_clock(clock, NOW)


@pytest.fixture
def readings() -> tuple[ClockReading, ...]:
    """Six cases: two on time, one a day late with an exception, one late without, one still
    unissued (breached) with an exception, one withdrawn."""
    withdrawn = Clock(
        subject_id="case-6",
        kind=ClockKind.FINAL_EHCP,
        due_on=DUE_ON,
        timescales_version="send-regulations-2014",
        stop=ClockStop.WITHDRAWN,
        stopped_on=date(2026, 11, 2),
    )
    return (
        _reading("case-1", 0),
        _reading("case-2", -30),
        _reading("case-3", 1),
        _reading("case-4", 10),
        _reading("case-5", None),
        read_clock(withdrawn, NOW),
    )


def test_timeliness_is_reported_both_including_and_excluding_exceptions(
    readings: tuple[ClockReading, ...],
) -> None:
    exceptions = (
        _exception(subject_id="case-3"),
        _exception(
            ExceptionKind.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES, until=None, subject_id="case-5"
        ),
    )
    report = timeliness(ClockKind.FINAL_EHCP, readings, exceptions)
    assert report.including_exceptions == Timeliness(cases=5, on_time=2)
    assert report.excluding_exceptions == Timeliness(cases=3, on_time=2)
    assert report.cases_with_exceptions == 2
    assert report.including_exceptions.rate == Fraction(2, 5)
    assert report.excluding_exceptions.rate == Fraction(2, 3)


def test_an_exception_does_not_make_a_late_case_on_time(
    readings: tuple[ClockReading, ...],
) -> None:
    report = timeliness(ClockKind.FINAL_EHCP, readings, (_exception(subject_id="case-4"),))
    assert report.including_exceptions.on_time == 2
    assert report.excluding_exceptions == Timeliness(cases=4, on_time=2)


@pytest.mark.parametrize(
    "exception",
    [
        _exception(subject_id="case-3", clock=ClockKind.DECIDE_TO_ASSESS),
        _exception(subject_id="case-9"),
        _exception(subject_id="case-3", from_on=date(2027, 3, 2), until=date(2027, 4, 30)),
    ],
    ids=["another_clock", "another_case", "starts_after_the_reading"],
)
def test_only_an_exception_to_the_same_clock_of_the_same_case_so_far_counts(
    readings: tuple[ClockReading, ...], exception: ClockException
) -> None:
    report = timeliness(ClockKind.FINAL_EHCP, readings, (exception,))
    assert report.cases_with_exceptions == 0
    assert report.excluding_exceptions == report.including_exceptions


def test_clocks_still_running_on_time_are_not_yet_counted() -> None:
    running = read_clock(
        Clock(
            subject_id="case-1", kind=ClockKind.FINAL_EHCP, due_on=DUE_ON, timescales_version="v"
        ),
        DUE_ON,
    )
    report = timeliness(ClockKind.FINAL_EHCP, (running,), ())
    assert report.including_exceptions == Timeliness(cases=0, on_time=0)
    assert report.including_exceptions.rate is None


def test_a_report_counts_one_kind_of_clock(readings: tuple[ClockReading, ...]) -> None:
    other = _reading("case-7", 0, ClockKind.DECIDE_TO_ASSESS)
    report = timeliness(ClockKind.DECIDE_TO_ASSESS, (*readings, other), ())
    assert report.including_exceptions == Timeliness(cases=1, on_time=1)
