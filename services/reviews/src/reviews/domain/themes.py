"""Anonymised themes for Area Boards and the local authority: how many reviews named each area
of review as an area for development, published with small-number suppression.

Only issued reports count (a report is issued when its review moves on to the action plan); a
review counts once per area however many findings it has there, so the counts are of reviewed
settings, which is what suppression protects.
"""

from collections.abc import Iterable, Sequence

from inclusion_shared.disclosure import (
    PublishedCounts,
    PublishedTable,
    suppress_counts,
    suppress_table,
)
from inclusion_shared.kent import Area, districts_in
from reviews.domain.areas import ReviewArea
from reviews.domain.cycle import ReviewCycle
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import PeerReview
from reviews.domain.stages import REPORT_ISSUED


def development_counts(reviews: Iterable[PeerReview]) -> dict[ReviewArea, int]:
    """Per area of review, in review order, how many issued reports name it for development."""
    counts = dict.fromkeys(ReviewArea, 0)
    for review in reviews:
        if review.report is not None and review.stage in REPORT_ISSUED:
            for area in review.report.areas_for_development():
                counts[area] += 1
    return counts


def cycle_themes(
    cycle: ReviewCycle, reviews: Iterable[PeerReview], *, threshold: int = 5
) -> PublishedCounts:
    """One cycle's themes, for its Community of Schools: a protected list with its total."""
    chosen = tuple(reviews)
    strays = sorted(r.review_id for r in chosen if r.cycle_id != cycle.cycle_id)
    if strays:
        raise ReviewRefused(RefusalCode.REVIEW_NOT_IN_CYCLE, tuple(strays))
    counts = development_counts(chosen)
    return suppress_counts({area.value: n for area, n in counts.items()}, threshold=threshold)


def area_themes(
    area: Area,
    cycles: Sequence[ReviewCycle],
    reviews: Iterable[PeerReview],
    *,
    threshold: int = 5,
) -> PublishedTable:
    """A Kent area's themes for its Area Board: areas of review by district, protected with row,
    column and grand totals. Cycles and reviews of other Kent areas are left out."""
    district_of = {cycle.cycle_id: cycle.district for cycle in cycles}
    chosen = tuple(reviews)
    unknown = sorted({r.cycle_id for r in chosen} - district_of.keys())
    if unknown:
        raise ReviewRefused(RefusalCode.UNKNOWN_CYCLE, tuple(unknown))
    by_district = {
        district: development_counts(r for r in chosen if district_of[r.cycle_id] is district)
        for district in districts_in(area)
    }
    rows = {
        review_area.value: {
            district.value: by_district[district][review_area] for district in by_district
        }
        for review_area in ReviewArea
    }
    return suppress_table(rows, threshold=threshold)
