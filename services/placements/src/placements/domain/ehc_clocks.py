"""The EHC needs assessment clocks, computed from the case's recorded steps.

All three start on the day the assessment was requested: 6 weeks to decide whether to assess,
16 weeks to decide not to issue a plan, 20 weeks to issue the final plan.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from placements.domain.clocks import Clock, ClockKind, ClockStop
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.timescales import Timescales
from placements.domain.values import DomainModel


class EhcStep(StrEnum):
    """A step in an EHC needs assessment that starts or stops a clock."""

    ASSESSMENT_REQUESTED = "assessment_requested"
    DECIDED_TO_ASSESS = "decided_to_assess"
    DECIDED_NOT_TO_ASSESS = "decided_not_to_assess"
    DRAFT_PLAN_ISSUED = "draft_plan_issued"
    DECIDED_NOT_TO_ISSUE = "decided_not_to_issue"
    FINAL_PLAN_ISSUED = "final_plan_issued"


class EhcEvent(DomainModel):
    """One recorded step and the day it happened."""

    step: EhcStep
    on: date


# For each clock: the steps that meet it and the steps after which it no longer applies.
# A draft plan withdraws the 16-week clock: the limit binds only a decision *not* to issue.
_STOPS: dict[ClockKind, tuple[frozenset[EhcStep], frozenset[EhcStep]]] = {
    ClockKind.DECIDE_TO_ASSESS: (
        frozenset({EhcStep.DECIDED_TO_ASSESS, EhcStep.DECIDED_NOT_TO_ASSESS}),
        frozenset(),
    ),
    ClockKind.DECIDE_NOT_TO_ISSUE: (
        frozenset({EhcStep.DECIDED_NOT_TO_ISSUE}),
        frozenset({EhcStep.DECIDED_NOT_TO_ASSESS, EhcStep.DRAFT_PLAN_ISSUED}),
    ),
    ClockKind.FINAL_EHCP: (
        frozenset({EhcStep.FINAL_PLAN_ISSUED}),
        frozenset({EhcStep.DECIDED_NOT_TO_ASSESS, EhcStep.DECIDED_NOT_TO_ISSUE}),
    ),
}


def _weeks(kind: ClockKind, timescales: Timescales) -> int:
    return {
        ClockKind.DECIDE_TO_ASSESS: timescales.decide_to_assess_weeks,
        ClockKind.DECIDE_NOT_TO_ISSUE: timescales.decide_not_to_issue_weeks,
        ClockKind.FINAL_EHCP: timescales.final_ehcp_weeks,
    }[kind]


def _clock(
    case_id: str, kind: ClockKind, requested_on: date, steps: list[EhcEvent], t: Timescales
) -> Clock:
    clock = Clock(
        subject_id=case_id,
        kind=kind,
        due_on=requested_on + timedelta(weeks=_weeks(kind, t)),
        timescales_version=t.version,
    )
    meets, withdraws = _STOPS[kind]
    for event in steps:
        if event.step in meets:
            return clock.evolve(stopped_on=event.on, stop=ClockStop.MET)
        if event.step in withdraws:
            return clock.evolve(stopped_on=event.on, stop=ClockStop.WITHDRAWN)
    return clock


def ehc_clocks(
    case_id: str, events: Iterable[EhcEvent], timescales: Timescales
) -> tuple[Clock, ...]:
    """The three assessment clocks of one case, in the order they fall due.

    Refused without exactly one assessment request, or with a step dated before it. The first
    step that meets or withdraws a clock stops it; later steps do not restart it.
    """
    recorded = sorted(events, key=lambda event: event.on)
    requests = [e for e in recorded if e.step is EhcStep.ASSESSMENT_REQUESTED]
    if len(requests) != 1:
        raise DecisionRefused(RefusalCode.NOT_ONE_ASSESSMENT_REQUEST, (f"{len(requests)}",))
    requested_on = requests[0].on
    if recorded[0].on < requested_on:
        raise DecisionRefused(RefusalCode.STEP_BEFORE_REQUEST, (recorded[0].step.value,))
    steps = [e for e in recorded if e.step is not EhcStep.ASSESSMENT_REQUESTED]
    return tuple(_clock(case_id, kind, requested_on, steps, timescales) for kind in _STOPS)
