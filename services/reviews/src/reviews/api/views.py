"""What the API shows of a cycle and a review. Progress carries codes, ids and dates only; the
report's wording is shown only to those who may read the report."""

from __future__ import annotations

from typing import Any

from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview
from reviews.domain.stages import NEXT_STAGES, REPORT_ISSUED


def cycle_view(cycle: ReviewCycle, reviews: list[PeerReview]) -> dict[str, Any]:
    return {
        **cycle.model_dump(mode="json"),
        "area": cycle.area.value,
        "reviews": [
            {"review_id": r.review_id, "setting_id": r.setting_id, "stage": r.stage.value}
            for r in reviews
        ],
    }


def report_status(review: PeerReview) -> str:
    if review.report is None:
        return "not-written"
    return "issued" if review.stage in REPORT_ISSUED else "draft"


def progress_view(review: PeerReview) -> dict[str, Any]:
    """Where the review is and what is next, without anything the report or plan says."""
    plan = review.plan
    return {
        "review_id": review.review_id,
        "cycle_id": review.cycle_id,
        "setting_id": review.setting_id,
        "stage": review.stage.value,
        "next_stages": [stage.value for stage in NEXT_STAGES[review.stage]],
        "self_evaluation_documents": len(review.self_evaluation),
        "reviewers": [
            {"reviewer_id": r.reviewer_id, "setting_id": r.setting_id, "role": r.role.value}
            for r in review.reviewers
        ],
        "report": report_status(review),
        "actions": [
            item.model_dump(mode="json", exclude={"action"})
            for item in (plan.items if plan else ())
        ],
        "followed_up_on": review.follow_up.followed_up_on.isoformat() if review.follow_up else None,
    }


def report_view(review: PeerReview) -> dict[str, Any]:
    """The report as the reviewed setting owns it: findings, estimates, plan and follow-up."""
    assert review.report is not None
    return {
        "review_id": review.review_id,
        "setting_id": review.setting_id,
        "status": report_status(review),
        **review.report.model_dump(mode="json"),
        "action_plan": review.plan.model_dump(mode="json") if review.plan else None,
        "follow_up": review.follow_up.model_dump(mode="json") if review.follow_up else None,
    }
