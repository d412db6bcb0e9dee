"""The stages of a peer review as a state machine: each stage leads only to the next."""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from reviews.domain.errors import RefusalCode, ReviewRefused


class Stage(StrEnum):
    """Where a review is. The report is issued when the review moves on to the action plan."""

    SELF_EVALUATION = "self-evaluation"
    PREPARATION = "preparation"
    VISIT = "visit"
    WRITTEN_REPORT = "written-report"
    ACTION_PLAN = "action-plan"
    FOLLOW_UP = "follow-up"
    CLOSED = "closed"


NEXT_STAGES: Mapping[Stage, tuple[Stage, ...]] = MappingProxyType(
    {
        Stage.SELF_EVALUATION: (Stage.PREPARATION,),
        Stage.PREPARATION: (Stage.VISIT,),
        Stage.VISIT: (Stage.WRITTEN_REPORT,),
        Stage.WRITTEN_REPORT: (Stage.ACTION_PLAN,),
        Stage.ACTION_PLAN: (Stage.FOLLOW_UP,),
        Stage.FOLLOW_UP: (Stage.CLOSED,),
        Stage.CLOSED: (),
    }
)
"""Every allowed move. A review never goes back: a new cycle starts a new review."""

REPORT_ISSUED: frozenset[Stage] = frozenset({Stage.ACTION_PLAN, Stage.FOLLOW_UP, Stage.CLOSED})
"""Stages at which the written report is final; before them it is a draft."""


def check_transition(current: Stage, requested: Stage) -> None:
    """Refuse a move the state machine does not allow, naming the allowed next stages."""
    allowed = NEXT_STAGES[current]
    if requested not in allowed:
        raise ReviewRefused(RefusalCode.INVALID_TRANSITION, tuple(s.value for s in allowed))


def require_stage(current: Stage, *allowed: Stage) -> None:
    """Refuse work that belongs to another stage, naming the stage the review is at."""
    if current not in allowed:
        raise ReviewRefused(RefusalCode.WRONG_STAGE, (current.value,))
