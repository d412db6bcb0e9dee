"""The stored roster of peer reviewers: who may review, from which setting, for what term,
trained when, declaring what interests. A KCC officer keeps it; a reviewer adds their own
declarations of interest. A review never brings its own reviewer: the coordinator names one
from the roster, and the roster says where they work, what they are and whether they may
review on the day."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from inclusion_shared.identifiers import PersonId
from inclusion_shared.kent import AREA_OF, Area, District
from reviews.domain.assignment import MOST_DECLARED_INTERESTS, Reviewer, ReviewerRole
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.values import DomainModel, PseudonymousId


def _each_once(settings: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(settings)) != len(settings):
        raise ValueError("an interest in a setting is declared once")
    return settings


DeclaredInterests = Annotated[
    tuple[PseudonymousId, ...],
    Field(max_length=MOST_DECLARED_INTERESTS),
    AfterValidator(_each_once),
]
"""Settings a reviewer declared an interest in (where they govern, have worked or have a
child), each once."""


class ReviewerTerms(DomainModel):
    """A reviewer's place on the roster as an officer sets it: the setting they work in (and its
    district), what they are there, their term as a reviewer, the day they completed reviewer
    training (none until they have), and the interests they declared."""

    setting_id: PseudonymousId
    district: District
    role: ReviewerRole
    term_from: date
    term_to: date
    trained_on: date | None = None
    declared_interests: DeclaredInterests = ()

    @model_validator(mode="after")
    def _term_runs_forwards(self) -> Self:
        if self.term_from > self.term_to:
            raise ValueError("a reviewer's term cannot end before it begins")
        return self


class EnrolledReviewer(ReviewerTerms):
    """One version of a reviewer's place on the roster: 1 when enrolled, one more for each
    change."""

    reviewer_id: PersonId
    version: Annotated[int, Field(strict=True, ge=1)]
    set_on: date

    @property
    def area(self) -> Area:
        return AREA_OF[self.district]

    def terms(self) -> ReviewerTerms:
        fields = set(ReviewerTerms.model_fields)
        return ReviewerTerms.model_validate(self.model_dump(include=fields))

    def not_eligible_on(self, day: date) -> str | None:
        """Why the reviewer may not review on the day (out of term, or not trained by then), or
        None when they may."""
        if not self.term_from <= day <= self.term_to:
            return "out_of_term"
        if self.trained_on is None or self.trained_on > day:
            return "untrained"
        return None


def enrol(
    current: EnrolledReviewer | None, reviewer_id: str, terms: ReviewerTerms, on: date
) -> EnrolledReviewer | None:
    """The reviewer's next version on the roster as an officer sets it, or None when nothing
    changes."""
    if current is not None and current.terms() == terms:
        return None
    version = 1 if current is None else current.version + 1
    return EnrolledReviewer.model_validate(
        {**dict(terms), "reviewer_id": reviewer_id, "version": version, "set_on": on}
    )


def declare_interest(
    enrolled: EnrolledReviewer, setting_id: str, on: date
) -> EnrolledReviewer | None:
    """The roster with the reviewer's own declaration of an interest in a setting, or None when
    they had declared it already."""
    if setting_id in enrolled.declared_interests:
        return None
    return enrolled.evolve(
        declared_interests=(*enrolled.declared_interests, setting_id),
        version=enrolled.version + 1,
        set_on=on,
    )


def reviewer_from_roster(enrolled: EnrolledReviewer | None, reviewer_id: str, on: date) -> Reviewer:
    """The reviewer as the roster has them on the day, to be assigned to a review; refused when
    they are not on the roster, or out of term or untrained on the day. Whether they may review
    this setting is the assignment's rule (``assign_reviewer``)."""
    if enrolled is None:
        raise ReviewRefused(RefusalCode.REVIEWER_NOT_ENROLLED, (reviewer_id,))
    why = enrolled.not_eligible_on(on)
    if why is not None:
        raise ReviewRefused(RefusalCode.REVIEWER_NOT_ELIGIBLE, (reviewer_id, why))
    return Reviewer(
        reviewer_id=enrolled.reviewer_id,
        setting_id=enrolled.setting_id,
        role=enrolled.role,
        trained=True,
        declared_interests=enrolled.declared_interests,
        roster_version=enrolled.version,
    )
