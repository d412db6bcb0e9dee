"""Disclosure control: small counts are suppressed, and nothing suppressed can be worked out from
what is published, whether from one line or by combining rows and columns."""

import ast
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_shared.disclosure import (
    Published,
    PublishedCounts,
    PublishedTable,
    Symbol,
    percentage,
    suppress_counts,
    suppress_table,
)

C = Symbol.SUPPRESSED
Position = tuple[int, int]
Grid = list[list[Published]]
Table = dict[str, dict[str, int | None]]

# Mostly small counts, so that most tables need primary and secondary suppression.
counts = st.one_of(st.integers(0, 4), st.integers(0, 40))


@st.composite
def tables(draw: st.DrawFn, *, not_applicable: bool = False) -> Table:
    height, width = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    cell = st.one_of(counts, st.none()) if not_applicable else counts
    return {f"row-{i}": {f"col-{j}": draw(cell) for j in range(width)} for i in range(height)}


def _true_grid(table: Table) -> list[list[int | None]]:
    """The table with its totals, worked out here independently of the module under test."""

    def total(values: list[int | None]) -> int | None:
        present = [value for value in values if value is not None]
        return sum(present) if present else None

    rows = [[*row.values(), total(list(row.values()))] for row in table.values()]
    return [*rows, [total([row[j] for row in rows]) for j in range(len(rows[0]))]]


def _published_grid(published: PublishedTable) -> Grid:
    rows: Grid = [[*row.cells, row.total] for row in published.rows]
    return [*rows, [*published.column_totals, published.grand_total]]


def _lines(grid: Grid) -> list[list[Position]]:
    """Every row and column of the grid; the last entry of each is its total."""
    height, width = len(grid), len(grid[0])
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    return rows + [[(i, j) for i in range(height)] for j in range(width)]


def _revealed_by_one_line(grid: Grid) -> list[list[Position]]:
    """Lines with exactly one suppressed entry: subtracting the others from the total (or adding
    the cells up, when the total is the one suppressed) recovers it exactly."""
    return [line for line in _lines(grid) if sum(grid[i][j] is C for i, j in line) == 1]


