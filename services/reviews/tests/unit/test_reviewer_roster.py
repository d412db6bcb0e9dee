"""The roster of peer reviewers: an officer enrols a reviewer with their setting, term,
training and declared interests; the same entry again changes nothing; a reviewer declares
their own interests; and a review takes a reviewer from the roster only when they are on it,
in term and trained on the day."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from reviews.domain.assignment import Reviewer, ReviewerRole, assign_reviewer
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import open_review
from reviews.domain.roster import (
    EnrolledReviewer,
    ReviewerTerms,
    declare_interest,
    enrol,
    reviewer_from_roster,
)

ENROLLED_ON = date(2026, 9, 1)
VISIT_SEASON = date(2026, 11, 2)
SENCO_B = person_id_for("senco-school-b")
"""School-b's SENCO, the reviewer on the roster."""


def _terms(**changes: Any) -> ReviewerTerms:
    fields: dict[str, Any] = {
        "setting_id": "school-b",
        "district": District.THANET,
        "role": ReviewerRole.SENCO,
        "term_from": date(2026, 9, 1),
        "term_to": date(2027, 8, 31),
        "trained_on": date(2026, 7, 10),
        "declared_interests": ("school-e",),
    }
    return ReviewerTerms.model_validate({**fields, **changes})


def _enrolled(**changes: Any) -> EnrolledReviewer:
    enrolled = enrol(None, SENCO_B, _terms(**changes), ENROLLED_ON)
    assert enrolled is not None
    return enrolled


def _refusal(enrolled: EnrolledReviewer | None, on: date = VISIT_SEASON) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as refused:
        reviewer_from_roster(enrolled, SENCO_B, on)
    return refused.value


def test_a_reviewer_enrolled_for_the_first_time_is_version_one() -> None:
    enrolled = _enrolled()
    assert (enrolled.reviewer_id, enrolled.version, enrolled.set_on) == (
        SENCO_B,
        1,
        ENROLLED_ON,
    )
    assert enrolled.terms() == _terms()
    assert enrolled.area is Area.EAST


def test_the_same_entry_again_changes_nothing() -> None:
    assert enrol(_enrolled(), SENCO_B, _terms(), date(2026, 10, 1)) is None


def test_a_changed_entry_is_the_next_version() -> None:
    changed = enrol(
        _enrolled(), SENCO_B, _terms(role=ReviewerRole.SENIOR_LEADER), date(2026, 10, 1)
    )
    assert changed is not None
    assert (changed.version, changed.role, changed.set_on) == (
        2,
        ReviewerRole.SENIOR_LEADER,
        date(2026, 10, 1),
    )


def test_a_term_cannot_end_before_it_begins() -> None:
    with pytest.raises(ValidationError, match="cannot end before it begins"):
        _terms(term_from=date(2027, 1, 1), term_to=date(2026, 12, 31))


def test_an_interest_is_declared_once_in_an_entry() -> None:
    with pytest.raises(ValidationError, match="declared once"):
        _terms(declared_interests=("school-a", "school-a"))


def test_a_reviewer_declaring_an_interest_makes_the_next_version() -> None:
    declared = declare_interest(_enrolled(), "school-a", date(2026, 10, 5))
    assert declared is not None
    assert (declared.declared_interests, declared.version, declared.set_on) == (
        ("school-e", "school-a"),
        2,
        date(2026, 10, 5),
    )


def test_an_interest_declared_again_changes_nothing() -> None:
    assert declare_interest(_enrolled(), "school-e", date(2026, 10, 5)) is None


def test_a_reviewer_in_term_and_trained_is_assigned_as_the_roster_has_them(
    cycle: ReviewCycle,
) -> None:
    reviewer = reviewer_from_roster(_enrolled(), SENCO_B, VISIT_SEASON)

    assert reviewer == Reviewer(
        reviewer_id=SENCO_B,
        setting_id="school-b",
        role=ReviewerRole.SENCO,
        trained=True,
        declared_interests=("school-e",),
        roster_version=1,
    )
    review = open_review(cycle, "review-a", "school-a")
    assert assign_reviewer(review, reviewer, cycle=cycle, cycle_reviews=()).reviewers == (reviewer,)


def test_a_reviewer_not_on_the_roster_is_refused() -> None:
    refused = _refusal(None)
    assert (refused.code, refused.details) == (
        RefusalCode.REVIEWER_NOT_ENROLLED,
        (SENCO_B,),
    )


@pytest.mark.parametrize(
    ("changes", "on", "why"),
    [
        ({}, date(2026, 8, 31), "out_of_term"),
        ({}, date(2027, 9, 1), "out_of_term"),
        ({"trained_on": None}, VISIT_SEASON, "untrained"),
        ({"trained_on": date(2026, 11, 3)}, VISIT_SEASON, "untrained"),
    ],
    ids=["before-the-term", "after-the-term", "never-trained", "trained-the-day-after"],
)
def test_a_reviewer_out_of_term_or_untrained_on_the_day_is_not_eligible(
    changes: dict[str, Any], on: date, why: str
) -> None:
    refused = _refusal(_enrolled(**changes), on)
    assert (refused.code, refused.details) == (
        RefusalCode.REVIEWER_NOT_ELIGIBLE,
        (SENCO_B, why),
    )


def test_a_reviewer_is_eligible_on_the_first_and_last_days_of_their_term_and_training() -> None:
    enrolled = _enrolled(trained_on=date(2026, 9, 1))
    for day in (date(2026, 9, 1), date(2027, 8, 31)):
        assert reviewer_from_roster(enrolled, SENCO_B, day).roster_version == 1


def test_an_interest_on_the_roster_keeps_the_reviewer_off_that_schools_review(
    cycle: ReviewCycle,
) -> None:
    declared = declare_interest(_enrolled(), "school-a", date(2026, 10, 5))
    assert declared is not None
    reviewer = reviewer_from_roster(declared, SENCO_B, VISIT_SEASON)
    with pytest.raises(ReviewRefused) as refused:
        assign_reviewer(
            open_review(cycle, "review-a", "school-a"), reviewer, cycle=cycle, cycle_reviews=()
        )
    assert refused.value.code is RefusalCode.REVIEWER_DECLARED_CONFLICT
