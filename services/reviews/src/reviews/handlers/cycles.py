"""Opening a review cycle: its pairs and triads, and a review scheduled for each setting to be
reviewed in it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import (
    CYCLE_OPENED,
    REVIEW_SCHEDULED,
    CycleOpened,
    ReviewScheduled,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict
from reviews.access import POLICY, opening
from reviews.adapters import ReviewsStore
from reviews.domain.cycle import ReviewCycle, partners_of
from reviews.domain.review import PeerReview, open_review
from reviews.handlers.refusals import refusals_as_problems
from reviews.handlers.review_record import where


async def open_cycle(
    work: UnitOfWork,
    cycle: ReviewCycle,
    reviewed: Sequence[tuple[str, str]],
    today: date,
    who: Principal,
) -> list[PeerReview]:
    """Record the cycle and schedule the reviews given as `(review_id, setting_id)`, if the
    cycle's district is one the caller works in."""
    POLICY.check(who, "cycle.open", opening(cycle.district))
    store = ReviewsStore(work.connection)
    with refusals_as_problems():
        reviews = [open_review(cycle, review_id, setting_id) for review_id, setting_id in reviewed]
    if not await store.add_cycle(cycle, today, who.subject):
        raise Conflict(f"cycle {cycle.cycle_id} already exists")
    work.emit(
        CYCLE_OPENED.type,
        cycle.cycle_id,
        CycleOpened(
            cycle_id=cycle.cycle_id,
            community_of_schools=cycle.community_id,
            district=cycle.district,
            area=cycle.area,
            partnerships=cycle.partnerships,
            avoid_reciprocal_reviews=cycle.avoid_reciprocal_reviews,
            estimates_turned_on=cycle.estimates_turned_on,
            opened_on=today,
        ),
    )
    for review in reviews:
        await store.add_review(review)
        work.emit(
            REVIEW_SCHEDULED.type,
            review.review_id,
            ReviewScheduled(
                **where(review, cycle),
                community_of_schools=cycle.community_id,
                partner_settings=partners_of(cycle, review.setting_id),
                scheduled_on=today,
            ),
        )
    return reviews