def _revealed_by_combining_lines(grid: Grid) -> set[Position]:
    """Suppressed entries that some combination of the line equations pins down exactly.

    Each line says: cells minus total equals zero. With the published figures moved to the right,
    an unknown is determined exactly when its unit vector lies in the row space of the unknowns'
    coefficients, which exact Gaussian elimination decides.
    """
    unknowns = [(i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if value is C]
    index = {position: k for k, position in enumerate(unknowns)}
    basis: list[tuple[int, list[Fraction]]] = []

    def reduce(vector: list[Fraction]) -> list[Fraction]:
        for pivot, row in basis:
            if vector[pivot]:
                factor = vector[pivot]
                vector = [v - factor * r for v, r in zip(vector, row, strict=True)]
        return vector

    for line in _lines(grid):
        equation = [Fraction(0)] * len(unknowns)
        for position in line:
            if position in index:
                equation[index[position]] = Fraction(-1 if position == line[-1] else 1)
        reduced = reduce(equation)
        pivot = next((k for k, v in enumerate(reduced) if v), None)
        if pivot is None:
            continue
        reduced = [v / reduced[pivot] for v in reduced]
        basis[:] = [
            (p, [v - row[pivot] * r for v, r in zip(row, reduced, strict=True)]) for p, row in basis
        ]
        basis.append((pivot, reduced))

    def unit(k: int) -> list[Fraction]:
        return [Fraction(int(n == k)) for n in range(len(unknowns))]

    return {p for p in unknowns if not any(reduce(unit(index[p])))}


# The checkers themselves must be able to fail.


def test_the_checkers_see_a_count_revealed_by_its_row_total() -> None:
    grid: Grid = [[C, 20, 23], [10, 20, 30], [13, 40, 53]]
    assert _revealed_by_one_line(grid) == [[(0, 0), (0, 1), (0, 2)], [(0, 0), (1, 0), (2, 0)]]
    assert _revealed_by_combining_lines(grid) == {(0, 0)}


def test_the_checkers_see_a_count_revealed_only_by_combining_lines() -> None:
    # Two blocks of suppressed counts joined by one count: every line holds two or more
    # suppressed entries, yet rows 0 and 1 minus columns 0 and 1 give the joining count.
    values = [[1, 2, 50, 50], [3, 4, 2, 50], [50, 50, 3, 1], [50, 50, 4, 2]]
    small = {(i, j) for i, row in enumerate(values) for j, value in enumerate(row) if value < 5}
    table: Table = {
        f"row-{i}": {f"col-{j}": v for j, v in enumerate(row)} for i, row in enumerate(values)
    }
    grid: Grid = [
        [C if (i, j) in small or value is None else value for j, value in enumerate(row)]
        for i, row in enumerate(_true_grid(table))
    ]
    assert _revealed_by_one_line(grid) == []
    assert _revealed_by_combining_lines(grid) == {(1, 2)}


# Properties over random tables.


@settings(max_examples=400, deadline=None)
@given(tables(), st.integers(1, 10))
def test_every_published_count_is_zero_or_at_least_the_threshold(
    table: Table, threshold: int
) -> None:
    grid = _published_grid(suppress_table(table, threshold=threshold))
    for row in grid:
        for value in row:
            assert isinstance(value, Symbol) or value == 0 or value >= threshold


@settings(max_examples=400, deadline=None)
@given(st.one_of(tables(), tables(not_applicable=True)), st.integers(1, 10))
def test_no_suppressed_count_can_be_recovered_from_what_is_published(
    table: Table, threshold: int
) -> None:
    grid = _published_grid(suppress_table(table, threshold=threshold))
    assert _revealed_by_one_line(grid) == []
    assert _revealed_by_combining_lines(grid) == set()


@settings(max_examples=400, deadline=None)
@given(st.one_of(tables(), tables(not_applicable=True)), st.integers(1, 10))
def test_published_counts_are_the_true_counts_and_small_ones_are_all_suppressed(
    table: Table, threshold: int
) -> None:
    grid = _published_grid(suppress_table(table, threshold=threshold))
    for published_row, true_row in zip(grid, _true_grid(table), strict=True):
        for published, true in zip(published_row, true_row, strict=True):
            if true is None:
                assert published is Symbol.NOT_APPLICABLE
            elif 0 < true < threshold or published is C:
                assert published is C
            else:
                assert published == true


@settings(max_examples=200, deadline=None)
@given(tables(), st.integers(2, 10))
def test_rounded_figures_are_the_true_figures_rounded_to_the_nearest_base(
    table: Table, base: int
) -> None:
    grid = _published_grid(suppress_table(table, round_to=base))
    for published_row, true_row in zip(grid, _true_grid(table), strict=True):
        for published, true in zip(published_row, true_row, strict=True):
            assert true is not None
            if isinstance(published, int):
                assert published % base == 0
                assert abs(published - true) * 2 <= base
            else:
                assert published is C or (published is Symbol.ROUNDS_TO_ZERO and true > 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, max_size=8), st.integers(1, 10))
def test_a_list_never_reveals_a_suppressed_count_through_its_total(
    values: list[int], threshold: int
) -> None:
    published = suppress_counts(
        {f"item-{k}": value for k, value in enumerate(values)}, threshold=threshold
    )
    shown = [*published.counts, published.total]
    assert sum(value is C for value in shown) != 1
    for value, true in zip(shown, [*values, sum(values)], strict=True):
        assert value == true or value is C
        assert value is C or value == 0 or true >= threshold


# Tables, by example.


def test_a_table_with_no_small_counts_is_published_in_full() -> None:
    published = suppress_table({"north": {"boys": 12, "girls": 9}, "east": {"boys": 0, "girls": 7}})
    assert _published_grid(published) == [[12, 9, 21], [0, 7, 7], [12, 16, 28]]
    assert published.cell("east", "boys") == 0


def test_one_small_count_takes_the_next_smallest_in_its_row_and_column_with_it() -> None:
    published = suppress_table(
        {
            "a": {"x": 3, "y": 10, "z": 20},
            "b": {"x": 8, "y": 12, "z": 30},
            "c": {"x": 15, "y": 9, "z": 40},
        }
    )
    assert _published_grid(published) == [
        [C, C, 20, 33],
        [C, C, 30, 50],
        [15, 9, 40, 64],
        [26, 31, 90, 147],
    ]


def test_a_small_row_total_is_suppressed_and_cannot_be_recovered_from_the_grand_total() -> None:
    published = suppress_table(
        {"a": {"x": 2, "y": 0}, "b": {"x": 10, "y": 20}, "c": {"x": 9, "y": 6}}
    )
    assert published.row("a").total is C
    grid = _published_grid(published)
    assert _revealed_by_one_line(grid) == []
    assert _revealed_by_combining_lines(grid) == set()


