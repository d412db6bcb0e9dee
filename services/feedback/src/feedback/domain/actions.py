"""'You said, we did': published actions answering themes, each owned by a role, with a status
that only moves forward."""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from feedback.domain.errors import FeedbackRefused, RefusalCode
from feedback.domain.values import Code, DomainModel, PseudonymousId, Wording


class ActionOwner(StrEnum):
    """The role that owns an action and may report its progress."""

    KCC_OFFICER = "kcc-officer"
    SENCO = "senco"
    PANEL_MEMBER = "panel-member"
    AREA_BOARD = "area-board"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    NOT_TAKEN = "not-taken"


FINISHED = {ActionStatus.DONE, ActionStatus.NOT_TAKEN}
_ORDER = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]


class YouSaidWeDid(DomainModel):
    """What stakeholders said (as a theme), what is being done about it, by whom, and how far
    it has got. `reason` is a code, given when an action is not taken."""

    action_id: PseudonymousId
    themes: Annotated[tuple[Code, ...], Field(min_length=1)]
    you_said: Wording
    we_did: Wording
    owner: ActionOwner
    status: ActionStatus = ActionStatus.PLANNED
    published_on: date
    updated_on: date
    due_on: date | None = None
    reason: Code | None = None


def publish_action(
    *,
    action_id: str,
    themes: tuple[str, ...],
    known_themes: Iterable[str],
    you_said: str,
    we_did: str,
    owner: ActionOwner,
    on: date,
    due_on: date | None = None,
) -> YouSaidWeDid:
    """Publish an action answering themes that moderators have identified."""
    if not themes:
        raise FeedbackRefused(RefusalCode.THEMES_MISSING)
    unknown = tuple(sorted(set(themes) - set(known_themes)))
    if unknown:
        raise FeedbackRefused(RefusalCode.UNKNOWN_THEME, unknown)
    if due_on is not None and due_on < on:
        raise FeedbackRefused(RefusalCode.DUE_BEFORE_PUBLISHED)
    return YouSaidWeDid(
        action_id=action_id,
        themes=tuple(sorted(set(themes))),
        you_said=you_said,
        we_did=we_did,
        owner=owner,
        published_on=on,
        updated_on=on,
        due_on=due_on,
    )


def update_action(
    action: YouSaidWeDid, status: ActionStatus, on: date, reason: str | None = None
) -> YouSaidWeDid:
    """Move an action on: planned, in progress, done; or not taken, with a reason code. A
    finished action stays finished, and progress never goes back."""
    if action.status in FINISHED:
        raise FeedbackRefused(RefusalCode.ACTION_ALREADY_FINISHED, (action.status.value,))
    if status is action.status:
        raise FeedbackRefused(RefusalCode.ACTION_STATUS_UNCHANGED, (status.value,))
    if status in _ORDER and _ORDER.index(status) < _ORDER.index(action.status):
        raise FeedbackRefused(RefusalCode.ACTION_CANNOT_GO_BACK, (status.value,))
    if status is ActionStatus.NOT_TAKEN and not reason:
        raise FeedbackRefused(RefusalCode.REASON_MISSING)
    if on < action.updated_on:
        raise FeedbackRefused(RefusalCode.UPDATED_BEFORE_LAST_CHANGE)
    return action.evolve(status=status, updated_on=on, reason=reason)
