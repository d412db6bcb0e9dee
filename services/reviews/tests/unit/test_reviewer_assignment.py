"""Reviewers are trained SENCOs and leaders from a partner school: never from the reviewed school,
never with a declared interest in it, and never reciprocal when the cycle asks."""

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from reviews.domain.assignment import Reviewer, ReviewerRole, assign_reviewer
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import PeerReview, open_review
from reviews.domain.stages import Stage

ReviewerFrom = Callable[..., Reviewer]
ReviewAt = Callable[[Stage], PeerReview]


def _refusal(
    review: PeerReview,
    reviewer: Reviewer,
    cycle: ReviewCycle,
    cycle_reviews: tuple[PeerReview, ...] = (),
) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as refused:
        assign_reviewer(review, reviewer, cycle=cycle, cycle_reviews=cycle_reviews)
    return refused.value


@pytest.fixture
def review(cycle: ReviewCycle) -> PeerReview:
    return open_review(cycle, "review-a", "school-a")


@pytest.fixture
def no_reciprocal(cycle: ReviewCycle) -> ReviewCycle:
    return cycle.evolve(avoid_reciprocal_reviews=True)


def test_a_trained_senco_from_a_partner_school_is_assigned(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    reviewer = reviewer_from("school-b", declared_interests=("school-e",))
    assigned = assign_reviewer(review, reviewer, cycle=cycle, cycle_reviews=())
    assert assigned.reviewers == (reviewer,)


def test_a_trained_leader_can_review_alongside_a_senco(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    senco = reviewer_from("school-b")
    leader = reviewer_from("school-c", person_id_for("head-c"), role=ReviewerRole.SENIOR_LEADER)
    assigned = assign_reviewer(review, senco, cycle=cycle, cycle_reviews=())
    assigned = assign_reviewer(assigned, leader, cycle=cycle, cycle_reviews=())
    assert [r.reviewer_id for r in assigned.reviewers] == [
        person_id_for("senco-school-b"),
        person_id_for("head-c"),
    ]


def test_a_reviewer_from_the_reviewed_school_is_refused(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    refused = _refusal(review, reviewer_from("school-a"), cycle)
    assert (refused.code, refused.details) == (
        RefusalCode.REVIEWER_FROM_REVIEWED_SETTING,
        (person_id_for("senco-school-a"),),
    )


def test_a_reviewer_who_declared_an_interest_in_the_reviewed_school_is_refused(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    reviewer = reviewer_from("school-b", declared_interests=("school-a",))
    assert _refusal(review, reviewer, cycle).code is RefusalCode.REVIEWER_DECLARED_CONFLICT


def test_a_reviewer_who_has_not_been_trained_is_refused(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    reviewer = reviewer_from("school-b", trained=False)
    assert _refusal(review, reviewer, cycle).code is RefusalCode.REVIEWER_NOT_TRAINED


def test_a_reviewer_from_outside_the_schools_triad_is_refused(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    refused = _refusal(review, reviewer_from("school-d"), cycle)
    assert refused.code is RefusalCode.REVIEWER_NOT_A_PARTNER


def test_a_reviewer_cannot_be_assigned_to_the_same_review_twice(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    reviewer = reviewer_from("school-b")
    once = assign_reviewer(review, reviewer, cycle=cycle, cycle_reviews=())
    assert _refusal(once, reviewer, cycle).code is RefusalCode.REVIEWER_ALREADY_ASSIGNED


def test_a_reciprocal_review_is_refused_when_the_cycle_avoids_them(
    no_reciprocal: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    d_reviews_e = assign_reviewer(
        open_review(no_reciprocal, "review-e", "school-e"),
        reviewer_from("school-d"),
        cycle=no_reciprocal,
        cycle_reviews=(),
    )
    review_d = open_review(no_reciprocal, "review-d", "school-d")
    refused = _refusal(review_d, reviewer_from("school-e"), no_reciprocal, (d_reviews_e,))
    assert (refused.code, refused.details) == (RefusalCode.RECIPROCAL_REVIEW, ("review-e",))


def test_a_reciprocal_review_is_allowed_when_the_cycle_does_not_ask(
    cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    d_reviews_e = assign_reviewer(
        open_review(cycle, "review-e", "school-e"),
        reviewer_from("school-d"),
        cycle=cycle,
        cycle_reviews=(),
    )
    review_d = open_review(cycle, "review-d", "school-d")
    assigned = assign_reviewer(
        review_d, reviewer_from("school-e"), cycle=cycle, cycle_reviews=(d_reviews_e,)
    )
    assert [r.setting_id for r in assigned.reviewers] == ["school-e"]


def test_a_triad_reviews_round_the_circle_without_reciprocal_pairs(
    no_reciprocal: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    reviews: list[PeerReview] = []
    for reviewed, reviewing in (("a", "b"), ("b", "c"), ("c", "a")):
        review = open_review(no_reciprocal, f"review-{reviewed}", f"school-{reviewed}")
        reviews.append(
            assign_reviewer(
                review,
                reviewer_from(f"school-{reviewing}"),
                cycle=no_reciprocal,
                cycle_reviews=tuple(reviews),
            )
        )
    b_back_on_a = reviews[1]
    refused = _refusal(b_back_on_a, reviewer_from("school-a"), no_reciprocal, tuple(reviews))
    assert (refused.code, refused.details) == (RefusalCode.RECIPROCAL_REVIEW, ("review-a",))


def test_reviewers_cannot_be_added_once_the_visit_has_begun(
    review_at: ReviewAt, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    refused = _refusal(review_at(Stage.VISIT), reviewer_from("school-c"), cycle)
    assert (refused.code, refused.details) == (RefusalCode.WRONG_STAGE, ("visit",))


def test_a_review_from_another_cycle_is_refused(
    review: PeerReview, cycle: ReviewCycle, reviewer_from: ReviewerFrom
) -> None:
    other = cycle.evolve(cycle_id="cycle-thanet-2027")
    assert (
        _refusal(review, reviewer_from("school-b"), other).code is RefusalCode.REVIEW_NOT_IN_CYCLE
    )


def test_a_setting_outside_the_cycle_cannot_be_reviewed_in_it(cycle: ReviewCycle) -> None:
    with pytest.raises(ReviewRefused) as refused:
        open_review(cycle, "review-z", "school-z")
    assert (refused.value.code, refused.value.details) == (
        RefusalCode.SETTING_NOT_IN_CYCLE,
        ("school-z",),
    )


@pytest.mark.parametrize(
    "partnerships",
    [(("school-a",),), (("school-a", "school-b", "school-c", "school-d"),)],
    ids=["alone", "a-group-of-four"],
)
def test_partnerships_are_pairs_or_triads(partnerships: tuple[tuple[str, ...], ...]) -> None:
    with pytest.raises(ValidationError):
        ReviewCycle(
            cycle_id="cycle-1",
            community_id="cos-1",
            district=District.DOVER,
            partnerships=partnerships,
        )


def test_a_setting_cannot_be_in_two_partnerships() -> None:
    with pytest.raises(ValidationError, match="only one partnership"):
        ReviewCycle(
            cycle_id="cycle-1",
            community_id="cos-1",
            district=District.DOVER,
            partnerships=(("school-a", "school-b"), ("school-b", "school-c")),
        )


def test_a_cycle_belongs_to_the_area_of_its_district(cycle: ReviewCycle) -> None:
    assert cycle.area is Area.EAST
