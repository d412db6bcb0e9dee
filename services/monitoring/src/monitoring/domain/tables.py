"""Publishing a figure: the model's tallies for a scope and period become a table whose every
count has been through the kit's disclosure control, and whose derived columns (percentages,
means, amounts) are worked out only from what is published.

Each block of a figure is protected as one table by ``inclusion_shared.disclosure``: counts
below 5 are ``c``, with secondary suppression so that no row or column total reveals them.
A derived figure is ``c`` whenever a count it rests on is, so it can never give one back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from inclusion_shared.disclosure import Published, Symbol, percentage, suppress_table
from monitoring.domain.periods import Period, first_year, terms_up_to
from monitoring.domain.places import NOT_KNOWN, Level, Place, Scope, place_name

SMALLEST_PUBLISHED_COUNT = 5
TREND_TERMS = 6

Value = int | Decimal | Symbol
"""A published figure: a count, a derived number, or a symbol (c, k, z)."""


@dataclass(frozen=True)
class Tally:
    """How many facts of one kind the model holds for one place and month, and the sum of the
    measure that goes with them (days to decision, pence committed). ``category`` is a place
    table's column, or a category table's row; ``measure`` is a category table's column."""

    place: Place
    category: str
    month: date
    count: int
    amount: int = 0
    measure: str = ""


class Shape(StrEnum):
    PLACES = "places"
    """One row per place one level down (drill-down); columns are categories."""
    CATEGORIES = "categories"
    """One row per category (a need, a theme, a status) for the scope; columns are measures."""


class Timing(StrEnum):
    MONTH = "month"
    """Counted in the period its date falls in."""
    FINANCIAL_YEAR = "financial-year"
    """Held per financial year (budgets): a term shows its whole year."""
    ACADEMIC_YEAR = "academic-year"
    """Held per academic year (capacity): a period shows the academic year it ends in."""


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    POUNDS = "pounds"
    DAYS = "days"
    RATIO = "ratio"


@dataclass(frozen=True)
class Block:
    """Columns that add up to a total, protected together as one table."""

    columns: tuple[tuple[str, str], ...] | None
    """(code, label) of each column, or None for whatever codes the data holds."""
    total: tuple[str, str] | None = None
    """(key, label) of the block's total column, if it is shown."""
    summable: bool = True
    """False where one fact counts in several columns or rows, so a total means nothing."""


@dataclass(frozen=True)
class Derived:
    """A column worked out from a row's published counts (and the true sums behind them)."""

    key: str
    label: str
    unit: Unit
    compute: Callable[[RowFigures], Value]
    formula: str


@dataclass
class RowFigures:
    """One row while it is built: published counts by column, and the true counts and sums."""

    published: dict[str, Published] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    amounts: dict[str, int] = field(default_factory=dict)


