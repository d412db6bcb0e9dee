"""The written report: strengths and areas for development per area of review, each with its
evidence. No grades; estimates per area only where the cycle has turned them on."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import Field, model_validator

from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.stages import Stage, require_stage
from reviews.domain.values import MOST_EVIDENCE, DomainModel, PseudonymousId, Summary

if TYPE_CHECKING:
    from reviews.domain.review import PeerReview

MOST_FINDINGS = 100
"""Findings in one report: strengths and areas for development in eight areas of review, a
dozen in each at most."""


class FindingKind(StrEnum):
    """A finding is a strength or an area for development; nothing is graded."""

    STRENGTH = "strength"
    AREA_FOR_DEVELOPMENT = "area-for-development"


class Finding(DomainModel):
    """One finding in one area, with the ids of the evidence it rests on (at least one)."""

    finding_id: PseudonymousId
    area: ReviewArea
    kind: FindingKind
    summary: Summary
    evidence: Annotated[tuple[PseudonymousId, ...], Field(min_length=1, max_length=MOST_EVIDENCE)]


class Estimate(StrEnum):
    """How established practice in an area looks to the reviewers. An estimate, not a grade."""

    EMERGING = "emerging"
    DEVELOPING = "developing"
    ESTABLISHED = "established"
    EMBEDDED = "embedded"


class AreaEstimate(DomainModel):
    """The reviewers' estimate for one area."""

    area: ReviewArea
    estimate: Estimate


class Report(DomainModel):
    """The report the reviewed setting owns."""

    findings: Annotated[tuple[Finding, ...], Field(min_length=1, max_length=MOST_FINDINGS)]
    estimates: Annotated[tuple[AreaEstimate, ...], Field(max_length=len(ReviewArea))] = ()

    @model_validator(mode="after")
    def _ids_and_areas_are_distinct(self) -> Self:
        ids = [finding.finding_id for finding in self.findings]
        if len(set(ids)) != len(ids):
            raise ValueError("finding ids must be distinct")
        areas = [estimate.area for estimate in self.estimates]
        if len(set(areas)) != len(areas):
            raise ValueError("at most one estimate per area")
        return self

    def areas_for_development(self) -> frozenset[ReviewArea]:
        """The areas in which the report names at least one area for development."""
        return frozenset(
            f.area for f in self.findings if f.kind is FindingKind.AREA_FOR_DEVELOPMENT
        )


def write_report(
    review: PeerReview,
    cycle: ReviewCycle,
    findings: Sequence[Finding],
    estimates: Sequence[AreaEstimate] = (),
) -> PeerReview:
    """Write (or rewrite, while it is a draft) the review's report.

    Refuses estimates unless the cycle has turned them on.
    """
    require_stage(review.stage, Stage.WRITTEN_REPORT)
    if review.cycle_id != cycle.cycle_id:
        raise ReviewRefused(RefusalCode.REVIEW_NOT_IN_CYCLE, (review.review_id,))
    if estimates and not cycle.estimates_turned_on:
        raise ReviewRefused(RefusalCode.ESTIMATES_NOT_TURNED_ON, (cycle.cycle_id,))
    return review.evolve(report=Report(findings=tuple(findings), estimates=tuple(estimates)))