def test_a_count_that_only_a_combination_of_lines_would_reveal_is_protected() -> None:
    values = [[1, 2, 50, 50], [3, 4, 2, 50], [50, 50, 3, 1], [50, 50, 4, 2]]
    table: Table = {
        f"row-{i}": {f"col-{j}": v for j, v in enumerate(row)} for i, row in enumerate(values)
    }
    grid = _published_grid(suppress_table(table))
    assert _revealed_by_combining_lines(grid) == set()
    assert sum(value is C for row in grid for value in row) > 9


def test_a_cell_that_does_not_apply_is_z_and_counts_as_nothing_in_the_totals() -> None:
    published = suppress_table(
        {"primary": {"srp": None, "special": 30}, "secondary": {"srp": 12, "special": 25}}
    )
    assert published.cell("primary", "srp") is Symbol.NOT_APPLICABLE
    assert published.row("primary").total == 30
    assert published.column_total("srp") == 12


def test_rounding_publishes_totals_rounded_from_the_true_counts() -> None:
    published = suppress_table({"a": {"x": 17, "y": 18}, "b": {"x": 11, "y": 21}}, round_to=5)
    assert _published_grid(published) == [[15, 20, 35], [10, 20, 30], [30, 40, 65]]
    assert published.rounded_to == 5


def test_a_ragged_table_is_refused() -> None:
    with pytest.raises(ValueError, match="same columns"):
        suppress_table({"a": {"x": 1}, "b": {"y": 2}})


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress_table({"a": {"x": -1}})


def test_an_empty_table_publishes_a_grand_total_of_zero() -> None:
    assert suppress_table({}).grand_total == 0


# Lists, by example.


def test_one_small_count_in_a_list_takes_the_next_smallest_non_zero_count_with_it() -> None:
    published = suppress_counts({"a": 3, "b": 0, "c": 7, "d": 9})
    assert published == PublishedCounts(
        threshold=5, rounded_to=None, labels=("a", "b", "c", "d"), counts=(C, 0, C, 9), total=19
    )


def test_two_small_counts_in_a_list_protect_each_other() -> None:
    published = suppress_counts({"a": 3, "b": 4, "c": 7})
    assert (published.counts, published.total) == ((C, C, 7), 14)


def test_a_small_list_total_is_suppressed_with_its_small_count() -> None:
    published = suppress_counts({"a": 3, "b": 0, "c": 0})
    assert (published.counts, published.total) == ((C, 0, 0), C)


def test_the_second_count_suppressed_in_a_list_is_not_a_zero_when_a_count_is_there() -> None:
    published = suppress_counts({"a": 7, "b": 2, "c": 0})
    assert (published.counts, published.total) == ((C, C, 0), 9)


def test_a_non_zero_count_that_rounds_to_zero_is_k_and_a_true_zero_stays_zero() -> None:
    published = suppress_counts({"a": 2, "b": 0, "c": 12}, threshold=1, round_to=5)
    assert (published.count("a"), published.count("b"), published.count("c")) == (
        Symbol.ROUNDS_TO_ZERO,
        0,
        10,
    )
    assert published.total == 15


# Percentages.


def test_a_percentage_of_fewer_than_thirty_respondents_is_suppressed() -> None:
    assert percentage(10, 29) is C
    assert percentage(10, 30) == Decimal(33)


def test_a_percentage_of_nobody_does_not_apply() -> None:
    assert percentage(0, 0) is Symbol.NOT_APPLICABLE


def test_a_non_zero_percentage_that_rounds_to_zero_is_k() -> None:
    assert percentage(1, 400) is Symbol.ROUNDS_TO_ZERO
    assert percentage(1, 400, decimals=1) == Decimal("0.3")
    assert percentage(0, 400) == Decimal(0)


def test_percentages_round_half_up() -> None:
    assert percentage(1, 40, decimals=1) == Decimal("2.5")
    assert percentage(1, 40) == Decimal(3)


def test_a_numerator_larger_than_the_respondents_is_refused() -> None:
    with pytest.raises(ValueError, match="numerator"):
        percentage(31, 30)


def test_published_tables_serialise_symbols_as_their_letters() -> None:
    published = suppress_counts({"a": 3, "b": 8})
    assert published.model_dump(mode="json")["counts"] == ["c", "c"]


def test_disclosure_control_does_no_io() -> None:
    source = resources.files("inclusion_shared").joinpath("disclosure.py").read_text()
    allowed = {"__future__", "collections", "collections.abc", "decimal", "enum", "pydantic"}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            assert {alias.name for alias in node.names} <= allowed
        elif isinstance(node, ast.ImportFrom):
            assert node.module in allowed
