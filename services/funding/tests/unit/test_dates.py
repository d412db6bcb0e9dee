"""Calendar arithmetic behind the two-year training rule and the review interval."""

from datetime import date

import pytest

from funding.domain.dates import months_after, years_before


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 10, 5), date(2024, 10, 5)), (date(2028, 2, 29), date(2026, 2, 28))],
    ids=["ordinary_day", "leap_day"],
)
def test_two_years_before_is_the_same_calendar_day(day: date, expected: date) -> None:
    assert years_before(day, 2) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 10, 1), 12, date(2027, 10, 1)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
    ids=["a_year_on", "short_month", "over_year_end_into_february", "over_year_end"],
)
def test_months_after_clamps_to_the_end_of_a_shorter_month(
    day: date, months: int, expected: date
) -> None:
    assert months_after(day, months) == expected
