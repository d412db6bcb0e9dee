"""Action plans: every action answers an area for development, has an owner by role and a due
date, and is open until done. Overdue actions are found against a date given, never the clock."""

from collections.abc import Callable
from datetime import date

import pytest
from pydantic import ValidationError

from reviews.domain.action_plan import (
    ActionItem,
    ActionOwner,
    ActionPlan,
    ActionStatus,
    agree_action_plan,
    complete_action,
    overdue_items,
)
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import PeerReview
from reviews.domain.stages import Stage

ReviewAt = Callable[[Stage], PeerReview]

AGREED_ON = date(2026, 11, 16)
SCREENING = ActionItem(
    item_id="action-1",
    finding_id="finding-2",
    action="Introduce termly screening in Years 3 to 6.",
    owner=ActionOwner.SENCO,
    due_on=date(2027, 1, 29),
)
PARENTS = ActionItem(
    item_id="action-2",
    finding_id="finding-3",
    action="Invite parents to every support plan review.",
    owner=ActionOwner.HEADTEACHER,
    due_on=date(2027, 3, 26),
)


@pytest.fixture
def planning(review_entering: ReviewAt) -> PeerReview:
    return review_entering(Stage.ACTION_PLAN)


def _plan(review: PeerReview) -> ActionPlan:
    assert review.plan is not None
    return review.plan


def _refusal(action: Callable[[], object]) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as refused:
        action()
    return refused.value


def test_an_agreed_plan_records_each_action_open_with_its_owner_and_due_date(
    planning: PeerReview,
) -> None:
    plan = _plan(agree_action_plan(planning, (SCREENING, PARENTS), AGREED_ON))
    assert plan.agreed_on == AGREED_ON
    assert [(i.owner, i.due_on, i.status) for i in plan.items] == [
        (ActionOwner.SENCO, date(2027, 1, 29), ActionStatus.OPEN),
        (ActionOwner.HEADTEACHER, date(2027, 3, 26), ActionStatus.OPEN),
    ]


@pytest.mark.parametrize("finding_id", ["finding-1", "finding-9"], ids=["strength", "unknown"])
def test_an_action_must_answer_an_area_for_development_in_the_report(
    planning: PeerReview, finding_id: str
) -> None:
    stray = SCREENING.evolve(finding_id=finding_id)
    refused = _refusal(lambda: agree_action_plan(planning, (stray, PARENTS), AGREED_ON))
    assert (refused.code, refused.details) == (
        RefusalCode.ACTION_NOT_FOR_AN_AREA_FOR_DEVELOPMENT,
        ("action-1",),
    )


def test_an_action_due_before_the_plan_is_agreed_is_refused(planning: PeerReview) -> None:
    early = PARENTS.evolve(due_on=date(2026, 11, 1))
    refused = _refusal(lambda: agree_action_plan(planning, (SCREENING, early), AGREED_ON))
    assert (refused.code, refused.details) == (RefusalCode.ACTION_DUE_BEFORE_AGREED, ("action-2",))


def test_a_plan_cannot_be_agreed_with_actions_already_done(planning: PeerReview) -> None:
    done = SCREENING.evolve(status=ActionStatus.DONE, done_on=AGREED_ON)
    refused = _refusal(lambda: agree_action_plan(planning, (done,), AGREED_ON))
    assert refused.code is RefusalCode.ACTION_ALREADY_DONE


def test_a_plan_has_at_least_one_action_and_distinct_ids(planning: PeerReview) -> None:
    with pytest.raises(ValidationError):
        agree_action_plan(planning, (), AGREED_ON)
    with pytest.raises(ValidationError, match="distinct"):
        agree_action_plan(planning, (SCREENING, PARENTS.evolve(item_id="action-1")), AGREED_ON)


def test_an_action_has_a_done_date_exactly_when_it_is_done() -> None:
    with pytest.raises(ValidationError, match="done date"):
        SCREENING.evolve(status=ActionStatus.DONE)
    with pytest.raises(ValidationError, match="done date"):
        SCREENING.evolve(done_on=date(2027, 1, 4))


def test_open_actions_past_their_due_date_are_overdue_earliest_first() -> None:
    plan = ActionPlan(agreed_on=AGREED_ON, items=(PARENTS, SCREENING))
    assert overdue_items(plan, date(2027, 3, 27)) == (SCREENING, PARENTS)


def test_an_action_due_today_is_not_yet_overdue() -> None:
    plan = ActionPlan(agreed_on=AGREED_ON, items=(SCREENING, PARENTS))
    assert overdue_items(plan, date(2027, 1, 29)) == ()
    assert overdue_items(plan, date(2027, 1, 30)) == (SCREENING,)


def test_a_done_action_is_never_overdue() -> None:
    done = SCREENING.evolve(status=ActionStatus.DONE, done_on=date(2027, 2, 10))
    plan = ActionPlan(agreed_on=AGREED_ON, items=(done, PARENTS))
    assert overdue_items(plan, date(2027, 3, 1)) == ()


def test_completing_an_action_records_the_day_it_was_done(review_at: ReviewAt) -> None:
    plan = _plan(complete_action(review_at(Stage.ACTION_PLAN), "action-1", date(2027, 2, 10)))
    assert (plan.items[0].status, plan.items[0].done_on) == (ActionStatus.DONE, date(2027, 2, 10))
    assert plan.items[1].status is ActionStatus.OPEN


def test_an_action_can_be_completed_at_follow_up(review_entering: ReviewAt) -> None:
    plan = _plan(complete_action(review_entering(Stage.FOLLOW_UP), "action-2", date(2027, 4, 1)))
    assert plan.items[1].status is ActionStatus.DONE


def test_an_action_cannot_be_completed_twice(review_at: ReviewAt) -> None:
    once = complete_action(review_at(Stage.ACTION_PLAN), "action-1", date(2027, 2, 10))
    refused = _refusal(lambda: complete_action(once, "action-1", date(2027, 2, 11)))
    assert (refused.code, refused.details) == (RefusalCode.ACTION_ALREADY_DONE, ("action-1",))


def test_an_unknown_action_cannot_be_completed(review_at: ReviewAt) -> None:
    refused = _refusal(
        lambda: complete_action(review_at(Stage.ACTION_PLAN), "action-9", date(2027, 2, 10))
    )
    assert (refused.code, refused.details) == (RefusalCode.UNKNOWN_ACTION, ("action-9",))


def test_an_action_cannot_be_done_before_the_plan_was_agreed(review_at: ReviewAt) -> None:
    refused = _refusal(
        lambda: complete_action(review_at(Stage.ACTION_PLAN), "action-1", date(2026, 11, 15))
    )
    assert refused.code is RefusalCode.DONE_BEFORE_AGREED


def test_actions_cannot_be_completed_once_the_review_is_closed(review_at: ReviewAt) -> None:
    refused = _refusal(
        lambda: complete_action(review_at(Stage.CLOSED), "action-2", date(2027, 5, 1))
    )
    assert (refused.code, refused.details) == (RefusalCode.WRONG_STAGE, ("closed",))
