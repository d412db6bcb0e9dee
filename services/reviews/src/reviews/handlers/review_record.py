"""The review a command works on, locked with its cycle until the command commits and checked
against the caller before anything is changed, and where it is as every review event says it."""

from __future__ import annotations

from typing import Any

from inclusion_shared.auth import Principal
from inclusion_shared.web.problems import NotFound
from reviews.access import check_review
from reviews.adapters import ReviewInCycle, ReviewsStore
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview


async def review_for_update(
    store: ReviewsStore, review_id: str, who: Principal, action: str
) -> ReviewInCycle:
    """The review, locked: 404 if there is none, 403 if the caller may not do the action to it."""
    found = await store.review(review_id, for_update=True)
    if found is None:
        raise NotFound(f"no review {review_id}")
    check_review(who, action, found.review, found.cycle)
    return found


def where(review: PeerReview, cycle: ReviewCycle) -> dict[str, Any]:
    """The fields every review event starts with: which review, of which setting, where."""
    return {
        "review_id": review.review_id,
        "cycle_id": cycle.cycle_id,
        "setting_id": review.setting_id,
        "district": cycle.district,
        "area": cycle.area,
    }
