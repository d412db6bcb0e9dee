"""The follow-up closes the loop: one record for every action, saying what changed and whether it
was done by then."""

from collections.abc import Callable
from datetime import date

import pytest

from reviews.domain.action_plan import ActionStatus, complete_action
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.follow_up import ActionChange, FollowedUpAction, FollowUp, record_follow_up
from reviews.domain.review import PeerReview
from reviews.domain.stages import Stage

ReviewAt = Callable[[Stage], PeerReview]

ON = date(2027, 4, 19)
SCREENING = ActionChange(
    item_id="action-1", what_changed="Screening ran in spring.", evidence=("doc-screening-1",)
)
PARENTS = ActionChange(item_id="action-2", what_changed="Invitations drafted, not yet sent.")


@pytest.fixture
def following_up(review_entering: ReviewAt) -> PeerReview:
    review = review_entering(Stage.FOLLOW_UP)
    return complete_action(review, "action-1", date(2027, 3, 1))


def _refusal(review: PeerReview, changes: tuple[ActionChange, ...], on: date = ON) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as refused:
        record_follow_up(review, changes, on)
    return refused.value


def test_the_follow_up_records_what_changed_and_where_each_action_stands(
    following_up: PeerReview,
) -> None:
    assert record_follow_up(following_up, (SCREENING, PARENTS), ON).follow_up == FollowUp(
        followed_up_on=ON,
        actions=(
            FollowedUpAction(**dict(SCREENING), status=ActionStatus.DONE),
            FollowedUpAction(**dict(PARENTS), status=ActionStatus.OPEN),
        ),
    )


def test_the_follow_up_must_account_for_every_action(following_up: PeerReview) -> None:
    refused = _refusal(following_up, (SCREENING,))
    assert (refused.code, refused.details) == (
        RefusalCode.FOLLOW_UP_NOT_ONCE_PER_ACTION,
        ("action-2",),
    )


def test_an_action_followed_up_twice_is_refused(following_up: PeerReview) -> None:
    refused = _refusal(following_up, (SCREENING, PARENTS, SCREENING))
    assert (refused.code, refused.details) == (
        RefusalCode.FOLLOW_UP_NOT_ONCE_PER_ACTION,
        ("action-1",),
    )


def test_a_follow_up_of_an_action_not_in_the_plan_is_refused(following_up: PeerReview) -> None:
    stray = ActionChange(item_id="action-9", what_changed="Something else.")
    refused = _refusal(following_up, (SCREENING, PARENTS, stray))
    assert (refused.code, refused.details) == (RefusalCode.UNKNOWN_ACTION, ("action-9",))


def test_a_follow_up_dated_before_the_plan_was_agreed_is_refused(
    following_up: PeerReview,
) -> None:
    refused = _refusal(following_up, (SCREENING, PARENTS), date(2026, 11, 1))
    assert refused.code is RefusalCode.FOLLOW_UP_BEFORE_AGREED


def test_a_follow_up_waits_for_the_follow_up_stage(review_at: ReviewAt) -> None:
    refused = _refusal(review_at(Stage.ACTION_PLAN), (SCREENING, PARENTS))
    assert (refused.code, refused.details) == (RefusalCode.WRONG_STAGE, ("action-plan",))
