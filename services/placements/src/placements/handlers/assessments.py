"""EHC needs assessments: the steps that start and stop the 6-, 16- and 20-week clocks, and the
allowed exceptions recorded against those clocks."""

from __future__ import annotations

from uuid import uuid4

from inclusion_shared.access import Record
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    ASSESSMENT_STEP_RECORDED,
    CLOCK_EXCEPTION_RECORDED,
    AssessmentStepRecorded,
    ClockExceptionRecorded,
)
from inclusion_shared.kent import AREA_OF, District
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound
from placements.access import POLICY, of_assessment
from placements.adapters import PlacementsStore, StoredAssessment
from placements.domain.clock_exceptions import ClockException, record_exception
from placements.domain.ehc_clocks import EhcEvent, ehc_clocks
from placements.handlers.case_clocks import keep_assessment_clocks, timescales_in_force
from placements.handlers.refusals import the_rules


async def open_assessment(
    work: UnitOfWork,
    who: Principal,
    assessment_id: str,
    child_id: str,
    district: District,
    requested: EhcEvent,
) -> StoredAssessment:
    """An EHC needs assessment requested for a child in one of the caller's districts: its
    clocks start that day."""
    POLICY.check(who, "assessment.request", Record(district=district, child=child_id))
    store = PlacementsStore(work.connection)
    if await store.assessment(assessment_id) is not None:
        raise Conflict(f"assessment {assessment_id} already exists")
    assessment = StoredAssessment(assessment_id, child_id, district.value, (requested,))
    with the_rules():
        ehc_clocks(assessment_id, assessment.steps, timescales_in_force())
    await store.add_assessment(assessment)
    await keep_assessment_clocks(store, assessment)
    _emit_step(work, assessment, requested)
    return assessment


async def record_step(
    work: UnitOfWork, who: Principal, assessment_id: str, step: EhcEvent
) -> StoredAssessment:
    """A later step of the assessment; refused when the clocks could not be computed from it."""
    store = PlacementsStore(work.connection)
    stored = await _assessment(store, who, "assessment.step", assessment_id)
    if step in stored.steps:
        raise Conflict(f"{step.step.value} on {step.on} is already recorded")
    assessment = StoredAssessment(
        stored.assessment_id, stored.child_id, stored.district, (*stored.steps, step)
    )
    with the_rules():
        ehc_clocks(assessment_id, assessment.steps, timescales_in_force())
    await store.save_steps(assessment)
    await keep_assessment_clocks(store, assessment)
    _emit_step(work, assessment, step)
    return assessment


async def except_from_clock(work: UnitOfWork, who: Principal, exception: ClockException) -> str:
    """Record an allowed exception against one of the assessment's clocks, with its reason."""
    store = PlacementsStore(work.connection)
    stored = await _assessment(store, who, "clock-exception.record", exception.subject_id)
    with the_rules():
        record_exception(exception, timescales_in_force())
    exception_id = f"exc-{uuid4().hex[:20]}"
    await store.add_exception(exception_id, exception)
    work.emit(
        CLOCK_EXCEPTION_RECORDED.type,
        stored.child_id,
        ClockExceptionRecorded(
            exception_id=exception_id,
            subject_id=exception.subject_id,
            child_id=stored.child_id,
            clock=exception.clock.value,
            kind=exception.kind.value,
            reason=exception.reason,
            from_on=exception.from_on,
            until=exception.until,
        ),
    )
    return exception_id


async def _assessment(
    store: PlacementsStore, who: Principal, action: str, assessment_id: str
) -> StoredAssessment:
    stored = await store.assessment(assessment_id, for_update=True)
    if stored is None:
        raise NotFound(f"no assessment {assessment_id}")
    POLICY.check(who, action, of_assessment(stored))
    return stored


def _emit_step(work: UnitOfWork, assessment: StoredAssessment, step: EhcEvent) -> None:
    district = District(assessment.district)
    work.emit(
        ASSESSMENT_STEP_RECORDED.type,
        assessment.child_id,
        AssessmentStepRecorded(
            assessment_id=assessment.assessment_id,
            child_id=assessment.child_id,
            district=district,
            area=AREA_OF[district],
            step=step.step.value,
            on=step.on,
        ),
    )
