"""'You said, we did': actions answering identified themes, owned by a role, moving forward."""

from datetime import date

import pytest

from feedback.domain.actions import (
    ActionOwner,
    ActionStatus,
    YouSaidWeDid,
    publish_action,
    update_action,
)
from feedback.domain.errors import FeedbackRefused, RefusalCode

PUBLISHED_ON = date(2026, 11, 2)


def _publish(**changes: object) -> YouSaidWeDid:
    fields: dict[str, object] = {
        "action_id": "action-transport-1",
        "themes": ("transport",),
        "known_themes": {"transport", "communication"},
        "you_said": "School transport is often late.",
        "we_did": "Routes are being re-timed with the operators this term.",
        "owner": ActionOwner.KCC_OFFICER,
        "on": PUBLISHED_ON,
        "due_on": date(2027, 1, 31),
    }
    return publish_action(**{**fields, **changes})  # type: ignore[arg-type]


def test_an_action_is_published_as_planned_answering_identified_themes() -> None:
    action = _publish()
    assert (action.status, action.owner, action.themes) == (
        ActionStatus.PLANNED,
        ActionOwner.KCC_OFFICER,
        ("transport",),
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"themes": ()}, RefusalCode.THEMES_MISSING),
        ({"themes": ("parking",)}, RefusalCode.UNKNOWN_THEME),
        ({"due_on": date(2026, 11, 1)}, RefusalCode.DUE_BEFORE_PUBLISHED),
    ],
    ids=["no_theme", "unidentified_theme", "due_before_published"],
)
def test_an_action_that_answers_nothing_heard_or_is_due_in_the_past_is_refused(
    changes: dict[str, object], code: RefusalCode
) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        _publish(**changes)
    assert refused.value.code is code


def test_an_action_moves_from_planned_through_in_progress_to_done() -> None:
    started = update_action(_publish(), ActionStatus.IN_PROGRESS, date(2026, 11, 20))
    done = update_action(started, ActionStatus.DONE, date(2027, 1, 15))
    assert (done.status, done.updated_on, done.published_on) == (
        ActionStatus.DONE,
        date(2027, 1, 15),
        PUBLISHED_ON,
    )


def test_an_action_not_taken_says_why() -> None:
    with pytest.raises(FeedbackRefused) as refused:
        update_action(_publish(), ActionStatus.NOT_TAKEN, date(2026, 11, 20))
    assert refused.value.code is RefusalCode.REASON_MISSING
    not_taken = update_action(
        _publish(), ActionStatus.NOT_TAKEN, date(2026, 11, 20), "outside_council_powers"
    )
    assert not_taken.reason == "outside_council_powers"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ((ActionStatus.DONE, ActionStatus.IN_PROGRESS), RefusalCode.ACTION_ALREADY_FINISHED),
        ((ActionStatus.IN_PROGRESS, ActionStatus.PLANNED), RefusalCode.ACTION_CANNOT_GO_BACK),
        ((ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS), RefusalCode.ACTION_STATUS_UNCHANGED),
    ],
    ids=["after_done", "backwards", "unchanged"],
)
def test_an_action_only_moves_forward(
    path: tuple[ActionStatus, ActionStatus], code: RefusalCode
) -> None:
    first = update_action(_publish(), path[0], date(2026, 11, 20))
    with pytest.raises(FeedbackRefused) as refused:
        update_action(first, path[1], date(2026, 11, 21))
    assert refused.value.code is code


def test_an_update_cannot_be_dated_before_the_last_change() -> None:
    with pytest.raises(FeedbackRefused) as refused:
        update_action(_publish(), ActionStatus.IN_PROGRESS, date(2026, 11, 1))
    assert refused.value.code is RefusalCode.UPDATED_BEFORE_LAST_CHANGE
