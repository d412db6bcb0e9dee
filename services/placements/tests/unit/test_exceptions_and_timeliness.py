"""Allowed exceptions are recorded with a reason; timeliness is reported with and without them."""

from collections import Counter
from datetime import date
from fractions import Fraction

import pytest
from pydantic import ValidationError

from inclusion_shared.identifiers import person_id_for
from placements.domain.clock_exceptions import ClockException, ExceptionKind, record_exception
from placements.domain.clocks import ClockKind, ClockStatus
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timeliness import Tallies, Timeliness, timeliness
from placements.domain.timescales import Timescales


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
        recorded_by=person_id_for("officer-1"),
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


FINAL = ClockKind.FINAL_EHCP
S = ClockStatus


@pytest.fixture
def tallies() -> Tallies:
    """Six final-plan cases: two on time, one a day late with an exception, one late without,
    one still unissued (breached) with an exception, one withdrawn."""
    return Counter(
        {
            (FINAL, S.MET, False): 2,
            (FINAL, S.MET_LATE, True): 1,
            (FINAL, S.MET_LATE, False): 1,
            (FINAL, S.BREACHED, True): 1,
            (FINAL, S.WITHDRAWN, False): 1,
        }
    )


def test_timeliness_is_reported_both_including_and_excluding_exceptions(tallies: Tallies) -> None:
    report = timeliness(FINAL, tallies)
    assert report.including_exceptions == Timeliness(cases=5, on_time=2)
    assert report.excluding_exceptions == Timeliness(cases=3, on_time=2)
    assert report.cases_with_exceptions == 2
    assert report.including_exceptions.rate == Fraction(2, 5)
    assert report.excluding_exceptions.rate == Fraction(2, 3)


def test_an_exception_does_not_make_a_late_case_on_time(tallies: Tallies) -> None:
    report = timeliness(FINAL, tallies + Counter({(FINAL, S.MET_LATE, True): 1}))
    assert report.including_exceptions.on_time == 2
    assert report.excluding_exceptions == Timeliness(cases=3, on_time=2)


@pytest.mark.parametrize("status", [S.RUNNING, S.DUE_SOON, S.WITHDRAWN])
def test_clocks_still_running_or_withdrawn_are_not_counted(status: ClockStatus) -> None:
    report = timeliness(FINAL, Counter({(FINAL, status, False): 3}))
    assert report.including_exceptions == Timeliness(cases=0, on_time=0)
    assert report.including_exceptions.rate is None


def test_a_report_counts_one_kind_of_clock(tallies: Tallies) -> None:
    other = Counter({(ClockKind.DECIDE_TO_ASSESS, S.MET, False): 1})
    report = timeliness(ClockKind.DECIDE_TO_ASSESS, tallies + other)
    assert report.including_exceptions == Timeliness(cases=1, on_time=1)
