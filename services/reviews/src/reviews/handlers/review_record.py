"""The review a command works on, locked with its cycle until the command commits, and where it
is as every review event says it."""

from __future__ import annotations

from typing import Any

from inclusion_shared.web.problems import NotFound
from reviews.adapters import ReviewInCycle, ReviewsStore
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview


async def review_for_update(store: ReviewsStore, review_id: str) -> ReviewInCycle:
    found = await store.review(review_id, for_update=True)
    if found is None:
        raise NotFound(f"no review {review_id} that you may see")
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
