"""Year groups and the phases they fall in."""

from datetime import date
from enum import IntEnum, StrEnum

from placements.domain.dates import academic_year_of, first_year


class YearGroup(IntEnum):
    """National curriculum year groups, numbered so that a year on is one more.

    `EARLY_YEARS` is the final pre-school year, the one before Reception. A younger pre-school
    child is recorded as early years too; only the final year matters for transfer deadlines.
    """

    EARLY_YEARS = -1
    RECEPTION = 0
    YEAR_1 = 1
    YEAR_2 = 2
    YEAR_3 = 3
    YEAR_4 = 4
    YEAR_5 = 5
    YEAR_6 = 6
    YEAR_7 = 7
    YEAR_8 = 8
    YEAR_9 = 9
    YEAR_10 = 10
    YEAR_11 = 11
    YEAR_12 = 12
    YEAR_13 = 13
    YEAR_14 = 14


class Phase(StrEnum):
    """Education phase, a coarse attribute events may carry."""

    EARLY_YEARS = "early-years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post-16"


def phase_of(year_group: YearGroup) -> Phase:
    """The phase a year group belongs to: Reception-6 primary, 7-11 secondary, 12+ post-16."""
    if year_group is YearGroup.EARLY_YEARS:
        return Phase.EARLY_YEARS
    if year_group <= YearGroup.YEAR_6:
        return Phase.PRIMARY
    if year_group <= YearGroup.YEAR_11:
        return Phase.SECONDARY
    return Phase.POST_16


def year_group_on(year_group: YearGroup, known_on: date, on: date) -> YearGroup:
    """The year group a child in `year_group` on `known_on` is in on `on`.

    Children move up a year each 1 September; past Year 14 they stay in Year 14.
    """
    years_on = first_year(academic_year_of(on)) - first_year(academic_year_of(known_on))
    return YearGroup(max(YearGroup.EARLY_YEARS, min(YearGroup.YEAR_14, year_group + years_on)))
