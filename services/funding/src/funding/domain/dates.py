"""Calendar arithmetic the funding rules need: years back, months on, financial years."""

import calendar
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def _clamped(year: int, month: int, day: int) -> date:
    # 29 February has no twin in most years; the last day of the month stands in for it.
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February standing in for 29 February)."""
    return _clamped(day.year - years, day.month, day.day)


def months_after(day: date, months: int) -> date:
    """The same calendar day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    return _clamped(day.year + index // 12, index % 12 + 1, day.day)


def financial_year_of(day: date) -> str:
    """The April-March financial year a day falls in, written "2026-27"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


FIRST_YEAR, LAST_YEAR = 2000, 2099
"""The financial years the service keeps: from 2000-01 to 2099-00, so "-00" is never ambiguous."""


def _consecutive_years(value: str) -> str:
    start, end = value.split("-")
    if (int(start) + 1) % 100 != int(end):
        raise ValueError(f"{value} is not one April-March year, e.g. 2026-27")
    if not FIRST_YEAR <= int(start) <= LAST_YEAR:
        raise ValueError(f"{value} is not a financial year from {FIRST_YEAR} to {LAST_YEAR}")
    return value


FinancialYear = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}$", max_length=7),
    AfterValidator(_consecutive_years),
]
"""An April-March financial year, e.g. "2026-27", starting from 2000 to 2099."""
