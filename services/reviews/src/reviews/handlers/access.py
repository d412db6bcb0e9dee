"""Who takes which part in a review. The local authority coordinates (and sees a review's
progress, never its report); the reviewed setting owns the report and the action plan; the
reviewers write the report and follow it up. Everyone else finds no such review."""

from __future__ import annotations

from enum import StrEnum

from inclusion_shared.web.problems import Forbidden, NotFound
from reviews.domain.review import PeerReview
from reviews.domain.sharing import Principal, Role, is_reviewer, may_read_report, owns_report

# Roles that follow every review's progress: the coordinator and the auditor.
PROGRESS_READERS = frozenset({Role.KCC_OFFICER, Role.AUDITOR})


class Part(StrEnum):
    COORDINATOR = "the local authority's coordinator"
    OWNER = "the reviewed setting's SENCO"
    REVIEWER = "a reviewer of this review"


def sees_progress(review: PeerReview, who: Principal) -> bool:
    """Whether the review's stage and plan (without its wording) are visible to the caller."""
    return who.role in PROGRESS_READERS or may_read_report(review, who)


def takes_part(review: PeerReview, who: Principal, part: Part) -> bool:
    if part is Part.COORDINATOR:
        return who.role is Role.KCC_OFFICER
    if part is Part.OWNER:
        return owns_report(review, who)
    return is_reviewer(review, who)


def require_part(review: PeerReview, who: Principal, *parts: Part) -> None:
    """Refuse a caller who takes none of the parts: 404 if the review is hidden from them."""
    if any(takes_part(review, who, part) for part in parts):
        return
    if not sees_progress(review, who):
        raise NotFound(f"no review {review.review_id} that you may see")
    raise Forbidden(f"only {' or '.join(parts)} may do this", code="not_your_part")
