"""A review's progress: reviewers assigned by the coordinator from the roster, the reviewed
setting's self-evaluation, and the moves from stage to stage."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from inclusion_shared.access import permit
from inclusion_shared.auth import Principal
from inclusion_shared.identifiers import PersonId
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.commands import run_command
from inclusion_shared.web.problems import NotFound
from reviews.access import POLICY, check_review
from reviews.adapters import ReviewsStore
from reviews.api.deps import today
from reviews.api.views import progress_view
from reviews.domain.review import MOST_SELF_EVALUATION_DOCUMENTS
from reviews.domain.stages import Stage
from reviews.domain.values import PseudonymousId
from reviews.handlers.assignment import assign
from reviews.handlers.stages import move_on, submit_self_evaluation

router = APIRouter(prefix="/reviews", tags=["reviews"])


class AssignmentRequest(BaseModel):
    """The reviewer, by id: their setting, role, training and interests come from the roster."""

    model_config = ConfigDict(extra="forbid")

    reviewer_id: PersonId


class SelfEvaluationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: Annotated[
        tuple[PseudonymousId, ...], Field(min_length=1, max_length=MOST_SELF_EVALUATION_DOCUMENTS)
    ]


class MoveRequest(BaseModel):
    """The stage to move on to; only the next one is allowed."""

    model_config = ConfigDict(extra="forbid")

    to: Stage


@router.get("/{review_id}")
async def read(
    request: Request,
    review_id: PseudonymousId,
    who: Principal = Depends(permit(POLICY, "review.read")),
) -> dict[str, Any]:
    """Where a review is and what comes next: for the coordinator, the auditor, the reviewed
    setting and its reviewers."""
    async with request.app.state.service.pool.acquire() as connection:
        found = await ReviewsStore(connection).review(review_id)
    if found is None:
        raise NotFound(f"no review {review_id}")
    check_review(who, "review.read", found.review, found.cycle)
    return progress_view(found.review)


@router.post("/{review_id}/reviewers", status_code=201)
async def assign_a_reviewer(
    request: Request,
    review_id: PseudonymousId,
    body: AssignmentRequest,
    who: Principal = Depends(permit(POLICY, "reviewer.assign")),
) -> JSONResponse:
    """Assign a reviewer from the roster, as the roster has them today. Refused (422) when they
    are not on the roster (`reviewer_not_enrolled`), out of term or untrained today
    (`reviewer_not_eligible`), from outside the partnership, or reciprocal where the cycle
    avoids that; (409) when they work at the reviewed setting or declared an interest in it."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 201, progress_view(await assign(work, review_id, who, body.reviewer_id, today()))

    return await run_command(request, who, handle)


@router.post("/{review_id}/self-evaluation")
async def self_evaluation(
    request: Request,
    review_id: PseudonymousId,
    body: SelfEvaluationRequest,
    who: Principal = Depends(permit(POLICY, "self-evaluation.submit")),
) -> JSONResponse:
    """The reviewed setting's SENCO submits its self-evaluation, by document ids."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        review = await submit_self_evaluation(work, review_id, who, body.documents, today())
        return 200, progress_view(review)

    return await run_command(request, who, handle)


@router.post("/{review_id}/stage")
async def move(
    request: Request,
    review_id: PseudonymousId,
    body: MoveRequest,
    who: Principal = Depends(permit(POLICY, "review.move")),
) -> JSONResponse:
    """The coordinator, the reviewed setting or a reviewer moves the review on to its next
    stage. Any other move answers 409 naming the stage the review is at and the allowed next
    stages; so does a move before the stage's work is done."""

    async def handle(work: UnitOfWork) -> tuple[int, dict[str, Any]]:
        return 200, progress_view(await move_on(work, review_id, who, body.to, today()))

    return await run_command(request, who, handle)
