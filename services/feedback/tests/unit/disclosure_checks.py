"""Independent checks that a published table lets no suppressed figure be worked out: from one
row or column and its total, or by combining rows and columns (exact Gaussian elimination over
the line equations). The same idea as the kit's own disclosure tests, applied here to every
table the feedback service publishes."""

from fractions import Fraction

from inclusion_shared.disclosure import Published, PublishedTable, Symbol

C = Symbol.SUPPRESSED
Position = tuple[int, int]
Grid = list[list[Published]]


def grid_of(published: PublishedTable) -> Grid:
    """The published table as a grid whose last row and column are its totals."""
    rows: Grid = [[*row.cells, row.total] for row in published.rows]
    return [*rows, [*published.column_totals, published.grand_total]]


def _lines(grid: Grid) -> list[list[Position]]:
    height, width = len(grid), len(grid[0])
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    return rows + [[(i, j) for i in range(height)] for j in range(width)]


def revealed_by_one_line(grid: Grid) -> list[list[Position]]:
    """Lines with exactly one suppressed entry, which subtraction recovers."""
    return [line for line in _lines(grid) if sum(grid[i][j] is C for i, j in line) == 1]


def revealed_by_combining_lines(grid: Grid) -> set[Position]:
    """Suppressed entries whose unit vector lies in the row space of the line equations."""
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


def problems(published: PublishedTable, threshold: int = 5) -> list[str]:
    """Everything wrong with a published table, or nothing."""
    grid = grid_of(published)
    found = [f"small count {value}" for row in grid for value in row if _small(value, threshold)]
    found += [
        f"line {line} reveals its one suppressed entry" for line in revealed_by_one_line(grid)
    ]
    found += [f"{p} is revealed by combining lines" for p in revealed_by_combining_lines(grid)]
    return found


def _small(value: Published, threshold: int) -> bool:
    return isinstance(value, int) and 0 < value < threshold
