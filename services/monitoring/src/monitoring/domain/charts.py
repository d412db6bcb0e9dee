"""Trend charts: published figures term by term, for a place and, beside it, for Kent, laid out
as line charts the pages draw as SVG on the server.

A chart shows nothing its trend tables do not: every point is a published value, so a
suppressed cell is a gap in its line, named with its reason, and the chart's own data table
(and CSV) holds those same values. The layout is worked out here, in numbers, so the template
only writes them down and a test can read a chart without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from inclusion_shared.disclosure import Symbol
from monitoring.domain.places import KENT, Level, Scope
from monitoring.domain.tables import Column, FigureTable, Unit, Value

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 40, 16, 56
"""The chart's size and margins, in the SVG's own units (it scales to the page)."""
DASHES = ("", "8 5", "2 4", "12 4 2 4")
MARKERS = ("circle", "square", "triangle", "diamond")
"""Each line's dash pattern and point marker, so lines differ without colour."""


@dataclass(frozen=True)
class Line:
    """One line of a chart: a column of a figure's trend table."""

    figure: str
    column: str
    label: str


@dataclass(frozen=True)
class Headline:
    """A chart of the dashboard: what it answers, and the lines that answer it."""

    id: str
    title: str
    lines: tuple[Line, ...]
    compare: bool = False
    """Whether a narrower place's first line is drawn against Kent's."""


HEADLINES: tuple[Headline, ...] = (
    Headline(
        "twenty-week-plans",
        "EHC plans issued within 20 weeks",
        (
            Line("placements-assessments", "met-percent", "all plans"),
            Line("placements-assessments", "met-percent-excluding", "excluding exceptions"),
        ),
        compare=True,
    ),
    Headline(
        "consultation-replies",
        "Consultations answered within 15 days",
        (Line("placements-consultations", "on-time-percent", "answered within 15 days"),),
        compare=True,
    ),
    Headline(
        "funding-decisions",
        "Funding decisions and challenges overturned",
        (
            Line("funding-decisions", "decisions", "funding decisions (HNF, SENIF, DAF)"),
            Line("funding-challenges", "overturned", "challenges overturned"),
        ),
    ),
    Headline(
        "placements-started",
        "Placements started: mainstream and specialist",
        (
            Line("placements-started", "mainstream", "mainstream"),
            Line("placements-started", "specialist", "specialist (SRP and special school)"),
        ),
    ),
    Headline(
        "you-said-we-did",
        '"You said, we did" actions published',
        (Line("feedback-actions", "actions", "actions published"),),
    ),
)
HEADLINE = {headline.id: headline for headline in HEADLINES}


@dataclass(frozen=True)
class Point:
    period: str
    """The term's short label (a trend table's row key)."""
    value: Value
    x: float
    y: float | None
    """None for a symbol: the line has a gap here."""


@dataclass(frozen=True)
class Drawn:
    """A line as it is to be drawn: from which trend table, under which label."""

    line: Line
    table: FigureTable
    place: str = ""
    """The place's name, for a chart with lines for two places."""
    kent: bool = False
    """Kent's line, drawn beside a narrower place's for comparison."""

    @property
    def label(self) -> str:
        return f"{self.place}, {self.line.label}" if self.place else self.line.label


@dataclass(frozen=True)
class Series:
    label: str
    place: str
    column: Column
    points: tuple[Point, ...]
    style: int
    kent: bool = False

    @property
    def dashes(self) -> str:
        return DASHES[self.style % len(DASHES)]

    @property
    def marker(self) -> str:
        return MARKERS[self.style % len(MARKERS)]

    def runs(self) -> list[list[Point]]:
        """The unbroken stretches of the line: a gap at every unpublished point."""
        found: list[list[Point]] = [[]]
        for point in self.points:
            if point.y is None:
                found.append([])
            else:
                found[-1].append(point)
        return [run for run in found if run]

    def gaps(self) -> list[Point]:
        return [point for point in self.points if point.y is None]

    def gaps_by_symbol(self) -> list[tuple[Symbol, list[str]]]:
        """The terms not drawn, grouped by why: [(c, ["2025 summer", ...]), (z, [...])]."""
        found: dict[Symbol, list[str]] = {}
        for point in self.gaps():
            assert isinstance(point.value, Symbol)
            found.setdefault(point.value, []).append(point.period)
        return list(found.items())


@dataclass(frozen=True)
class Tick:
    value: Decimal
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    summary: tuple[str, ...]
    periods: tuple[tuple[str, str, float], ...]
    """Each term: its key, its label, and where it sits along the x axis."""
    series: tuple[Series, ...]
    ticks: tuple[Tick, ...]
    unit: Unit
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.series

    @property
    def baseline(self) -> float:
        return float(HEIGHT - BOTTOM)

    def value(self, series: Series, period: str) -> Value:
        return next(point.value for point in series.points if point.period == period)


def headline_chart(
    headline: Headline,
    trends: dict[str, FigureTable],
    scope: Scope,
    kent: dict[str, FigureTable] | None = None,
) -> Chart:
    """A headline chart for a place, from its figures' trend tables; with Kent's (when the
    viewer sees Kent and the place is narrower) its first line is drawn again for Kent."""
    lines = [Drawn(line, trends[line.figure], scope.name) for line in headline.lines]
    if headline.compare and kent is not None and scope.level is not Level.KENT:
        first = headline.lines[0]
        lines.append(Drawn(first, kent[first.figure], KENT.name, kent=True))
    return chart(headline.id, headline.title, lines, scope)


