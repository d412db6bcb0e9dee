"""Assigning a reviewer to a review: one on the roster, in term and trained on the day, from a
partner setting, never the reviewed setting, never with a declared interest in it, and not
reciprocally when the cycle says so."""

from __future__ import annotations

from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import REVIEWER_ASSIGNED, ReviewerAssigned
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from reviews.adapters import ReviewsStore
from reviews.domain.assignment import assign_reviewer
from reviews.domain.review import PeerReview
from reviews.domain.roster import reviewer_from_roster
from reviews.handlers.refusals import refusals_as_problems
from reviews.handlers.review_record import review_for_update, where


async def assign(
    work: UnitOfWork, review_id: str, who: Principal, reviewer_id: str, today: date
) -> PeerReview:
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "reviewer.assign")
    # The cycle is locked: no other review of it changes until this assignment commits. The
    # roster entry is held too: an interest declared meanwhile waits for the assignment.
    others = await store.reviews_of([found.cycle.cycle_id])
    enrolled = await store.enrolled(reviewer_id, lock="SHARE")
    with refusals_as_problems(found.review):
        reviewer = reviewer_from_roster(enrolled, reviewer_id, today)
        review = assign_reviewer(found.review, reviewer, cycle=found.cycle, cycle_reviews=others)
    await store.save_review(review)
    work.emit(
        REVIEWER_ASSIGNED.type,
        review.review_id,
        ReviewerAssigned(
            **where(review, found.cycle),
            reviewer_id=reviewer.reviewer_id,
            reviewer_setting_id=reviewer.setting_id,
            reviewer_role=reviewer.role.value,
            declared_interests=reviewer.declared_interests,
            roster_version=reviewer.roster_version,
        ),
    )
    return review
