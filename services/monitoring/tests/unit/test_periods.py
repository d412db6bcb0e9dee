"""Financial years run April to March and hold three terms, in order: summer, autumn, spring."""

from datetime import date

import pytest

from monitoring.domain.periods import Period, Term, financial_year_of, term_of, terms_up_to


def test_a_financial_year_runs_from_april_to_march() -> None:
    year = Period("2026-27")
    assert (year.starts, year.ends) == (date(2026, 4, 1), date(2027, 4, 1))
    assert financial_year_of(date(2027, 3, 31)) == "2026-27"
    assert financial_year_of(date(2027, 4, 1)) == "2027-28"


def test_a_financial_year_holds_three_whole_terms_in_order() -> None:
    terms = Period("2026-27").terms()
    assert [(t.term, t.starts, t.ends) for t in terms] == [
        (Term.SUMMER, date(2026, 4, 1), date(2026, 9, 1)),
        (Term.AUTUMN, date(2026, 9, 1), date(2027, 1, 1)),
        (Term.SPRING, date(2027, 1, 1), date(2027, 4, 1)),
    ]
    assert [term_of(date(2026, month, 1)) for month in (4, 8, 9, 12)] == [
        Term.SUMMER,
        Term.SUMMER,
        Term.AUTUMN,
        Term.AUTUMN,
    ]


def test_a_period_belongs_to_the_academic_year_it_ends_in() -> None:
    assert Period("2026-27").academic_year == "2026-27"
    assert Period("2026-27", Term.SUMMER).academic_year == "2025-26"
    assert Period("2026-27", Term.AUTUMN).academic_year == "2026-27"
    assert Period("2026-27", Term.SPRING).academic_year == "2026-27"


def test_the_trend_takes_the_terms_up_to_the_periods_end() -> None:
    labels = [t.short_label for t in terms_up_to(Period("2026-27", Term.SUMMER), 4)]
    assert labels == ["2025 summer", "2025 autumn", "2026 spring", "2026 summer"]


@pytest.mark.parametrize("year", ["2026", "2026-28", "26-27", "2026/27"])
def test_a_year_not_written_like_2026_27_is_refused(year: str) -> None:
    with pytest.raises(ValueError, match="2026-27"):
        Period(year)
