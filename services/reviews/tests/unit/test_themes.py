"""Area Boards and the local authority see anonymised themes: how many reviews named each area of
review for development, with small counts suppressed, secondary suppression included. (Which
reviews count, and how often, is the store's SQL: see the integration tests.)"""

from inclusion_shared.disclosure import Symbol
from inclusion_shared.kent import Area, District
from reviews.domain.areas import ReviewArea
from reviews.domain.themes import area_themes, cycle_themes

C = Symbol.SUPPRESSED
ASSESSMENT = ReviewArea.ASSESSMENT_AND_IDENTIFICATION
TEACHING = ReviewArea.TEACHING_AND_LEARNING
OUTCOMES = ReviewArea.OUTCOMES


def test_a_cycles_themes_suppress_a_small_count_and_the_next_smallest_with_it() -> None:
    published = cycle_themes({OUTCOMES: 6, ASSESSMENT: 5, TEACHING: 2})
    assert published.count(OUTCOMES) == 6
    assert published.count(TEACHING) is C
    assert published.count(ASSESSMENT) is C
    assert published.count(ReviewArea.QUALITY_OF_PROVISION) == 0
    assert published.total == 13
    assert published.labels == tuple(area.value for area in ReviewArea)


def test_an_area_boards_themes_suppress_small_counts_and_whatever_would_reveal_them() -> None:
    published = area_themes(
        Area.EAST,
        {
            (District.CANTERBURY, ASSESSMENT): 6,
            (District.CANTERBURY, TEACHING): 5,
            (District.SWALE, ASSESSMENT): 7,
            (District.SWALE, TEACHING): 6,
            (District.THANET, ASSESSMENT): 2,
            (District.THANET, TEACHING): 8,
        },
    )
    assert published.columns == ("canterbury", "swale", "thanet")
    assert published.row(ASSESSMENT).cells == (C, C, C)
    assert published.row(TEACHING).cells == (C, C, C)
    assert (published.row(ASSESSMENT).total, published.row(TEACHING).total) == (15, 19)
    assert published.column_totals == (11, 13, 10)
    assert published.grand_total == 34
    assert published.row(OUTCOMES).cells == (0, 0, 0)


def test_an_area_boards_themes_publish_counts_at_or_above_the_threshold() -> None:
    published = area_themes(
        Area.EAST,
        {
            (District.CANTERBURY, ASSESSMENT): 5,
            (District.SWALE, ASSESSMENT): 7,
            (District.THANET, ASSESSMENT): 6,
        },
    )
    assert published.row(ASSESSMENT).cells == (5, 7, 6)
    assert published.grand_total == 18


def test_counts_of_other_kent_areas_are_left_out() -> None:
    published = area_themes(
        Area.EAST, {(District.DOVER, ASSESSMENT): 9, (District.THANET, ASSESSMENT): 5}
    )
    assert published.row(ASSESSMENT).cells == (0, 0, 5)
    assert published.grand_total == 5
