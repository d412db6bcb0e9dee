"""A review moves self-evaluation → preparation → visit → written report → action plan →
follow-up → closed, one stage at a time, and only when the stage it leaves is done."""

from collections.abc import Callable
from datetime import date
from itertools import pairwise

import pytest

from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.findings import Finding, FindingKind, write_report
from reviews.domain.review import PeerReview, advance, open_review, record_self_evaluation
from reviews.domain.stages import NEXT_STAGES, Stage

ReviewAt = Callable[[Stage], PeerReview]

# The order domain.md gives, written out here rather than read from the module under test.
LIFECYCLE = [
    Stage.SELF_EVALUATION,
    Stage.PREPARATION,
    Stage.VISIT,
    Stage.WRITTEN_REPORT,
    Stage.ACTION_PLAN,
    Stage.FOLLOW_UP,
    Stage.CLOSED,
]
VALID = list(pairwise(LIFECYCLE))
INVALID = [(a, b) for a in Stage for b in Stage if (a, b) not in VALID]
NEXT = {a: b.value for a, b in VALID}


def _refusal(review: PeerReview, to: Stage) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as refused:
        advance(review, to)
    return refused.value


def test_the_lifecycle_covers_every_stage_and_the_state_machine_allows_only_it() -> None:
    assert set(LIFECYCLE) == set(Stage)
    assert len(INVALID) == 43
    assert {(a, b) for a, nexts in NEXT_STAGES.items() for b in nexts} == set(VALID)


@pytest.mark.parametrize(("current", "requested"), VALID, ids=lambda stage: stage.value)
def test_a_review_moves_on_to_the_next_stage_when_ready(
    review_at: ReviewAt, current: Stage, requested: Stage
) -> None:
    assert advance(review_at(current), requested).stage is requested


@pytest.mark.parametrize(("current", "requested"), INVALID, ids=lambda stage: stage.value)
def test_an_invalid_transition_is_refused_naming_the_allowed_next_stage(
    review_at: ReviewAt, current: Stage, requested: Stage
) -> None:
    refused = _refusal(review_at(current), requested)
    assert refused.code is RefusalCode.INVALID_TRANSITION
    assert refused.details == ((NEXT[current],) if current in NEXT else ())


def test_a_closed_review_names_no_next_stage(review_at: ReviewAt) -> None:
    refused = _refusal(review_at(Stage.CLOSED), Stage.SELF_EVALUATION)
    assert (refused.code, refused.details, str(refused)) == (
        RefusalCode.INVALID_TRANSITION,
        (),
        "invalid_transition",
    )


def test_skipping_the_visit_is_refused_with_the_visit_named(review_at: ReviewAt) -> None:
    refused = _refusal(review_at(Stage.PREPARATION), Stage.WRITTEN_REPORT)
    assert str(refused) == "invalid_transition: visit"


def test_preparation_waits_for_the_settings_self_evaluation(review_entering: ReviewAt) -> None:
    refused = _refusal(review_entering(Stage.SELF_EVALUATION), Stage.PREPARATION)
    assert refused.code is RefusalCode.SELF_EVALUATION_MISSING


def test_an_empty_self_evaluation_is_refused(cycle: ReviewCycle) -> None:
    with pytest.raises(ReviewRefused) as refused:
        record_self_evaluation(open_review(cycle, "review-a", "school-a"), ())
    assert refused.value.code is RefusalCode.SELF_EVALUATION_MISSING


def test_the_visit_waits_for_a_reviewer(review_entering: ReviewAt) -> None:
    refused = _refusal(review_entering(Stage.PREPARATION), Stage.VISIT)
    assert refused.code is RefusalCode.NO_REVIEWER


def test_the_action_plan_waits_for_the_written_report(review_entering: ReviewAt) -> None:
    refused = _refusal(review_entering(Stage.WRITTEN_REPORT), Stage.ACTION_PLAN)
    assert refused.code is RefusalCode.REPORT_MISSING


def test_follow_up_waits_for_an_agreed_action_plan(review_entering: ReviewAt) -> None:
    refused = _refusal(review_entering(Stage.ACTION_PLAN), Stage.FOLLOW_UP)
    assert refused.code is RefusalCode.ACTION_PLAN_MISSING


def test_a_review_closes_only_after_its_follow_up(review_entering: ReviewAt) -> None:
    refused = _refusal(review_entering(Stage.FOLLOW_UP), Stage.CLOSED)
    assert refused.code is RefusalCode.FOLLOW_UP_MISSING


def test_work_that_belongs_to_another_stage_is_refused_naming_the_current_stage(
    review_at: ReviewAt, cycle: ReviewCycle
) -> None:
    finding = Finding(
        finding_id="finding-1",
        area=ReviewArea.OUTCOMES,
        kind=FindingKind.STRENGTH,
        summary="Pupils with SEND make strong progress in reading.",
        evidence=("doc-data-1",),
    )
    with pytest.raises(ReviewRefused) as refused:
        write_report(review_at(Stage.VISIT), cycle, (finding,))
    assert (refused.value.code, refused.value.details) == (RefusalCode.WRONG_STAGE, ("visit",))


def test_a_closed_review_keeps_its_record(review_at: ReviewAt) -> None:
    closed = review_at(Stage.CLOSED)
    assert closed.self_evaluation == ("doc-sef-1",)
    assert [reviewer.setting_id for reviewer in closed.reviewers] == ["school-b"]
    assert closed.report is not None and closed.plan is not None and closed.follow_up is not None
    assert closed.follow_up.followed_up_on == date(2027, 4, 19)
