"""The report records strengths and areas for development per area of review, each with its
evidence. Nothing is graded; estimates only where the cycle turns them on."""

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.findings import (
    AreaEstimate,
    Estimate,
    Finding,
    FindingKind,
    Report,
    write_report,
)
from reviews.domain.review import PeerReview
from reviews.domain.stages import Stage

ReviewAt = Callable[[Stage], PeerReview]

STRENGTH = Finding(
    finding_id="finding-1",
    area=ReviewArea.QUALITY_OF_PROVISION,
    kind=FindingKind.STRENGTH,
    summary="Interventions are matched to need and reviewed each half term.",
    evidence=("doc-provision-map-1",),
)
FOR_DEVELOPMENT = Finding(
    finding_id="finding-2",
    area=ReviewArea.EFFICIENT_USE_OF_RESOURCES,
    kind=FindingKind.AREA_FOR_DEVELOPMENT,
    summary="Teaching assistant deployment is not evaluated for impact.",
    evidence=("doc-visit-notes-1", "doc-staffing-1"),
)
ESTIMATE = AreaEstimate(area=ReviewArea.QUALITY_OF_PROVISION, estimate=Estimate.ESTABLISHED)


@pytest.fixture
def drafting(review_entering: ReviewAt) -> PeerReview:
    return review_entering(Stage.WRITTEN_REPORT)


def test_the_report_records_strengths_and_areas_for_development_with_their_evidence(
    drafting: PeerReview, cycle: ReviewCycle
) -> None:
    report = write_report(drafting, cycle, (STRENGTH, FOR_DEVELOPMENT)).report
    assert report == Report(findings=(STRENGTH, FOR_DEVELOPMENT))
    assert report.areas_for_development() == {ReviewArea.EFFICIENT_USE_OF_RESOURCES}
    assert report.estimates == ()


def test_a_draft_report_can_be_rewritten_before_it_is_issued(
    drafting: PeerReview, cycle: ReviewCycle
) -> None:
    first = write_report(drafting, cycle, (STRENGTH,))
    assert write_report(first, cycle, (FOR_DEVELOPMENT,)).report == Report(
        findings=(FOR_DEVELOPMENT,)
    )


def test_an_issued_report_cannot_be_rewritten(review_at: ReviewAt, cycle: ReviewCycle) -> None:
    with pytest.raises(ReviewRefused) as refused:
        write_report(review_at(Stage.ACTION_PLAN), cycle, (STRENGTH,))
    assert refused.value.code is RefusalCode.WRONG_STAGE


def test_estimates_are_refused_unless_the_cycle_turns_them_on(
    drafting: PeerReview, cycle: ReviewCycle
) -> None:
    with pytest.raises(ReviewRefused) as refused:
        write_report(drafting, cycle, (STRENGTH,), (ESTIMATE,))
    assert (refused.value.code, refused.value.details) == (
        RefusalCode.ESTIMATES_NOT_TURNED_ON,
        ("cycle-thanet-2026",),
    )


def test_estimates_are_recorded_when_the_cycle_turns_them_on(
    drafting: PeerReview, cycle: ReviewCycle
) -> None:
    with_estimates = cycle.evolve(estimates_turned_on=True)
    report = write_report(drafting, with_estimates, (STRENGTH,), (ESTIMATE,)).report
    assert report is not None
    assert report.estimates == (ESTIMATE,)


def test_a_report_carries_no_grade() -> None:
    with pytest.raises(ValidationError, match="grade"):
        Finding.model_validate({**STRENGTH.model_dump(), "grade": "outstanding"})
    with pytest.raises(ValidationError, match="grade"):
        Report.model_validate({"findings": (STRENGTH,), "grade": 2})


def test_a_finding_without_evidence_is_refused() -> None:
    with pytest.raises(ValidationError, match="evidence"):
        Finding.model_validate({**STRENGTH.model_dump(), "evidence": ()})


def test_a_report_without_findings_is_refused(drafting: PeerReview, cycle: ReviewCycle) -> None:
    with pytest.raises(ValidationError, match="findings"):
        write_report(drafting, cycle, ())


def test_an_area_has_at_most_one_estimate() -> None:
    with pytest.raises(ValidationError, match="one estimate per area"):
        Report(
            findings=(STRENGTH,),
            estimates=(ESTIMATE, ESTIMATE.evolve(estimate=Estimate.EMERGING)),
        )


def test_finding_ids_are_distinct() -> None:
    with pytest.raises(ValidationError, match="distinct"):
        Report(findings=(STRENGTH, FOR_DEVELOPMENT.evolve(finding_id="finding-1")))


def test_a_report_written_for_another_cycle_is_refused(
    drafting: PeerReview, cycle: ReviewCycle
) -> None:
    with pytest.raises(ReviewRefused) as refused:
        write_report(drafting, cycle.evolve(cycle_id="cycle-other"), (STRENGTH,))
    assert refused.value.code is RefusalCode.REVIEW_NOT_IN_CYCLE
