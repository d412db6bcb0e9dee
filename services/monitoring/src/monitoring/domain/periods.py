"""Periods figures are reported for: the April-March financial year, and its three terms.

Terms are runs of whole months, so that each financial year holds exactly three of them, in
order: summer (April to August), autumn (September to December), spring (January to March).
School terms end at Easter and in July; months are the finest grain the model keeps, and a
figure counted by month can be added up by term without splitting a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class Term(StrEnum):
    SUMMER = "summer"
    AUTUMN = "autumn"
    SPRING = "spring"


TERM_MONTHS: dict[Term, tuple[int, int]] = {
    Term.SUMMER: (4, 9),
    Term.AUTUMN: (9, 13),
    Term.SPRING: (1, 4),
}
"""Each term's first month and the month after its last (13 standing for next January)."""

TERM_NAMES = {
    Term.SUMMER: "summer term (April to August)",
    Term.AUTUMN: "autumn term (September to December)",
    Term.SPRING: "spring term (January to March)",
}


def financial_year_of(day: date) -> str:
    """The April-March financial year a day falls in, written "2026-27"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def first_year(year: str) -> int:
    """2026 for "2026-27"; ValueError for anything else."""
    found = FINANCIAL_YEAR.match(year)
    if found is None or (int(found[1]) + 1) % 100 != int(found[2]):
        raise ValueError(f"{year!r} is not a year written like 2026-27")
    return int(found[1])


def term_of(day: date) -> Term:
    return next(term for term, (first, after) in TERM_MONTHS.items() if first <= day.month < after)


@dataclass(frozen=True, order=True)
class Period:
    """A financial year, or one term of it: the months from ``starts`` up to ``ends``."""

    year: str
    term: Term | None = None

    def __post_init__(self) -> None:
        first_year(self.year)

    @property
    def starts(self) -> date:
        start = first_year(self.year)
        if self.term is None:
            return date(start, 4, 1)
        first = TERM_MONTHS[self.term][0]
        return date(start + 1 if self.term is Term.SPRING else start, first, 1)

    @property
    def ends(self) -> date:
        """The first day after the period."""
        start = first_year(self.year)
        if self.term is None or self.term is Term.SPRING:
            return date(start + 1, 4, 1)
        return date(start, 9, 1) if self.term is Term.SUMMER else date(start + 1, 1, 1)

    def holds(self, month: date) -> bool:
        return self.starts <= month < self.ends

    @property
    def academic_year(self) -> str:
        """The September-August academic year the period's last month falls in."""
        last = month_before(self.ends)
        start = last.year if last.month >= 9 else last.year - 1
        return f"{start}-{(start + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.term is None:
            return f"financial year {self.year}"
        return f"{TERM_NAMES[self.term]} of {self.year}"

    @property
    def short_label(self) -> str:
        if self.term is None:
            return self.year
        return f"{self.starts.year} {self.term.value}"

    def terms(self) -> tuple[Period, ...]:
        """The year's three terms in order (a term is its own only term)."""
        if self.term is not None:
            return (self,)
        return tuple(Period(self.year, term) for term in Term)


def month_before(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def term_containing(month: date) -> Period:
    return Period(financial_year_of(month), term_of(month))


def terms_up_to(period: Period, count: int) -> tuple[Period, ...]:
    """The ``count`` terms ending with the period's last term, oldest first."""
    last = period.terms()[-1]
    found = [last]
    while len(found) < count:
        found.append(term_containing(month_before(found[-1].starts)))
    return tuple(reversed(found))


def up_to(period: Period, today: date) -> Period:
    """The period, or (when it ends after today's term) today's term: where a trend of what
    has happened ends."""
    current = term_containing(date(today.year, today.month, 1))
    return current if period.terms()[-1].starts > current.starts else period
