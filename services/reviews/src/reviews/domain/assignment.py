"""Who may review a setting: trained SENCOs and leaders from its partner settings; never from the
setting itself or with a declared interest in it, and never reciprocally when the cycle says so."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from inclusion_shared.identifiers import PersonId
from reviews.domain.cycle import ReviewCycle, partners_of
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.stages import Stage, require_stage
from reviews.domain.values import DomainModel, PseudonymousId

if TYPE_CHECKING:
    from reviews.domain.review import PeerReview


MOST_DECLARED_INTERESTS = 50
"""Settings one reviewer declares an interest in: where they work, govern or have a child."""


class ReviewerRole(StrEnum):
    """What a reviewer is in their own setting."""

    SENCO = "senco"
    SENIOR_LEADER = "senior-leader"


class Reviewer(DomainModel):
    """A reviewer, pseudonymous, with the setting they work in and the settings they have declared
    an interest in (the Communities of Schools' declaration-of-interest form). Kept on the review
    as the roster had them when assigned (`roster_version`; none for reviewers assigned before
    the roster was kept), so the assignment can be checked later."""

    reviewer_id: PersonId
    setting_id: PseudonymousId
    role: ReviewerRole
    trained: bool
    declared_interests: Annotated[
        tuple[PseudonymousId, ...], Field(max_length=MOST_DECLARED_INTERESTS)
    ] = ()
    roster_version: Annotated[int, Field(ge=1)] | None = None


def assign_reviewer(
    review: PeerReview,
    reviewer: Reviewer,
    *,
    cycle: ReviewCycle,
    cycle_reviews: Iterable[PeerReview],
) -> PeerReview:
    """Add a reviewer to a review before the visit, or refuse, saying why.

    `cycle_reviews` are the cycle's other reviews, which the reciprocity rule needs.
    """
    require_stage(review.stage, Stage.SELF_EVALUATION, Stage.PREPARATION)
    if review.cycle_id != cycle.cycle_id:
        raise ReviewRefused(RefusalCode.REVIEW_NOT_IN_CYCLE, (review.review_id,))
    who = (reviewer.reviewer_id,)
    if reviewer.setting_id == review.setting_id:
        raise ReviewRefused(RefusalCode.REVIEWER_FROM_REVIEWED_SETTING, who)
    if review.setting_id in reviewer.declared_interests:
        raise ReviewRefused(RefusalCode.REVIEWER_DECLARED_CONFLICT, who)
    if not reviewer.trained:
        raise ReviewRefused(RefusalCode.REVIEWER_NOT_TRAINED, who)
    if reviewer.setting_id not in partners_of(cycle, review.setting_id):
        raise ReviewRefused(RefusalCode.REVIEWER_NOT_A_PARTNER, who)
    if any(assigned.reviewer_id == reviewer.reviewer_id for assigned in review.reviewers):
        raise ReviewRefused(RefusalCode.REVIEWER_ALREADY_ASSIGNED, who)
    if cycle.avoid_reciprocal_reviews:
        reverse = sorted(
            other.review_id
            for other in cycle_reviews
            if other.cycle_id == cycle.cycle_id
            and other.review_id != review.review_id
            and other.setting_id == reviewer.setting_id
            and any(r.setting_id == review.setting_id for r in other.reviewers)
        )
        if reverse:
            raise ReviewRefused(RefusalCode.RECIPROCAL_REVIEW, tuple(reverse))
    return review.evolve(reviewers=(*review.reviewers, reviewer))
