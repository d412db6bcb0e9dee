"""Disclosure control: the one way every service publishes counts without identifying anyone.

Symbols follow UK official statistics:

- ``c`` suppressed: a count from 1 to ``threshold - 1`` (primary suppression), or a count withheld
  so that a suppressed one cannot be worked out from totals (secondary suppression). Published
  tables never say which suppressions are primary, since that alone would reveal a small count.
- ``k`` a figure that is not zero but rounds to zero at the published precision (a 0.3% shown to
  whole percent, or a count of 2 when counts are rounded to 5 and the threshold allows it).
  domain.md's "a true zero that rounds is `k`" is read this way: ``k`` tells a reader the figure
  is *not* a true zero. A true zero is published as ``0``; it is not suppressed, because it names
  nobody.
- ``z`` not applicable: a cell that cannot exist, or a percentage of no respondents.

A table is protected as a grid that includes its totals: the last row holds the column totals, the
last column the row totals, the corner the grand total. Every row and every column of that grid
is a line whose cells add up to its last entry, so the totals are protected by the same rule as
the cells. Secondary suppression repeats two steps until neither applies:

1. a line with exactly one suppressed entry would reveal it by subtraction, so the smallest other
   entry of that line is suppressed too (non-zero before zero, cells before totals);
2. lines can also be combined: two blocks of suppressed cells joined by one cell reveal that cell
   by adding and subtracting whole rows and columns, although every line holds two suppressed
   entries. Such a cell is a bridge in the graph whose nodes are the lines and whose edges are the
   suppressed entries, so another entry is suppressed to close a cycle through it.

When neither applies, no suppressed entry is a linear combination of published figures.
Totals are published unless they are small themselves or needed to protect a cell.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Symbol(StrEnum):
    """What is shown instead of a number."""

    SUPPRESSED = "c"
    ROUNDS_TO_ZERO = "k"
    NOT_APPLICABLE = "z"


Published = int | Symbol
"""A published figure: an exact (or rounded) count, or a symbol."""

Position = tuple[int, int]


class _Publication(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: int
    rounded_to: int | None


class PublishedCounts(_Publication):
    """A protected list of counts with its total, in the order given."""

    labels: tuple[str, ...]
    counts: tuple[Published, ...]
    total: Published

    def count(self, label: str) -> Published:
        """The published figure for one label."""
        return self.counts[self.labels.index(label)]


class PublishedRow(BaseModel):
    """One row of a protected table: its cells in column order, and its total."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    cells: tuple[Published, ...]
    total: Published


class PublishedTable(_Publication):
    """A protected table with row, column and grand totals."""

    columns: tuple[str, ...]
    rows: tuple[PublishedRow, ...]
    column_totals: tuple[Published, ...]
    grand_total: Published

    def row(self, label: str) -> PublishedRow:
        """The published row with this label."""
        return next(row for row in self.rows if row.label == label)

    def cell(self, row: str, column: str) -> Published:
        """The published figure in one row and column."""
        return self.row(row).cells[self.columns.index(column)]

    def column_total(self, column: str) -> Published:
        """The published total of one column."""
        return self.column_totals[self.columns.index(column)]


def suppress_counts(
    counts: Mapping[str, int | None], *, threshold: int = 5, round_to: int | None = None
) -> PublishedCounts:
    """Publish a list of counts and its total, suppressing small counts and whatever would reveal
    them. ``None`` is a count that does not apply (``z``). Optionally rounds published counts to
    the nearest ``round_to`` (the total from the true counts, so it may differ from the sum)."""
    _check_options(threshold, round_to)
    labels = tuple(counts)
    cells = [counts[label] for label in labels]
    _check_counts(cells)
    line = [*cells, _total(cells)]
    values = {(0, k): value for k, value in enumerate(line)}
    total_at = (0, len(cells))

    def totals_in(position: Position) -> int:
        return int(position == total_at)

    hidden = _protect(values, [list(values)], totals_in, threshold, bridges=False)
    shown = [_shown(value, (0, k) in hidden, round_to) for k, value in enumerate(line)]
    return PublishedCounts(
        threshold=threshold,
        rounded_to=round_to,
        labels=labels,
        counts=tuple(shown[:-1]),
        total=shown[-1],
    )


