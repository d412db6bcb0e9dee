"""The follow-up closes the loop: for every action, what changed; then the school is asked for
its views (the feedback service reacts to FollowUpCompleted)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import FOLLOW_UP_COMPLETED, FollowUpCompleted
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from reviews.adapters import ReviewsStore
from reviews.domain.action_plan import ActionStatus
from reviews.domain.follow_up import ActionChange, record_follow_up
from reviews.domain.review import PeerReview
from reviews.handlers.refusals import refusals_as_problems
from reviews.handlers.review_record import review_for_update, where


async def follow_up(
    work: UnitOfWork,
    review_id: str,
    who: Principal,
    changes: Sequence[ActionChange],
    today: date,
) -> PeerReview:
    """The coordinator or a reviewer records the follow-up of every action in the plan."""
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "follow-up.record")
    with refusals_as_problems(found.review):
        review = record_follow_up(found.review, changes, today)
    await store.save_review(review)
    recorded = review.follow_up
    assert recorded is not None
    done = sum(1 for action in recorded.actions if action.status is ActionStatus.DONE)
    work.emit(
        FOLLOW_UP_COMPLETED.type,
        review.review_id,
        FollowUpCompleted(
            **where(review, found.cycle),
            community_of_schools=found.cycle.community_id,
            completed_on=recorded.followed_up_on,
            actions_completed=done,
            actions_open=len(recorded.actions) - done,
        ),
    )
    return review
