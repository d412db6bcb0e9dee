"""The action plan: what the setting will do about each area for development, who owns it (by
role), and by when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import Field, model_validator

from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.findings import FindingKind
from reviews.domain.stages import Stage, require_stage
from reviews.domain.values import DomainModel, PseudonymousId, Summary

if TYPE_CHECKING:
    from reviews.domain.review import PeerReview

MOST_ACTIONS = 100
"""Actions in one plan: each answers an area for development of the report (at most
``MOST_FINDINGS`` findings)."""


class ActionOwner(StrEnum):
    """Who owns an action, by role in the setting, never by name."""

    SENCO = "senco"
    HEADTEACHER = "headteacher"
    SENIOR_LEADER = "senior-leader"
    SEN_GOVERNOR = "sen-governor"
    CLASS_TEACHER = "class-teacher"
    SUBJECT_LEADER = "subject-leader"
    SCHOOL_BUSINESS_MANAGER = "school-business-manager"


class ActionStatus(StrEnum):
    """An action is open until it is done."""

    OPEN = "open"
    DONE = "done"


class ActionItem(DomainModel):
    """One action, answering one area-for-development finding of the report."""

    item_id: PseudonymousId
    finding_id: PseudonymousId
    action: Summary
    owner: ActionOwner
    due_on: date
    status: ActionStatus = ActionStatus.OPEN
    done_on: date | None = None

    @model_validator(mode="after")
    def _done_has_a_date(self) -> Self:
        if (self.status is ActionStatus.DONE) != (self.done_on is not None):
            raise ValueError("an action has a done date exactly when it is done")
        return self


class ActionPlan(DomainModel):
    """The agreed plan."""

    agreed_on: date
    items: Annotated[tuple[ActionItem, ...], Field(min_length=1, max_length=MOST_ACTIONS)]

    @model_validator(mode="after")
    def _item_ids_are_distinct(self) -> Self:
        ids = [item.item_id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("action ids must be distinct")
        return self


def overdue_items(plan: ActionPlan, today: date) -> tuple[ActionItem, ...]:
    """Open actions whose due date has passed (an action due today is not yet overdue), earliest
    first."""
    late = (i for i in plan.items if i.status is ActionStatus.OPEN and i.due_on < today)
    return tuple(sorted(late, key=lambda item: (item.due_on, item.item_id)))


def agree_action_plan(
    review: PeerReview, items: Sequence[ActionItem], agreed_on: date
) -> PeerReview:
    """Record the agreed plan. Every action answers an area for development in the report, is
    open, and falls due no earlier than the day the plan is agreed."""
    require_stage(review.stage, Stage.ACTION_PLAN)
    report = review.report
    if report is None:
        raise ReviewRefused(RefusalCode.REPORT_MISSING)
    answerable = {
        f.finding_id for f in report.findings if f.kind is FindingKind.AREA_FOR_DEVELOPMENT
    }
    stray = sorted(item.item_id for item in items if item.finding_id not in answerable)
    if stray:
        raise ReviewRefused(RefusalCode.ACTION_NOT_FOR_AN_AREA_FOR_DEVELOPMENT, tuple(stray))
    done = sorted(item.item_id for item in items if item.status is not ActionStatus.OPEN)
    if done:
        raise ReviewRefused(RefusalCode.ACTION_ALREADY_DONE, tuple(done))
    early = sorted(item.item_id for item in items if item.due_on < agreed_on)
    if early:
        raise ReviewRefused(RefusalCode.ACTION_DUE_BEFORE_AGREED, tuple(early))
    return review.evolve(plan=ActionPlan(agreed_on=agreed_on, items=tuple(items)))


def complete_action(review: PeerReview, item_id: str, on: date) -> PeerReview:
    """Mark an action done, during the action plan stage or at follow-up."""
    require_stage(review.stage, Stage.ACTION_PLAN, Stage.FOLLOW_UP)
    plan = review.plan
    if plan is None:
        raise ReviewRefused(RefusalCode.ACTION_PLAN_MISSING)
    item = next((i for i in plan.items if i.item_id == item_id), None)
    if item is None:
        raise ReviewRefused(RefusalCode.UNKNOWN_ACTION, (item_id,))
    if item.status is ActionStatus.DONE:
        raise ReviewRefused(RefusalCode.ACTION_ALREADY_DONE, (item_id,))
    if on < plan.agreed_on:
        raise ReviewRefused(RefusalCode.DONE_BEFORE_AGREED, (item_id,))
    done = item.evolve(status=ActionStatus.DONE, done_on=on)
    items = tuple(done if i.item_id == item_id else i for i in plan.items)
    return review.evolve(plan=plan.evolve(items=items))
