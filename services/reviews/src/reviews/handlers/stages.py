"""The reviewed setting's self-evaluation, and moving a review from stage to stage. The move out
of the visit completes the visit; the move on to the action plan issues the report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import (
    REPORT_ISSUED,
    SELF_EVALUATION_SUBMITTED,
    STAGE_ADVANCED,
    VISIT_COMPLETED,
    ReportIssued,
    SelfEvaluationSubmitted,
    StageAdvanced,
    VisitCompleted,
)
from inclusion_shared.events.registry import EventData
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from reviews.adapters import ReviewsStore
from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.findings import FindingKind
from reviews.domain.review import PeerReview, advance, record_self_evaluation
from reviews.domain.stages import Stage
from reviews.handlers.refusals import refusals_as_problems
from reviews.handlers.review_record import review_for_update, where


async def submit_self_evaluation(
    work: UnitOfWork, review_id: str, who: Principal, documents: Sequence[str], today: date
) -> PeerReview:
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "self-evaluation.submit")
    with refusals_as_problems(found.review):
        review = record_self_evaluation(found.review, documents)
    await store.save_review(review)
    work.emit(
        SELF_EVALUATION_SUBMITTED.type,
        review.review_id,
        SelfEvaluationSubmitted(
            **where(review, found.cycle), documents=len(review.self_evaluation), submitted_on=today
        ),
    )
    return review


async def move_on(
    work: UnitOfWork, review_id: str, who: Principal, to: Stage, today: date
) -> PeerReview:
    """The coordinator, the reviewed setting or a reviewer moves the review to its next stage."""
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "review.move")
    with refusals_as_problems(found.review):
        review = advance(found.review, to)
    await store.save_review(review)
    event_type, data = _moved(found.review, review, found.cycle, today)
    work.emit(event_type, review.review_id, data)
    return review


def _moved(
    before: PeerReview, after: PeerReview, cycle: ReviewCycle, today: date
) -> tuple[str, EventData]:
    """The event a move causes: its type and data."""
    if after.stage is Stage.WRITTEN_REPORT:
        return VISIT_COMPLETED.type, VisitCompleted(
            **where(after, cycle),
            reviewer_settings=tuple(sorted({r.setting_id for r in after.reviewers})),
            completed_on=today,
        )
    if after.stage is Stage.ACTION_PLAN:
        report = after.report
        assert report is not None, "the domain issues no report that was not written"
        strengths = {f.area for f in report.findings if f.kind is FindingKind.STRENGTH}
        development = report.areas_for_development()
        return REPORT_ISSUED.type, ReportIssued(
            **where(after, cycle),
            issued_on=today,
            findings=len(report.findings),
            strength_areas=tuple(area.value for area in ReviewArea if area in strengths),
            development_areas=tuple(area.value for area in ReviewArea if area in development),
            estimates_given=bool(report.estimates),
        )
    return STAGE_ADVANCED.type, StageAdvanced(
        **where(after, cycle),
        from_stage=before.stage.value,
        to_stage=after.stage.value,
        advanced_on=today,
    )
