"""The follow-up closes the loop: for every action, where it stands and what changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from reviews.domain.action_plan import MOST_ACTIONS, ActionStatus
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.stages import Stage, require_stage
from reviews.domain.values import MOST_EVIDENCE, DomainModel, PseudonymousId, Summary

if TYPE_CHECKING:
    from reviews.domain.review import PeerReview


class ActionChange(DomainModel):
    """What changed for one action by the follow-up, with the evidence seen."""

    item_id: PseudonymousId
    what_changed: Summary
    evidence: Annotated[tuple[PseudonymousId, ...], Field(max_length=MOST_EVIDENCE)] = ()


class FollowedUpAction(ActionChange):
    """An action as the follow-up found it: what changed, and whether it was done by then."""

    status: ActionStatus


class FollowUp(DomainModel):
    """The follow-up visit or meeting, covering every action in the plan."""

    followed_up_on: date
    actions: Annotated[tuple[FollowedUpAction, ...], Field(max_length=MOST_ACTIONS)]


def record_follow_up(review: PeerReview, changes: Sequence[ActionChange], on: date) -> PeerReview:
    """Record the follow-up: one change for every action in the plan, none for anything else.
    Each action's status is taken from the plan as it stands."""
    require_stage(review.stage, Stage.FOLLOW_UP)
    plan = review.plan
    if plan is None:
        raise ReviewRefused(RefusalCode.ACTION_PLAN_MISSING)
    if on < plan.agreed_on:
        raise ReviewRefused(RefusalCode.FOLLOW_UP_BEFORE_AGREED)
    status = {item.item_id: item.status for item in plan.items}
    given = [change.item_id for change in changes]
    unknown = sorted(set(given) - status.keys())
    if unknown:
        raise ReviewRefused(RefusalCode.UNKNOWN_ACTION, tuple(unknown))
    missing = sorted(status.keys() - set(given))
    twice = sorted({item_id for item_id in given if given.count(item_id) > 1})
    if missing or twice:
        raise ReviewRefused(RefusalCode.FOLLOW_UP_NOT_ONCE_PER_ACTION, tuple(missing + twice))
    actions = tuple(
        FollowedUpAction(**dict(change), status=status[change.item_id]) for change in changes
    )
    return review.evolve(follow_up=FollowUp(followed_up_on=on, actions=actions))
