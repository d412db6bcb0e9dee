"""A peer review of one setting in one cycle, and how it moves from stage to stage."""

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Annotated

from pydantic import Field

from reviews.domain.action_plan import ActionPlan
from reviews.domain.assignment import Reviewer
from reviews.domain.cycle import ReviewCycle, partners_of
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.findings import Report
from reviews.domain.follow_up import FollowUp
from reviews.domain.sharing import Grant
from reviews.domain.stages import Stage, check_transition, require_stage
from reviews.domain.values import DomainModel, PseudonymousId

MOST_SELF_EVALUATION_DOCUMENTS = 50
"""Documents of one self-evaluation: the setting's form and the evidence it attaches."""


class PeerReview(DomainModel):
    """Everything recorded about one setting's review: a record that the review happened."""

    review_id: PseudonymousId
    cycle_id: PseudonymousId
    setting_id: PseudonymousId
    stage: Stage = Stage.SELF_EVALUATION
    self_evaluation: Annotated[
        tuple[PseudonymousId, ...], Field(max_length=MOST_SELF_EVALUATION_DOCUMENTS)
    ] = ()
    reviewers: tuple[Reviewer, ...] = ()
    report: Report | None = None
    plan: ActionPlan | None = None
    follow_up: FollowUp | None = None
    grants: tuple[Grant, ...] = ()


_READY: Mapping[Stage, tuple[Callable[[PeerReview], bool], RefusalCode]] = MappingProxyType(
    {
        Stage.PREPARATION: (lambda r: bool(r.self_evaluation), RefusalCode.SELF_EVALUATION_MISSING),
        Stage.VISIT: (lambda r: bool(r.reviewers), RefusalCode.NO_REVIEWER),
        Stage.ACTION_PLAN: (lambda r: r.report is not None, RefusalCode.REPORT_MISSING),
        Stage.FOLLOW_UP: (lambda r: r.plan is not None, RefusalCode.ACTION_PLAN_MISSING),
        Stage.CLOSED: (lambda r: r.follow_up is not None, RefusalCode.FOLLOW_UP_MISSING),
    }
)
"""What a review must hold before it may enter a stage, so no stage is skipped in substance."""


def open_review(cycle: ReviewCycle, review_id: str, setting_id: str) -> PeerReview:
    """Open the review of a setting in the cycle; it starts with the setting's self-evaluation."""
    partners_of(cycle, setting_id)  # refuses a setting that is not in the cycle
    return PeerReview(review_id=review_id, cycle_id=cycle.cycle_id, setting_id=setting_id)


def record_self_evaluation(review: PeerReview, document_ids: Sequence[str]) -> PeerReview:
    """Record the setting's self-evaluation, by the ids of its documents."""
    require_stage(review.stage, Stage.SELF_EVALUATION)
    if not document_ids:
        raise ReviewRefused(RefusalCode.SELF_EVALUATION_MISSING)
    return review.evolve(self_evaluation=tuple(document_ids))


def advance(review: PeerReview, to: Stage) -> PeerReview:
    """Move the review to the next stage.

    Refuses a move the state machine does not allow (naming the allowed next stages), then a move
    into a stage the review is not ready for (naming what is missing by its code).
    """
    check_transition(review.stage, to)
    if to in _READY:
        ready, missing = _READY[to]
        if not ready(review):
            raise ReviewRefused(missing)
    return review.evolve(stage=to)
