"""'You said, we did': publishing actions that answer themes, and their owners reporting
progress."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from feedback.access import KENT, POLICY, check_progress
from feedback.adapters import FeedbackStore
from feedback.domain.actions import ActionStatus, YouSaidWeDid, update_action
from feedback.domain.errors import FeedbackRefused
from feedback.handlers.refusals import as_problem
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.feedback import (
    ACTION_PUBLISHED,
    ACTION_UPDATED,
    ActionPublished,
    ActionUpdated,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound


async def publish(
    work: UnitOfWork, who: Principal, action_for: Callable[[Iterable[str]], YouSaidWeDid]
) -> YouSaidWeDid:
    """Publish an action built against the themes identified so far."""
    POLICY.check(who, "action.publish", KENT)
    store = FeedbackStore(work.connection)
    try:
        action = action_for(await store.theme_names())
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    if not await store.add_action(action):
        raise Conflict(f"action {action.action_id} already exists")
    work.emit(
        ACTION_PUBLISHED.type,
        action.action_id,
        ActionPublished(
            action_id=action.action_id,
            themes=action.themes,
            owner_role=action.owner.value,
            status=action.status.value,
            published_on=action.published_on,
            due_on=action.due_on,
        ),
    )
    return action


async def update(
    work: UnitOfWork,
    who: Principal,
    action_id: str,
    status: ActionStatus,
    reason: str | None,
    today: date,
) -> YouSaidWeDid:
    """The action's owning role (or a Kent-wide KCC officer) reports its progress."""
    store = FeedbackStore(work.connection)
    action = await store.action(action_id, for_update=True)
    if action is None:
        raise NotFound(f"no action {action_id}")
    check_progress(who, action)
    try:
        updated = update_action(action, status, today, reason)
    except FeedbackRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_action(updated)
    work.emit(
        ACTION_UPDATED.type,
        action_id,
        ActionUpdated(
            action_id=action_id,
            themes=updated.themes,
            owner_role=updated.owner.value,
            status=updated.status.value,
            updated_on=today,
            reason=updated.reason,
        ),
    )
    return updated
