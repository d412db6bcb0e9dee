"""Fixtures for the reviews domain: a cycle in a Thanet Community of Schools (one triad, one
pair), trained reviewers from any school, and a review walked to any stage by the domain's own
functions."""

from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import District
from reviews.domain.action_plan import ActionItem, ActionOwner, agree_action_plan
from reviews.domain.areas import ReviewArea
from reviews.domain.assignment import Reviewer, ReviewerRole, assign_reviewer
from reviews.domain.cycle import ReviewCycle
from reviews.domain.findings import Finding, FindingKind, write_report
from reviews.domain.follow_up import ActionChange, record_follow_up
from reviews.domain.review import PeerReview, advance, open_review, record_self_evaluation
from reviews.domain.stages import Stage

REVIEWED_SCHOOL = "school-a"
AGREED_ON = date(2026, 11, 16)
FOLLOWED_UP_ON = date(2027, 4, 19)

ReviewerFrom = Callable[..., Reviewer]
ReviewAt = Callable[[Stage], PeerReview]

FINDINGS = (
    Finding(
        finding_id="finding-1",
        area=ReviewArea.LEADERSHIP,
        kind=FindingKind.STRENGTH,
        summary="SEND is a standing item for the senior team, with a named governor.",
        evidence=("doc-visit-notes-1",),
    ),
    Finding(
        finding_id="finding-2",
        area=ReviewArea.ASSESSMENT_AND_IDENTIFICATION,
        kind=FindingKind.AREA_FOR_DEVELOPMENT,
        summary="Needs identified late in Key Stage 2; screening is not used consistently.",
        evidence=("doc-visit-notes-1", "doc-provision-map-1"),
    ),
    Finding(
        finding_id="finding-3",
        area=ReviewArea.WORKING_WITH_PUPILS_AND_PARENTS,
        kind=FindingKind.AREA_FOR_DEVELOPMENT,
        summary="Parents are not yet part of reviewing support plans.",
        evidence=("doc-parent-survey-1",),
    ),
)

ACTIONS = (
    ActionItem(
        item_id="action-1",
        finding_id="finding-2",
        action="Introduce termly screening in Years 3 to 6.",
        owner=ActionOwner.SENCO,
        due_on=date(2027, 1, 29),
    ),
    ActionItem(
        item_id="action-2",
        finding_id="finding-3",
        action="Invite parents to every support plan review.",
        owner=ActionOwner.HEADTEACHER,
        due_on=date(2027, 3, 26),
    ),
)

CHANGES = (
    ActionChange(
        item_id="action-1",
        what_changed="Screening ran in the spring term.",
        evidence=("doc-screening-1",),
    ),
    ActionChange(item_id="action-2", what_changed="Invitations drafted, not yet sent."),
)


@pytest.fixture
def cycle() -> ReviewCycle:
    return ReviewCycle(
        cycle_id="cycle-thanet-2026",
        community_id="cos-thanet-1",
        district=District.THANET,
        partnerships=(("school-a", "school-b", "school-c"), ("school-d", "school-e")),
    )


def _reviewer_from(setting_id: str, reviewer_id: str | None = None, **changes: Any) -> Reviewer:
    fields: dict[str, Any] = {
        "reviewer_id": reviewer_id or person_id_for(f"senco-{setting_id}"),
        "setting_id": setting_id,
        "role": ReviewerRole.SENCO,
        "trained": True,
    }
    return Reviewer.model_validate({**fields, **changes})


@pytest.fixture
def reviewer_from() -> ReviewerFrom:
    """A trained SENCO from the given setting, with no declared interests unless given."""
    return _reviewer_from


LIFECYCLE = (
    Stage.SELF_EVALUATION,
    Stage.PREPARATION,
    Stage.VISIT,
    Stage.WRITTEN_REPORT,
    Stage.ACTION_PLAN,
    Stage.FOLLOW_UP,
    Stage.CLOSED,
)


@pytest.fixture
def review_at(cycle: ReviewCycle) -> ReviewAt:
    """The review of school-a at a stage, with the work of that stage done, ready to move on."""
    work: dict[Stage, Callable[[PeerReview], PeerReview]] = {
        Stage.SELF_EVALUATION: lambda r: record_self_evaluation(r, ("doc-sef-1",)),
        Stage.PREPARATION: lambda r: assign_reviewer(
            r, _reviewer_from("school-b"), cycle=cycle, cycle_reviews=()
        ),
        Stage.WRITTEN_REPORT: lambda r: write_report(r, cycle, FINDINGS),
        Stage.ACTION_PLAN: lambda r: agree_action_plan(r, ACTIONS, AGREED_ON),
        Stage.FOLLOW_UP: lambda r: record_follow_up(r, CHANGES, FOLLOWED_UP_ON),
    }

    def walk(stage: Stage) -> PeerReview:
        review = open_review(cycle, "review-a", REVIEWED_SCHOOL)
        for current, following in pairwise(LIFECYCLE):
            review = work[current](review) if current in work else review
            if current is stage:
                return review
            review = advance(review, following)
        return review

    return walk


@pytest.fixture
def review_entering(cycle: ReviewCycle, review_at: ReviewAt) -> ReviewAt:
    """The review of school-a just moved into a stage, none of that stage's work done yet."""

    def enter(stage: Stage) -> PeerReview:
        if stage is LIFECYCLE[0]:
            return open_review(cycle, "review-a", REVIEWED_SCHOOL)
        return advance(review_at(LIFECYCLE[LIFECYCLE.index(stage) - 1]), stage)

    return enter
