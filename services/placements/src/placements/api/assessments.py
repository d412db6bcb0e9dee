"""EHC needs assessments: their steps, from which the statutory clocks are computed, and the
allowed exceptions to those clocks."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import NEW_CHILD, ChildId, mint_child_id
from inclusion_shared.kent import District
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_assessment
from placements.adapters import PlacementsStore
from placements.api.deps import not_after_today, today, validated
from placements.domain.clock_exceptions import ClockException, ExceptionKind
from placements.domain.clocks import ClockKind
from placements.domain.ehc_clocks import EhcEvent, EhcStep
from placements.domain.values import PseudonymousId, ReasonCode
from placements.handlers.assessments import except_from_clock, open_assessment, record_step

router = APIRouter(prefix="/assessments", tags=["EHC needs assessments"])
ASSESSMENT_REQUEST = permit(POLICY, "assessment.request")
ASSESSMENT_READ = permit(POLICY, "assessment.read")
ASSESSMENT_STEP = permit(POLICY, "assessment.step")
CLOCK_EXCEPTION_RECORD = permit(POLICY, "clock-exception.record")


class AssessmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assessment_id: PseudonymousId = Field(default_factory=lambda: f"ehc-{uuid4().hex[:20]}")
    child_id: ChildId = Field(default_factory=mint_child_id, description=NEW_CHILD)
    district: District
    requested_on: date


class StepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: EhcStep
    on: date


class ExceptionRequest(BaseModel):
    """An allowed exception: the clock, its kind, a reason code and the days it covers."""

    model_config = ConfigDict(extra="forbid")

    clock: ClockKind
    kind: ExceptionKind
    reason: ReasonCode
    from_on: date
    until: date | None = None


@router.post("", status_code=201)
async def request_assessment(
    request: Request,
    body: AssessmentRequest,
    who: Principal = Depends(ASSESSMENT_REQUEST),
) -> JSONResponse:
    """An EHC needs assessment was requested for a child: the 6-, 16- and 20-week clocks start."""
    requested_on = not_after_today(body.requested_on, today(request), "requested_on")
    requested = EhcEvent(step=EhcStep.ASSESSMENT_REQUESTED, on=requested_on)

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        opened = await open_assessment(
            work, who, body.assessment_id, body.child_id, body.district, requested
        )
        return 201, opened.view()

    return await run_command(request, who, handle)


@router.get("/{assessment_id}")
async def read_assessment(
    request: Request,
    assessment_id: PseudonymousId,
    who: Principal = Depends(ASSESSMENT_READ),
) -> dict[str, Any]:
    async with request.app.state.service.pool.acquire() as connection:
        stored = await PlacementsStore(connection).assessment(assessment_id)
    if stored is None:
        raise NotFound(f"no assessment {assessment_id}")
    POLICY.check(who, "assessment.read", of_assessment(stored))
    return stored.view()


@router.post("/{assessment_id}/steps", status_code=201)
async def record_assessment_step(
    request: Request,
    assessment_id: PseudonymousId,
    body: StepRequest,
    who: Principal = Depends(ASSESSMENT_STEP),
) -> JSONResponse:
    """A step of the assessment (decided to assess, draft or final plan issued, ...)."""
    step = EhcEvent(step=body.step, on=not_after_today(body.on, today(request), "on"))

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, (await record_step(work, who, assessment_id, step)).view()

    return await run_command(request, who, handle)


@router.post("/{assessment_id}/exceptions", status_code=201)
async def record_clock_exception(
    request: Request,
    assessment_id: PseudonymousId,
    body: ExceptionRequest,
    who: Principal = Depends(CLOCK_EXCEPTION_RECORD),
) -> JSONResponse:
    """Record an allowed exception (child away 4+ weeks, exceptional personal circumstances,
    setting closed 4+ weeks) with a reason code. The due date does not move; timeliness is
    reported with and without exceptions."""
    exception = validated(
        ClockException, subject_id=assessment_id, recorded_by=who.subject, **body.model_dump()
    )

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        exception_id = await except_from_clock(work, who, exception)
        return 201, {"exception_id": exception_id, **exception.model_dump(mode="json")}

    return await run_command(request, who, handle)
