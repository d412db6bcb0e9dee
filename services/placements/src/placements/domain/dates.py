"""Calendar arithmetic for placements: academic years (from 1 September) and months back.

Every period here is in calendar days: weekends and holidays count.
"""

import calendar
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, TypeAdapter

ACADEMIC_YEAR_STARTS = (9, 1)
"""An academic year runs from 1 September to 31 August."""


def _consecutive_years(value: str) -> str:
    start, end = value.split("-")
    if (int(start) + 1) % 100 != int(end):
        raise ValueError(f"{value} is not one September-August year, e.g. 2026-27")
    return value


AcademicYear = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}$"), AfterValidator(_consecutive_years)
]
"""A September-August academic year, e.g. "2026-27"."""

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
