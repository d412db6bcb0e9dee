"""The EHC needs assessment clocks: 6 weeks to decide to assess, 16 to decide not to issue, 20
to the final plan, all from the request, computed from recorded steps and a "now" passed in."""

from datetime import date, timedelta

import pytest

from placements.domain.clocks import Clock, ClockKind, ClockStatus, read_clock
from placements.domain.ehc_clocks import EhcEvent, EhcStep, ehc_clocks
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timescales import Timescales

REQUESTED_ON = date(2026, 9, 7)
REQUESTED = EhcEvent(step=EhcStep.ASSESSMENT_REQUESTED, on=REQUESTED_ON)


def _clocks(timescales: Timescales, *steps: tuple[EhcStep, date]) -> dict[ClockKind, Clock]:
    events = (REQUESTED, *(EhcEvent(step=step, on=on) for step, on in steps))
    return {clock.kind: clock for clock in ehc_clocks("case-1", events, timescales)}


def test_each_clock_is_due_its_weeks_after_the_request(timescales: Timescales) -> None:
    clocks = _clocks(timescales)
    assert [(kind, clock.due_on) for kind, clock in clocks.items()] == [
        (ClockKind.DECIDE_TO_ASSESS, date(2026, 10, 19)),
        (ClockKind.DECIDE_NOT_TO_ISSUE, date(2026, 12, 28)),
        (ClockKind.FINAL_EHCP, date(2027, 1, 25)),
    ]
    assert all(clock.timescales_version == "send-regulations-2014" for clock in clocks.values())


def test_the_final_plan_is_due_140_calendar_days_on_over_christmas(timescales: Timescales) -> None:
    assert _clocks(timescales)[ClockKind.FINAL_EHCP].due_on - REQUESTED_ON == timedelta(days=140)


@pytest.mark.parametrize(
    ("issued_on", "status"),
    [(date(2027, 1, 25), ClockStatus.MET), (date(2027, 1, 26), ClockStatus.MET_LATE)],
    ids=["week_20", "a_day_over"],
)
def test_a_final_plan_issued_by_week_20_is_on_time(
    timescales: Timescales, issued_on: date, status: ClockStatus
) -> None:
    clocks = _clocks(
        timescales,
        (EhcStep.DECIDED_TO_ASSESS, date(2026, 10, 12)),
        (EhcStep.DRAFT_PLAN_ISSUED, date(2026, 12, 14)),
        (EhcStep.FINAL_PLAN_ISSUED, issued_on),
    )
    assert read_clock(clocks[ClockKind.FINAL_EHCP], date(2027, 3, 1)).status is status
    assert (
        read_clock(clocks[ClockKind.DECIDE_TO_ASSESS], date(2027, 3, 1)).status is ClockStatus.MET
    )
    assert (
        read_clock(clocks[ClockKind.DECIDE_NOT_TO_ISSUE], date(2027, 3, 1)).status
        is ClockStatus.WITHDRAWN
    )


@pytest.mark.parametrize(
    ("decided_on", "status"),
    [(date(2026, 10, 19), ClockStatus.MET), (date(2026, 10, 20), ClockStatus.MET_LATE)],
    ids=["week_6", "a_day_over"],
)
def test_deciding_not_to_assess_meets_the_6_week_clock_and_withdraws_the_others(
    timescales: Timescales, decided_on: date, status: ClockStatus
) -> None:
    clocks = _clocks(timescales, (EhcStep.DECIDED_NOT_TO_ASSESS, decided_on))
    readings = {kind: read_clock(clock, date(2027, 6, 1)) for kind, clock in clocks.items()}
    assert readings[ClockKind.DECIDE_TO_ASSESS].status is status
    assert readings[ClockKind.DECIDE_NOT_TO_ISSUE].status is ClockStatus.WITHDRAWN
    assert readings[ClockKind.FINAL_EHCP].status is ClockStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("decided_on", "status"),
    [(date(2026, 12, 28), ClockStatus.MET), (date(2026, 12, 29), ClockStatus.MET_LATE)],
    ids=["week_16", "a_day_over"],
)
def test_deciding_not_to_issue_is_due_by_week_16_and_withdraws_the_final_plan_clock(
    timescales: Timescales, decided_on: date, status: ClockStatus
) -> None:
    clocks = _clocks(
        timescales,
        (EhcStep.DECIDED_TO_ASSESS, date(2026, 10, 12)),
        (EhcStep.DECIDED_NOT_TO_ISSUE, decided_on),
    )
    assert read_clock(clocks[ClockKind.DECIDE_NOT_TO_ISSUE], date(2027, 6, 1)).status is status
    final = read_clock(clocks[ClockKind.FINAL_EHCP], date(2027, 6, 1))
    assert final.status is ClockStatus.WITHDRAWN


def test_a_clock_read_before_its_stop_was_recorded_is_still_running(
    timescales: Timescales,
) -> None:
    clocks = _clocks(timescales, (EhcStep.DECIDED_TO_ASSESS, date(2026, 10, 12)))
    clock = clocks[ClockKind.DECIDE_TO_ASSESS]
    assert read_clock(clock, date(2026, 10, 11)).status is ClockStatus.RUNNING
    assert read_clock(clock, date(2026, 10, 12)).status is ClockStatus.MET


def test_a_case_with_no_decision_breaches_each_clock_in_turn(timescales: Timescales) -> None:
    clocks = _clocks(timescales)

    def breached(now: date) -> list[ClockKind]:
        return [k for k, c in clocks.items() if read_clock(c, now).status is ClockStatus.BREACHED]

    assert breached(date(2026, 10, 19)) == []
    assert breached(date(2026, 10, 20)) == [ClockKind.DECIDE_TO_ASSESS]
    assert breached(date(2026, 12, 29)) == [
        ClockKind.DECIDE_TO_ASSESS,
        ClockKind.DECIDE_NOT_TO_ISSUE,
    ]
    assert breached(date(2027, 1, 26)) == list(clocks)


def test_the_first_decision_stops_a_clock_and_later_steps_do_not_restart_it(
    timescales: Timescales,
) -> None:
    clocks = _clocks(
        timescales,
        (EhcStep.FINAL_PLAN_ISSUED, date(2027, 3, 1)),
        (EhcStep.FINAL_PLAN_ISSUED, date(2027, 1, 20)),
    )
    assert clocks[ClockKind.FINAL_EHCP].stopped_on == date(2027, 1, 20)


def test_the_weeks_are_data_in_the_timescales(timescales: Timescales) -> None:
    shorter = timescales.evolve(version="test-18-weeks", final_ehcp_weeks=18)
    assert _clocks(shorter)[ClockKind.FINAL_EHCP].due_on == date(2027, 1, 11)


@pytest.mark.parametrize(
    "events",
    [(), (REQUESTED, REQUESTED.evolve(on=date(2026, 9, 8)))],
    ids=["no_request", "two_requests"],
)
def test_the_clocks_need_exactly_one_assessment_request(
    timescales: Timescales, events: tuple[EhcEvent, ...]
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        ehc_clocks("case-1", events, timescales)
    assert refused.value.code is RefusalCode.NOT_ONE_ASSESSMENT_REQUEST


def test_a_step_before_the_request_is_refused(timescales: Timescales) -> None:
    early = EhcEvent(step=EhcStep.DECIDED_TO_ASSESS, on=date(2026, 9, 6))
    with pytest.raises(DecisionRefused) as refused:
        ehc_clocks("case-1", (REQUESTED, early), timescales)
    assert refused.value.code is RefusalCode.STEP_BEFORE_REQUEST
