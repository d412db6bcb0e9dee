"""Anonymised themes for Area Boards and the local authority: how many reviews named each area
of review as an area for development, published with small-number suppression.

Only issued reports count (a report is issued when its review moves on to the action plan); a
review counts once per area however many findings it has there, so the counts are of reviewed
settings, which is what suppression protects. The store counts by this rule in SQL, never
loading the reviews; here the counts are protected for publication.
"""

from collections.abc import Mapping

from inclusion_shared.disclosure import (
    PublishedCounts,
    PublishedTable,
    suppress_counts,
    suppress_table,
)
from inclusion_shared.kent import Area, District, districts_in
from reviews.domain.areas import ReviewArea
from reviews.domain.findings import FindingKind
from reviews.domain.stages import REPORT_ISSUED, Stage

COUNTED_STAGES: frozenset[Stage] = REPORT_ISSUED
"""The stages at which a review's report counts in themes: once it is issued."""

COUNTED_KIND = FindingKind.AREA_FOR_DEVELOPMENT
"""The findings themes count: areas for development, never strengths."""

AreaCounts = Mapping[ReviewArea, int]
"""Per area of review, how many reviews count in it (an area not given counts none)."""

DistrictCounts = Mapping[tuple[District, ReviewArea], int]
"""Per district and area of review, how many reviews count in it."""


def cycle_themes(counts: AreaCounts, *, threshold: int = 5) -> PublishedCounts:
    """One cycle's themes, for its Community of Schools: a protected list, in review order,
    with its total."""
    return suppress_counts(
        {area.value: counts.get(area, 0) for area in ReviewArea}, threshold=threshold
    )


def area_themes(area: Area, counts: DistrictCounts, *, threshold: int = 5) -> PublishedTable:
    """A Kent area's themes for its Area Board: areas of review by district, protected with row,
    column and grand totals. Every district of the area is a column; counts of other Kent
    areas' districts are left out."""
    rows = {
        review_area.value: {
            district.value: counts.get((district, review_area), 0)
            for district in districts_in(area)
        }
        for review_area in ReviewArea
    }
    return suppress_table(rows, threshold=threshold)
