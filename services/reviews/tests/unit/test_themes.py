"""Area Boards and the local authority see anonymised themes: how many reviews named each area of
review for development, with small counts suppressed, secondary suppression included."""

import pytest

from inclusion_shared.disclosure import Symbol
from inclusion_shared.kent import Area, District
from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.findings import Finding, FindingKind, Report
from reviews.domain.review import PeerReview
from reviews.domain.stages import Stage
from reviews.domain.themes import area_themes, cycle_themes, development_counts

C = Symbol.SUPPRESSED
ASSESSMENT = ReviewArea.ASSESSMENT_AND_IDENTIFICATION
TEACHING = ReviewArea.TEACHING_AND_LEARNING
OUTCOMES = ReviewArea.OUTCOMES


def _cycle(cycle_id: str, district: District) -> ReviewCycle:
    return ReviewCycle(
        cycle_id=cycle_id,
        community_id=f"cos-{district.value}",
        district=district,
        partnerships=(("school-1", "school-2"),),
    )


def _review(
    n: int, cycle: ReviewCycle, *for_development: ReviewArea, stage: Stage = Stage.ACTION_PLAN
) -> PeerReview:
    """An issued review naming each given area once for development, and one strength."""
    findings = [
        Finding(
            finding_id="finding-strength",
            area=ReviewArea.LEADERSHIP,
            kind=FindingKind.STRENGTH,
            summary="Leaders know their pupils with SEND well.",
            evidence=("doc-1",),
        )
    ] + [
        Finding(
            finding_id=f"finding-{k}",
            area=area,
            kind=FindingKind.AREA_FOR_DEVELOPMENT,
            summary="To develop.",
            evidence=("doc-1",),
        )
        for k, area in enumerate(for_development)
    ]
    return PeerReview(
        review_id=f"review-{cycle.cycle_id}-{n}",
        cycle_id=cycle.cycle_id,
        setting_id=f"school-{n}",
        stage=stage,
        report=Report(findings=tuple(findings)),
    )


def _reviews(cycle: ReviewCycle, *groups: tuple[int, tuple[ReviewArea, ...]]) -> list[PeerReview]:
    """`(how_many, areas)` groups: that many reviews, each naming those areas for development."""
    reviews: list[PeerReview] = []
    for how_many, areas in groups:
        reviews += [_review(len(reviews) + k, cycle, *areas) for k in range(how_many)]
    return reviews


THANET = _cycle("cycle-thanet", District.THANET)
SWALE = _cycle("cycle-swale", District.SWALE)
CANTERBURY = _cycle("cycle-canterbury", District.CANTERBURY)
DOVER = _cycle("cycle-dover", District.DOVER)


def test_a_review_counts_once_per_area_however_many_findings_name_it() -> None:
    counts = development_counts([_review(1, THANET, ASSESSMENT, ASSESSMENT, TEACHING)])
    assert (counts[ASSESSMENT], counts[TEACHING], counts[OUTCOMES]) == (1, 1, 0)
    assert list(counts) == list(ReviewArea)


@pytest.mark.parametrize("stage", [Stage.WRITTEN_REPORT, Stage.VISIT])
def test_only_issued_reports_count(stage: Stage) -> None:
    assert development_counts([_review(1, THANET, ASSESSMENT, stage=stage)])[ASSESSMENT] == 0


@pytest.mark.parametrize("stage", [Stage.ACTION_PLAN, Stage.FOLLOW_UP, Stage.CLOSED])
def test_a_report_counts_from_the_day_it_is_issued(stage: Stage) -> None:
    assert development_counts([_review(1, THANET, ASSESSMENT, stage=stage)])[ASSESSMENT] == 1


def test_a_cycles_themes_suppress_a_small_count_and_the_next_smallest_with_it() -> None:
    reviews = _reviews(
        THANET, (5, (OUTCOMES, ASSESSMENT)), (1, (OUTCOMES, TEACHING)), (1, (TEACHING,))
    )
    published = cycle_themes(THANET, reviews)
    assert published.count(OUTCOMES) == 6
    assert published.count(TEACHING) is C
    assert published.count(ASSESSMENT) is C
    assert published.count(ReviewArea.QUALITY_OF_PROVISION) == 0
    assert published.total == 13
    assert published.labels == tuple(area.value for area in ReviewArea)


def test_a_cycles_themes_refuse_reviews_from_another_cycle() -> None:
    with pytest.raises(ReviewRefused) as refused:
        cycle_themes(THANET, [_review(1, SWALE, ASSESSMENT)])
    assert (refused.value.code, refused.value.details) == (
        RefusalCode.REVIEW_NOT_IN_CYCLE,
        ("review-cycle-swale-1",),
    )


def test_an_area_boards_themes_suppress_small_counts_and_whatever_would_reveal_them() -> None:
    reviews = [
        *_reviews(CANTERBURY, (5, (ASSESSMENT, TEACHING)), (1, (ASSESSMENT,))),
        *_reviews(SWALE, (6, (ASSESSMENT, TEACHING)), (1, (ASSESSMENT,))),
        *_reviews(THANET, (2, (ASSESSMENT, TEACHING)), (6, (TEACHING,))),
    ]
    published = area_themes(Area.EAST, [CANTERBURY, SWALE, THANET, DOVER], reviews)
    assert published.columns == ("canterbury", "swale", "thanet")
    assert published.row(ASSESSMENT).cells == (C, C, C)
    assert published.row(TEACHING).cells == (C, C, C)
    assert (published.row(ASSESSMENT).total, published.row(TEACHING).total) == (15, 19)
    assert published.column_totals == (11, 13, 10)
    assert published.grand_total == 34
    assert published.row(OUTCOMES).cells == (0, 0, 0)


def test_an_area_boards_themes_publish_counts_at_or_above_the_threshold() -> None:
    reviews = [
        *_reviews(CANTERBURY, (5, (ASSESSMENT,))),
        *_reviews(SWALE, (7, (ASSESSMENT,))),
        *_reviews(THANET, (6, (ASSESSMENT,))),
    ]
    published = area_themes(Area.EAST, [CANTERBURY, SWALE, THANET], reviews)
    assert published.row(ASSESSMENT).cells == (5, 7, 6)
    assert published.grand_total == 18


def test_reviews_of_other_kent_areas_are_left_out() -> None:
    reviews = [*_reviews(DOVER, (9, (ASSESSMENT,))), *_reviews(THANET, (5, (ASSESSMENT,)))]
    published = area_themes(Area.EAST, [THANET, DOVER], reviews)
    assert published.row(ASSESSMENT).cells == (0, 0, 5)
    assert published.grand_total == 5


def test_reviews_of_a_cycle_not_given_are_refused() -> None:
    with pytest.raises(ReviewRefused) as refused:
        area_themes(Area.EAST, [THANET], [_review(1, SWALE, ASSESSMENT)])
    assert (refused.value.code, refused.value.details) == (
        RefusalCode.UNKNOWN_CYCLE,
        ("cycle-swale",),
    )


def test_published_themes_name_no_setting_and_no_review() -> None:
    reviews = _reviews(THANET, (7, (ASSESSMENT,)), (2, (TEACHING,)))
    text = area_themes(Area.EAST, [THANET], reviews).model_dump_json()
    text += cycle_themes(THANET, reviews).model_dump_json()
    assert "school-" not in text
    assert "review-" not in text
    assert "cycle-" not in text