def suppress_table(
    rows: Mapping[str, Mapping[str, int | None]],
    *,
    threshold: int = 5,
    round_to: int | None = None,
) -> PublishedTable:
    """Publish a table of counts with row, column and grand totals, suppressing small counts
    (cells and totals alike) and, secondarily, whatever would let them be worked out.

    Every row must have the same columns; ``None`` is a cell that does not apply (``z``). Columns
    are published in the order of the first row. Optionally rounds published figures to the
    nearest ``round_to``; totals are rounded from the true counts.
    """
    _check_options(threshold, round_to)
    labels = tuple(rows)
    columns = tuple(rows[labels[0]]) if labels else ()
    for label in labels:
        if set(rows[label]) != set(columns):
            raise ValueError(f"row {label!r} does not have the same columns as the first row")
    cells = [[rows[label][column] for column in columns] for label in labels]
    for row in cells:
        _check_counts(row)
    values = _grid(cells, len(columns))
    last_row, last_column = len(labels), len(columns)
    lines = [[(i, j) for j in range(last_column + 1)] for i in range(last_row + 1)] + [
        [(i, j) for i in range(last_row + 1)] for j in range(last_column + 1)
    ]

    def totals_in(position: Position) -> int:
        return (position[0] == last_row) + (position[1] == last_column)

    hidden = _protect(values, lines, totals_in, threshold, bridges=True)

    def shown(i: int, j: int) -> Published:
        return _shown(values[(i, j)], (i, j) in hidden, round_to)

    return PublishedTable(
        threshold=threshold,
        rounded_to=round_to,
        columns=columns,
        rows=tuple(
            PublishedRow(
                label=label,
                cells=tuple(shown(i, j) for j in range(last_column)),
                total=shown(i, last_column),
            )
            for i, label in enumerate(labels)
        ),
        column_totals=tuple(shown(last_row, j) for j in range(last_column)),
        grand_total=shown(last_row, last_column),
    )