def figure_chart(table: FigureTable, column: str, scope: Scope) -> Chart:
    """The chart of one figure's trend table: its chart column, term by term."""
    label = next((c.label for c in table.columns if c.key == column), column)
    line = Line(table.figure, column, label)
    return chart(f"trend-{table.figure}", label, [Drawn(line, table)], scope)


def chart(chart_id: str, title: str, lines: list[Drawn], scope: Scope) -> Chart:
    drawn = [d for d in lines if d.table.columns]
    notes = tuple(dict.fromkeys(n for d in lines if not d.table.columns for n in d.table.notes))
    if not drawn:
        return Chart(chart_id, title, "", (), (), (), (), Unit.COUNT, notes)
    rows = drawn[0].table.rows
    step = (WIDTH - LEFT - RIGHT) / max(len(rows) - 1, 1)
    periods = tuple((row.key, row.label, LEFT + n * step) for n, row in enumerate(rows))
    columns = [_column(d.table, d.line.column) for d in drawn]
    unit = columns[0].unit
    values = [d.table.value(key, d.line.column) for d in drawn for key, _, _ in periods]
    ticks = _ticks(unit, [v for v in values if not isinstance(v, Symbol)])
    top = ticks[-1].value

    def point(d: Drawn, key: str, x: float) -> Point:
        value = d.table.value(key, d.line.column)
        return Point(key, value, x, None if isinstance(value, Symbol) else _y(Decimal(value), top))

    series = tuple(
        Series(
            d.label,
            d.place or scope.name,
            column,
            tuple(point(d, key, x) for key, _, x in periods),
            style,
            d.kent,
        )
        for style, (d, column) in enumerate(zip(drawn, columns, strict=True))
    )
    compared = ", with Kent for comparison" if any(s.kent for s in series) else ""
    description = (
        f"Line chart: {title}, by term from the {_lower(periods[0][1])} to the "
        f"{_lower(periods[-1][1])}, for {scope.name}{compared}."
    )
    return Chart(
        chart_id,
        title,
        description,
        _summary(series, periods),
        periods,
        series,
        ticks,
        unit,
        notes,
    )


def _column(table: FigureTable, key: str) -> Column:
    return next(column for column in table.columns if column.key == key)


def _y(value: Decimal, top: Decimal) -> float:
    height = HEIGHT - TOP - BOTTOM
    share = value / top if top > 0 else Decimal(0)
    return float(HEIGHT - BOTTOM - share * height)


def _ticks(unit: Unit, values: list[int | Decimal]) -> tuple[Tick, ...]:
    """0 to 100 for percentages; otherwise four equal steps of a round size (1, 2 or 5 times a
    power of ten) reaching at least the largest value."""
    if unit is Unit.PERCENT:
        step = Decimal(25)
    else:
        largest = max((Decimal(v) for v in values), default=Decimal(0))
        step = Decimal(1)
        while step * 4 < largest:
            step = (
                next(
                    step * m
                    for m in (Decimal(2), Decimal("2.5"), Decimal(2))
                    if step * m * 4 >= largest
                )
                if False
                else _next_step(step)
            )
    top = step * 4
    suffix = "%" if unit is Unit.PERCENT else ""
    return tuple(Tick(step * n, _y(step * n, top), f"{int(step * n):,}{suffix}") for n in range(5))


def _next_step(step: Decimal) -> Decimal:
    """1, 2, 5, 10, 20, 50, ..."""
    return step * (Decimal("2.5") if str(step.normalize())[0] == "2" else Decimal(2))


def _lower(label: str) -> str:
    """A term's label inside a sentence: "summer term (April to August) of 2026-27"."""
    return label[:1].lower() + label[1:]


def _written(value: Value, column: Column) -> str:
    if isinstance(value, Symbol):
        return value.value
    return f"{value}%" if column.unit is Unit.PERCENT else f"{value:,}"


def _summary(
    series: tuple[Series, ...], periods: tuple[tuple[str, str, float], ...]
) -> tuple[str, ...]:
    """What the chart shows, in sentences: each line's first and latest published values, its
    range, and what is not published; and the place against Kent in the latest term both
    publish."""
    labels = {key: _lower(label) for key, label, _ in periods}
    said = []
    for line in series:
        published = [p for p in line.points if not isinstance(p.value, Symbol)]
        if not published:
            said.append(f"{line.label}: nothing published for these terms.")
            continue
        first, latest = published[0], published[-1]
        text = f"{line.label}: {_written(latest.value, line.column)} in the {labels[latest.period]}"
        if latest is not first:
            text += f", from {_written(first.value, line.column)} in the {labels[first.period]}"
            numbers = [p.value for p in published]
            low, high = min(numbers), max(numbers)
            text += f" (lowest {_written(low, line.column)}, highest {_written(high, line.column)})"
        gaps = len(line.gaps())
        if gaps:
            text += f"; no figure for {gaps} term{'s' if gaps > 1 else ''}"
        said.append(text + ".")
    place = [s for s in series if not s.kent]
    kent = [s for s in series if s.kent]
    if place and kent:
        both = [
            (mine, theirs)
            for mine, theirs in zip(place[0].points, kent[0].points, strict=True)
            if not isinstance(mine.value, Symbol) and not isinstance(theirs.value, Symbol)
        ]
        if both:
            mine, theirs = both[-1]
            said.append(
                f"In the {labels[mine.period]}, {place[0].place} "
                f"{_written(mine.value, place[0].column)} against Kent "
                f"{_written(theirs.value, kent[0].column)}."
            )
    return tuple(said)