class Column(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    unit: Unit = Unit.COUNT
    derived: bool = False


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    drill: str | None = None
    values: tuple[Value, ...]


class FigureTable(BaseModel):
    """A published table: what the page shows and the downloads hold."""

    model_config = ConfigDict(frozen=True)

    figure: str
    caption: str
    scope: str
    period: str
    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row | None
    notes: tuple[str, ...] = ()

    def value(self, row: str, column: str) -> Value:
        index = [c.key for c in self.columns].index(column)
        found = self.total if row == "total" else next(r for r in self.rows if r.key == row)
        assert found is not None
        return found.values[index]


@dataclass(frozen=True)
class Figure:
    """One monitored figure: what it counts, how it is laid out and published."""

    id: str
    service: str
    title: str
    source: str
    shape: Shape
    blocks: tuple[Block, ...]
    row_heading: str = "Place"
    rows: tuple[tuple[str, str], ...] | None = None
    """A category table's rows (code, label), or None for whatever codes the data holds."""
    derived: tuple[Derived, ...] = ()
    timing: Timing = Timing.MONTH
    finest: Level = Level.COMMUNITY
    finest_because: str = ""
    chart: str | None = None
    """The column key whose values the chart draws (a block's total, usually)."""

    def columns(self, found: Iterable[str]) -> list[tuple[Block, tuple[tuple[str, str], ...]]]:
        codes = sorted(set(found))
        return [
            (block, block.columns or tuple((code, code) for code in codes)) for block in self.blocks
        ]


def in_period(figure: Figure, month: date, period: Period) -> bool:
    if figure.timing is Timing.MONTH:
        return period.holds(month)
    if figure.timing is Timing.FINANCIAL_YEAR:
        return month == date(first_year(period.year), 4, 1)
    return month == date(first_year(period.academic_year), 9, 1)


def period_note(figure: Figure, period: Period) -> str | None:
    if figure.timing is Timing.FINANCIAL_YEAR and period.term is not None:
        return f"Held per financial year: this is the whole of {period.year}."
    if figure.timing is Timing.ACADEMIC_YEAR:
        year = period.academic_year
        return f"Held per academic year: this is {year}, the year {period.label} ends in."
    return None


def publish(
    figure: Figure,
    tallies: Sequence[Tally],
    scope: Scope,
    period: Period,
    names: Mapping[str, str] | None = None,
) -> FigureTable:
    """The figure for one scope and period, every count protected; ``names``: what people
    call each Community of Schools, for their rows (a community without one shows its code)."""
    notes = [note for note in (period_note(figure, period),) if note]
    if scope.level > figure.finest:
        notes.append(f"Not published for a {scope.level.name.lower()}: {figure.finest_because}")
        return _empty(figure, scope, period, notes)
    chosen = [
        t
        for t in tallies
        if in_period(figure, t.month, period)
        and (figure.finest is Level.KENT or scope.contains(t.place))
    ]
    if figure.shape is Shape.PLACES:
        row_level = Level(min(scope.rows_level, figure.finest))
        if row_level < scope.rows_level and scope.level is not Level.COMMUNITY:
            notes.append(f"Not broken down further: {figure.finest_because}")
        rows = _place_rows(scope, row_level, chosen, names or {})
        keyed = [(t.place.at(row_level) or NOT_KNOWN, t.category, t) for t in chosen]
        if row_level == scope.level:
            keyed = [(scope.code, category, t) for _, category, t in keyed]
    else:
        rows = figure.rows or tuple((code, code) for code in sorted({t.category for t in chosen}))
        keyed = [(t.category, t.measure, t) for t in chosen]
    return _table(figure, scope, period, rows, keyed, notes)


def trend(figure: Figure, tallies: Sequence[Tally], scope: Scope, period: Period) -> FigureTable:
    """The figure's totals for the scope, term by term, for the terms up to the period's end.

    Each term is protected on its own, as that term's own table is: a sum over six terms
    would mean nothing, so the trend has no total row, and a small count in one term takes
    no other term's figures with it."""
    terms = terms_up_to(period, TREND_TERMS)
    notes: list[str] = []
    if figure.timing is not Timing.MONTH or scope.level > figure.finest:
        notes.append("No trend by term: this figure is not counted by month for this place.")
        return _empty(figure, scope, period, notes, row_heading="Term")
    keyed: dict[str, list[tuple[str, str, Tally]]] = {term.short_label: [] for term in terms}
    for t in tallies:
        if not (figure.finest is Level.KENT or scope.contains(t.place)):
            continue
        term = next((term for term in terms if term.holds(t.month)), None)
        if term is not None:
            column = t.category if figure.shape is Shape.PLACES else t.measure
            keyed[term.short_label].append((term.short_label, column, t))
    # Every term's table has the same columns: those of whatever any term holds.
    every = [k for found in keyed.values() for k in found]
    rows = []
    for term in terms:
        row = ((term.short_label, term.label[:1].upper() + term.label[1:]),)
        alone = _table(
            figure,
            scope,
            period,
            row,
            keyed[term.short_label],
            [],
            drill=False,
            codes=[column for _, column, _ in every],
        )
        rows.append(alone.rows[0])
        columns = alone.columns
    caption = f"{figure.title}: {scope.name}, by term to the end of the {period.label}"
    return FigureTable(
        figure=figure.id,
        caption=caption,
        scope=str(scope),
        period=period.label,
        row_heading="Term",
        columns=columns,
        rows=tuple(rows),
        total=None,
        notes=("Each term's figures are protected on their own, as that term's table is.",),
    )


def _place_rows(
    scope: Scope, level: Level, tallies: Sequence[Tally], names: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    if level == scope.level:
        return ((scope.code, scope.name),)
    expected = scope.expected_rows()
    found = {t.place.at(level) or NOT_KNOWN for t in tallies}
    extra = sorted(found - set(expected) - {NOT_KNOWN})
    codes = [*expected, *extra, *([NOT_KNOWN] if NOT_KNOWN in found else [])]
    # Areas and districts by their names; Communities of Schools by theirs, else their codes.
    if level < Level.COMMUNITY:
        return tuple((code, place_name(code)) for code in codes)
    return tuple(
        (code, place_name(code) if code == NOT_KNOWN else names.get(code, code)) for code in codes
    )


def _empty(
    figure: Figure, scope: Scope, period: Period, notes: list[str], row_heading: str | None = None
) -> FigureTable:
    return FigureTable(
        figure=figure.id,
        caption=_caption(figure, scope, period),
        scope=str(scope),
        period=period.label,
        row_heading=row_heading or figure.row_heading,
        columns=(),
        rows=(),
        total=None,
        notes=tuple(notes),
    )


def _caption(figure: Figure, scope: Scope, period: Period) -> str:
    return f"{figure.title}: {scope.name}, {period.label}"


def _table(
    figure: Figure,
    scope: Scope,
    period: Period,
    rows: Sequence[tuple[str, str]],
    keyed: Sequence[tuple[str, str, Tally]],
    notes: list[str],
    *,
    drill: bool = True,
    codes: Iterable[str] | None = None,
) -> FigureTable:
    """Protect each block over the rows, then add the derived columns, row by row. The
    columns of a block with no fixed columns are the codes ``keyed`` holds (or ``codes``)."""
    row_keys = [key for key, _ in rows]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    for row, column, tally in keyed:
        counts[(row, column)] += tally.count
        amounts[(row, column)] += tally.amount
    figures: dict[str, RowFigures] = {key: RowFigures() for key in [*row_keys, "total"]}
    for (row, column), count in counts.items():
        if row not in row_keys:
            continue
        for key in (row, "total"):
            found = figures[key]
            found.counts[column] = found.counts.get(column, 0) + count
            found.amounts[column] = found.amounts.get(column, 0) + amounts[(row, column)]
    columns: list[Column] = []
    codes_found = codes if codes is not None else (column for _, column, _ in keyed)
    for block, block_columns in figure.columns(codes_found):
        codes = [code for code, _ in block_columns]
        protected = suppress_table(
            {row: {code: counts.get((row, code), 0) for code in codes} for row in row_keys},
            threshold=SMALLEST_PUBLISHED_COUNT,
        )
        columns += [Column(key=code, label=label) for code, label in block_columns]
        for published_row in protected.rows:
            figures[published_row.label].published.update(
                zip(codes, published_row.cells, strict=True)
            )
        # A table with no rows (a district nothing was counted in) totals zero everywhere.
        totals = protected.column_totals if row_keys else (0,) * len(codes)
        figures["total"].published.update(
            zip(codes, totals, strict=True)
            if block.summable
            else dict.fromkeys(codes, Symbol.NOT_APPLICABLE).items()
        )
        if block.total is not None:
            columns.append(Column(key=block.total[0], label=block.total[1]))
            for published_row in protected.rows:
                figures[published_row.label].published[block.total[0]] = published_row.total
            figures["total"].published[block.total[0]] = protected.grand_total if row_keys else 0
    for derived in figure.derived:
        columns.append(
            Column(key=derived.key, label=derived.label, unit=derived.unit, derived=True)
        )

    def row_of(key: str, label: str) -> Row:
        found = figures[key]
        values: list[Value] = [
            found.published.get(column.key, Symbol.NOT_APPLICABLE)
            for column in columns
            if not column.derived
        ]
        values += [derived.compute(found) for derived in figure.derived]
        child = (
            scope.child(key)
            if drill and figure.shape is Shape.PLACES and key != scope.code
            else None
        )
        return Row(key=key, label=label, drill=str(child) if child else None, values=tuple(values))

    return FigureTable(
        figure=figure.id,
        caption=_caption(figure, scope, period),
        scope=str(scope),
        period=period.label,
        row_heading=figure.row_heading,
        columns=tuple(columns),
        rows=tuple(row_of(key, label) for key, label in rows),
        total=row_of("total", "Total"),
        notes=tuple(notes),
    )


# Derived columns. Each rests on published counts: ``c`` if any of them is suppressed.


def _published_sum(row: RowFigures, keys: Iterable[str]) -> int | Symbol:
    total = 0
    for key in keys:
        value = row.published.get(key, 0)
        if not isinstance(value, int):
            return Symbol.SUPPRESSED if value is Symbol.SUPPRESSED else Symbol.NOT_APPLICABLE
        total += value
    return total


def share(numerator: Sequence[str], denominator: Sequence[str]) -> Callable[[RowFigures], Value]:
    """The published count of ``numerator`` columns as a percentage of the ``denominator``
    columns' (whole percent): ``c`` when a count is suppressed or the base is under 5, ``z``
    when there is no base."""

    def compute(row: RowFigures) -> Value:
        top, base = _published_sum(row, numerator), _published_sum(row, denominator)
        if base == 0 or base is Symbol.NOT_APPLICABLE:
            return Symbol.NOT_APPLICABLE
        if not isinstance(top, int) or not isinstance(base, int):
            return Symbol.SUPPRESSED
        return percentage(top, base, minimum=SMALLEST_PUBLISHED_COUNT)

    return compute


def total_of(columns: Sequence[str]) -> Callable[[RowFigures], Value]:
    """The sum of published counts: ``c`` when any of them is suppressed."""

    def compute(row: RowFigures) -> Value:
        return _published_sum(row, columns)

    return compute


def mean(columns: Sequence[str]) -> Callable[[RowFigures], Value]:
    """The mean of the measure over the columns' facts (one decimal place), published only
    where their counts are."""

    def compute(row: RowFigures) -> Value:
        published = _published_sum(row, columns)
        if published == 0 or published is Symbol.NOT_APPLICABLE:
            return Symbol.NOT_APPLICABLE
        if not isinstance(published, int):
            return Symbol.SUPPRESSED
        total = sum(row.amounts.get(key, 0) for key in columns)
        return (Decimal(total) / published).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return compute


def ratio(numerator: str, denominator: str) -> Callable[[RowFigures], Value]:
    """One published count per unit of another (two decimal places)."""

    def compute(row: RowFigures) -> Value:
        top, base = _published_sum(row, [numerator]), _published_sum(row, [denominator])
        if base == 0 or base is Symbol.NOT_APPLICABLE:
            return Symbol.NOT_APPLICABLE
        if not isinstance(top, int) or not isinstance(base, int):
            return Symbol.SUPPRESSED
        return (Decimal(top) / base).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    return compute


def pounds(
    amount: Callable[[Mapping[str, int]], int], *, behind: Sequence[str] = ()
) -> Callable[[RowFigures], Value]:
    """A sum of money in whole pounds. Money that follows from counted facts (``behind``) is
    published only where their counts are: a sum of fewer than 5 awards is ``c``."""

    def compute(row: RowFigures) -> Value:
        count = _published_sum(row, behind)
        if not isinstance(count, int):
            return Symbol.SUPPRESSED
        return (Decimal(amount(row.amounts)) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return compute