def percentage(
    numerator: int, respondents: int, *, minimum: int = 30, decimals: int = 0
) -> Decimal | Symbol:
    """A survey percentage, published only from at least ``minimum`` respondents.

    No respondents is ``z`` (there is nothing to take a percentage of); fewer than ``minimum`` is
    ``c``; a non-zero share that rounds to zero at ``decimals`` places is ``k``. Rounds half up.
    """
    if minimum < 1 or decimals < 0:
        raise ValueError("minimum must be at least 1 and decimals not negative")
    if not 0 <= numerator <= respondents:
        raise ValueError("the numerator must be between 0 and the number of respondents")
    if respondents == 0:
        return Symbol.NOT_APPLICABLE
    if respondents < minimum:
        return Symbol.SUPPRESSED
    share = (Decimal(numerator) * 100 / Decimal(respondents)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    return Symbol.ROUNDS_TO_ZERO if share == 0 and numerator > 0 else share


def _check_options(threshold: int, round_to: int | None) -> None:
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    if round_to is not None and round_to < 1:
        raise ValueError("round_to must be at least 1")


def _check_counts(counts: Sequence[int | None]) -> None:
    if any(count is not None and count < 0 for count in counts):
        raise ValueError("counts cannot be negative")


def _total(values: Sequence[int | None]) -> int | None:
    """The sum of the values that apply; not applicable when none of several apply."""
    present = [value for value in values if value is not None]
    return sum(present) if present or not values else None


def _grid(cells: list[list[int | None]], width: int) -> dict[Position, int | None]:
    with_row_totals = [[*row, _total(row)] for row in cells]
    totals_row = [_total([row[j] for row in with_row_totals]) for j in range(width + 1)]
    return {
        (i, j): value
        for i, row in enumerate([*with_row_totals, totals_row])
        for j, value in enumerate(row)
    }


def _protect(
    values: Mapping[Position, int | None],
    lines: list[list[Position]],
    totals_in: Callable[[Position], int],
    threshold: int,
    *,
    bridges: bool,
) -> set[Position]:
    """The entries to suppress: small ones, then complements until none can be worked out."""
    hidden = {p for p, value in values.items() if value is not None and 0 < value < threshold}

    def preference(position: Position) -> tuple[bool, int, int, Position]:
        value = values[position] or 0
        return (value == 0, totals_in(position), value, position)

    while True:
        candidates = _lone_line_complements(values, lines, hidden)
        if not candidates and bridges:
            candidates = _bridge_complements(values, hidden)
        if not candidates:
            return hidden
        hidden.add(min(candidates, key=preference))


def _lone_line_complements(
    values: Mapping[Position, int | None], lines: list[list[Position]], hidden: set[Position]
) -> list[Position]:
    """Entries that could protect the first line with exactly one suppressed entry."""
    for line in lines:
        if sum(position in hidden for position in line) == 1:
            return [p for p in line if p not in hidden and values[p] is not None]
    return []


def _bridge_complements(
    values: Mapping[Position, int | None], hidden: set[Position]
) -> list[Position]:
    """Entries that would put the first bridge on a cycle, so no combination of lines reveals it.

    Called only when no line holds exactly one suppressed entry. Rows are nodes ``("r", i)`` and
    columns ``("c", j)``; a suppressed entry joins its row and its column.
    """
    found = _bridges(hidden)
    if not found:
        return []
    bridge = min(found)
    rest = hidden - {bridge}
    side = dict.fromkeys(_reachable(("r", bridge[0]), rest), "a")
    side |= dict.fromkeys(_reachable(("c", bridge[1]), rest), "b")
    free = [p for p, value in values.items() if p not in hidden and value is not None]
    crossing = [(i, j) for i, j in free if {side.get(("r", i)), side.get(("c", j))} == {"a", "b"}]
    if crossing:
        return crossing
    # Every crossing entry is not applicable: reach the totals column, whose entries always
    # apply, so that a crossing entry exists on a later pass.
    last_column = max(j for _, j in values)
    return [(i, j) for i, j in free if j == last_column and ("r", i) in side]


Node = tuple[str, int]


def _adjacency(edges: set[Position]) -> dict[Node, list[tuple[Node, Position]]]:
    adjacency: dict[Node, list[tuple[Node, Position]]] = defaultdict(list)
    for i, j in sorted(edges):
        adjacency[("r", i)].append((("c", j), (i, j)))
        adjacency[("c", j)].append((("r", i), (i, j)))
    return adjacency


def _reachable(start: Node, edges: set[Position]) -> set[Node]:
    adjacency = _adjacency(edges)
    seen, queue = {start}, deque([start])
    while queue:
        for neighbour, _ in adjacency[queue.popleft()]:
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    return seen


def _bridges(edges: set[Position]) -> list[Position]:
    """Edges on no cycle (Tarjan's bridge-finding, iterative so large tables cannot overflow)."""
    adjacency = _adjacency(edges)
    order: dict[Node, int] = {}
    low: dict[Node, int] = {}
    found: list[Position] = []
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, (-1, -1), iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for neighbour, edge in neighbours:
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                    continue
                order[neighbour] = low[neighbour] = len(order)
                stack.append((neighbour, edge, iter(adjacency[neighbour])))
                break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)
    return found


def _shown(value: int | None, hidden: bool, round_to: int | None) -> Published:
    if value is None:
        return Symbol.NOT_APPLICABLE
    if hidden:
        return Symbol.SUPPRESSED
    if round_to is None:
        return value
    rounded = (value + round_to // 2) // round_to * round_to
    return Symbol.ROUNDS_TO_ZERO if rounded == 0 and value > 0 else rounded
