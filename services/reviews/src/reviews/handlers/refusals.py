"""How the domain's refusals reach an HTTP client: 409 when the review's state does not allow
the step (naming the stage it is at and the allowed next steps) or the reviewer has a conflict
of interest with the reviewed setting, 422 for a rule the request breaks. All carry the
refusal's code and details."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from inclusion_shared.web.problems import Conflict, Problem, Unprocessable
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import PeerReview
from reviews.domain.stages import NEXT_STAGES

# The review is at the wrong point for the step, or the step was already taken.
STATE_CONFLICTS = frozenset(
    {
        RefusalCode.INVALID_TRANSITION,
        RefusalCode.WRONG_STAGE,
        RefusalCode.SELF_EVALUATION_MISSING,
        RefusalCode.NO_REVIEWER,
        RefusalCode.REPORT_MISSING,
        RefusalCode.ACTION_PLAN_MISSING,
        RefusalCode.FOLLOW_UP_MISSING,
        RefusalCode.REVIEWER_ALREADY_ASSIGNED,
        RefusalCode.ACTION_ALREADY_DONE,
        RefusalCode.DUPLICATE_GRANT,
        RefusalCode.GRANT_ALREADY_REVOKED,
    }
)

# The reviewer works at the reviewed setting or declared an interest in it: the roster says so,
# whatever the request.
CONFLICTS_OF_INTEREST = frozenset(
    {RefusalCode.REVIEWER_FROM_REVIEWED_SETTING, RefusalCode.REVIEWER_DECLARED_CONFLICT}
)


def as_problem(refusal: ReviewRefused, review: PeerReview | None = None) -> Problem:
    details = list(refusal.details)
    if refusal.code in CONFLICTS_OF_INTEREST:
        return Conflict(str(refusal), code=refusal.code.value, details=details)
    if refusal.code not in STATE_CONFLICTS:
        return Unprocessable(str(refusal), code=refusal.code.value, details=details)
    if review is None:
        return Conflict(str(refusal), code=refusal.code.value, details=details)
    return Conflict(
        str(refusal),
        code=refusal.code.value,
        details=details,
        stage=review.stage.value,
        allowed_next_stages=[stage.value for stage in NEXT_STAGES[review.stage]],
    )


@contextmanager
def refusals_as_problems(review: PeerReview | None = None) -> Iterator[None]:
    """Turn a refusal by the domain, or a record it cannot validate (two findings with one id,
    a grant naming no one), into a problem that rolls the command back."""
    try:
        yield
    except ReviewRefused as refusal:
        raise as_problem(refusal, review) from None
    except ValidationError as invalid:
        errors = [
            {"location": [str(part) for part in error["loc"]], "message": error["msg"]}
            for error in invalid.errors()
        ]
        raise Unprocessable(
            f"the {invalid.title} would not be valid", code="invalid_record", errors=errors
        ) from None
