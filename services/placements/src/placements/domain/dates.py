"""Calendar arithmetic for placements: academic years (from 1 September) and months back.

Every period here is in calendar days: weekends and holidays count.
"""

import calendar
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, TypeAdapter

ACADEMIC_YEAR_STARTS = (9, 1)
"""An academic year runs from 1 September to 31 August."""


FIRST_RECORDED, LAST_RECORDED = 2000, 2099
"""The academic years requests and places are recorded for: 2000-01 to 2099-00, so "-00" is
never ambiguous. Years worked out from them (the year a child leaves in) may lie beyond."""


def _consecutive_years(value: str) -> str:
    start, end = value.split("-")
    if (int(start) + 1) % 100 != int(end):
        raise ValueError(f"{value} is not one September-August year, e.g. 2026-27")
    if not 1 <= int(start) < 9999:
        raise ValueError(f"{value} has days the calendar does not hold")
    return value


def _recorded(value: str) -> str:
    if not FIRST_RECORDED <= int(value.split("-")[0]) <= LAST_RECORDED:
        raise ValueError(f"{value} is not a year from {FIRST_RECORDED} to {LAST_RECORDED}")
    return value


AcademicYear = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}$", max_length=7),
    AfterValidator(_consecutive_years),
]
"""A September-August academic year, e.g. "2026-27"."""

RecordedAcademicYear = Annotated[AcademicYear, AfterValidator(_recorded)]
"""An academic year a request or a setting's places are recorded for, from 2000-01 to 2099-00."""

_ACADEMIC_YEAR: TypeAdapter[str] = TypeAdapter(AcademicYear)


def academic_year_of(day: date) -> str:
    """The academic year a day falls in, written "2026-27"."""
    start = day.year if (day.month, day.day) >= ACADEMIC_YEAR_STARTS else day.year - 1
    return academic_year_starting(start)


def academic_year_starting(year: int) -> str:
    """The academic year that starts on 1 September of `year`."""
    return f"{year}-{(year + 1) % 100:02d}"


def first_year(academic_year: str) -> int:
    """The calendar year an academic year starts in: 2026 for "2026-27".

    Raises a validation error for anything not written like "2026-27".
    """
    return int(_ACADEMIC_YEAR.validate_python(academic_year).split("-")[0])


def months_before(day: date, months: int) -> date:
    """The same calendar day `months` earlier, clamped to the end of a shorter month.

    Clamping moves the day earlier, never later, so "at least N months before" still holds.
    """
    index = day.month - 1 - months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
