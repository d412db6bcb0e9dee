"""The action plan: agreed by the reviewed setting, its actions done one by one, and actions
past their due date raised once each by a sweep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import (
    ACTION_AGREED,
    ACTION_COMPLETED,
    ACTION_OVERDUE,
    ActionAgreed,
    ActionCompleted,
    ActionOverdue,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from reviews.access import POLICY
from reviews.adapters import ReviewsStore
from reviews.domain.action_plan import (
    ActionItem,
    agree_action_plan,
    complete_action,
    overdue_items,
)
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview
from reviews.domain.stages import Stage
from reviews.handlers.refusals import refusals_as_problems
from reviews.handlers.review_record import review_for_update, where


async def agree_plan(
    work: UnitOfWork, review_id: str, who: Principal, items: Sequence[ActionItem], today: date
) -> PeerReview:
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "action-plan.agree")
    with refusals_as_problems(found.review):
        review = agree_action_plan(found.review, items, today)
    await store.save_review(review)
    for item in items:
        work.emit(
            ACTION_AGREED.type,
            review.review_id,
            ActionAgreed(**_about(review, found.cycle, item), agreed_on=today),
        )
    return review


async def complete(
    work: UnitOfWork, review_id: str, who: Principal, item_id: str, today: date
) -> ActionItem:
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "action.complete")
    with refusals_as_problems(found.review):
        review = complete_action(found.review, item_id, today)
    await store.save_review(review)
    done = _item(review, item_id)
    work.emit(
        ACTION_COMPLETED.type,
        review.review_id,
        ActionCompleted(
            **_about(review, found.cycle, done), completed_on=today, late=today > done.due_on
        ),
    )
    return done


async def raise_overdue(work: UnitOfWork, who: Principal, as_of: date) -> list[dict[str, Any]]:
    """Raise every open action past its due date as of `as_of` that was not raised before, of
    the reviews in the caller's places (selected in SQL); the follow-up closes a plan, so
    followed-up plans are left alone."""
    store = ReviewsStore(work.connection)
    scope = POLICY.where(who, "overdue.sweep", first=2, district="c.district")
    raised: list[dict[str, Any]] = []
    for found in await store.reviews_at((Stage.ACTION_PLAN, Stage.FOLLOW_UP), scope):
        review = found.review
        if review.plan is None or review.follow_up is not None:
            continue
        for item in overdue_items(review.plan, as_of):
            if not await store.record_overdue(review.review_id, item.item_id, item.due_on, as_of):
                continue
            work.emit(
                ACTION_OVERDUE.type,
                review.review_id,
                ActionOverdue(
                    **_about(review, found.cycle, item),
                    as_of=as_of,
                    days_overdue=(as_of - item.due_on).days,
                ),
            )
            raised.append(
                {
                    "review_id": review.review_id,
                    "item_id": item.item_id,
                    "due_on": item.due_on.isoformat(),
                }
            )
    return raised


def _item(review: PeerReview, item_id: str) -> ActionItem:
    assert review.plan is not None
    return next(item for item in review.plan.items if item.item_id == item_id)


def _about(review: PeerReview, cycle: ReviewCycle, item: ActionItem) -> dict[str, Any]:
    """What every action event says: where the review is, which action, the area of review it
    answers, its owner by role and its due date."""
    assert review.report is not None, "a plan answers a written report"
    area_of = {finding.finding_id: finding.area for finding in review.report.findings}
    return {
        **where(review, cycle),
        "item_id": item.item_id,
        "review_area": area_of[item.finding_id].value,
        "owner_role": item.owner.value,
        "due_on": item.due_on,
    }
