"""Publishing a figure from the model's tallies: rows by place (or category), every count
through the kit's disclosure control, derived figures only from what is published."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_shared.disclosure import Symbol, suppress_table
from monitoring.domain.figures import CATALOGUE
from monitoring.domain.periods import Period, Term
from monitoring.domain.places import KENT, Place, Scope
from monitoring.domain.tables import FigureTable, Tally, publish, trend

YEAR = Period("2026-27")
OCTOBER = date(2026, 10, 1)
THANET_1 = Place("east-kent", "thanet", "cos-thanet-1")
THANET_2 = Place("east-kent", "thanet", "cos-thanet-2")
DOVER = Place("south-kent", "dover", "cos-dover-1")


def tally(place: Place, category: str, count: int, **changes: object) -> Tally:
    fields: dict[str, object] = {"month": OCTOBER, "amount": 0, "measure": ""} | changes
    return Tally(place=place, category=category, count=count, **fields)  # type: ignore[arg-type]


def figure(
    figure_id: str, tallies: list[Tally], scope: Scope = KENT, period: Period = YEAR
) -> FigureTable:
    return publish(CATALOGUE[figure_id].figure, tallies, scope, period)


def values(table: FigureTable) -> dict[str, list[object]]:
    found = {row.key: list(row.values) for row in table.rows}
    assert table.total is not None
    return found | {"total": list(table.total.values)}


def test_kent_has_a_row_per_area_even_where_nothing_was_counted() -> None:
    table = figure("funding-applications", [tally(THANET_1, "hnf", 7), tally(DOVER, "senif", 6)])
    assert values(table) == {
        "east-kent": [7, 0, 0, 7],
        "north-kent": [0, 0, 0, 0],
        "south-kent": [0, 6, 0, 6],
        "west-kent": [0, 0, 0, 0],
        "total": [7, 6, 0, 13],
    }
    assert [row.drill for row in table.rows] == [
        "area:east-kent",
        "area:north-kent",
        "area:south-kent",
        "area:west-kent",
    ]


def test_a_small_count_is_suppressed_with_whatever_would_give_it_away() -> None:
    tallies = [tally(THANET_1, "hnf", 7), tally(THANET_2, "hnf", 2)]
    table = figure("funding-applications", tallies, Scope.parse("district:thanet"))
    assert values(table) == {
        "cos-thanet-1": [Symbol.SUPPRESSED, 0, 0, Symbol.SUPPRESSED],
        "cos-thanet-2": [Symbol.SUPPRESSED, 0, 0, Symbol.SUPPRESSED],
        "total": [9, 0, 0, 9],
    }
    # Exactly what the kit's one disclosure control publishes for that table.
    kit = suppress_table(
        {
            "cos-thanet-1": {"hnf": 7, "senif": 0, "daf": 0},
            "cos-thanet-2": {"hnf": 2, "senif": 0, "daf": 0},
        }
    )
    assert [[*row.cells, row.total] for row in kit.rows] == [
        values(table)["cos-thanet-1"],
        values(table)["cos-thanet-2"],
    ]


def test_a_percentage_resting_on_a_suppressed_count_is_suppressed_too() -> None:
    tallies = [
        tally(THANET_1, "within-target", 6, amount=60),
        tally(THANET_1, "outside-target", 3, amount=60),
        tally(DOVER, "within-target", 10, amount=50),
    ]
    found = values(figure("funding-timeliness", tallies))
    assert found["east-kent"][-2:] == [Symbol.SUPPRESSED, Symbol.SUPPRESSED]
    assert found["south-kent"][-2:] == [100, 5]
    assert found["north-kent"][-2:] == [Symbol.NOT_APPLICABLE, Symbol.NOT_APPLICABLE]


def test_money_behind_fewer_than_5_commitments_is_not_published() -> None:
    april = date(2026, 4, 1)
    tallies = [
        tally(Place("east-kent", None, None), "budget", 0, amount=10_000_000, month=april),
        tally(Place("east-kent", None, None), "committed", 2, amount=400_000, month=april),
        tally(Place("south-kent", None, None), "budget", 0, amount=5_000_000, month=april),
        tally(Place("south-kent", None, None), "committed", 6, amount=6_000_000, month=april),
    ]
    found = values(figure("funding-budget", tallies, period=Period("2026-27", Term.AUTUMN)))
    suppressed = Symbol.SUPPRESSED
    # East's two commitments are small, and South's six would reveal them from the total.
    assert found["east-kent"] == [suppressed, 100_000, suppressed, suppressed, suppressed]
    assert found["south-kent"] == [suppressed, 50_000, suppressed, suppressed, suppressed]
    assert found["total"] == [8, 150_000, 64_000, 86_000, 43]


def test_a_figure_with_no_place_finer_than_the_district_stops_there() -> None:
    tallies = [tally(Place("east-kent", "thanet", None), "mainstream", 6)]
    district = figure("placements-requests", tallies, Scope.parse("district:thanet"))
    assert [row.key for row in district.rows] == ["thanet"] and district.rows[0].drill is None
    community = figure("placements-requests", tallies, Scope.parse("community:cos-thanet-1"))
    assert community.rows == () and "no Community of Schools" in community.notes[-1]


def test_facts_whose_place_is_not_known_have_a_row_of_their_own() -> None:
    tallies = [tally(Place(None, None, None), "on-time", 6), tally(THANET_1, "on-time", 5)]
    found = values(figure("placements-consultations", tallies))
    assert found["not-known"][0] == 6 and found["total"][0] == 11


def test_places_counted_under_several_needs_have_no_total() -> None:
    september = date(2026, 9, 1)
    tallies = [
        tally(THANET_1, "ASD", 20, measure="places", month=september),
        tally(THANET_1, "SLCN", 20, measure="places", month=september),
        tally(THANET_1, "ASD", 10, measure="requests", month=september),
    ]
    found = values(figure("placements-sufficiency", tallies))
    assert found["ASD"] == [20, 10, 0.5]
    assert found["total"][0] is Symbol.NOT_APPLICABLE


def test_the_trend_shows_each_term_as_that_terms_own_table_does() -> None:
    tallies = [
        tally(THANET_1, "hnf", 6, month=date(2026, 10, 1)),
        tally(THANET_1, "hnf", 3, month=date(2027, 2, 1)),
    ]
    figure_of = CATALOGUE["funding-applications"].figure
    table = trend(figure_of, tallies, KENT, YEAR)
    found = {row.key: list(row.values) for row in table.rows}
    assert list(found) == [
        "2025 summer",
        "2025 autumn",
        "2026 spring",
        "2026 summer",
        "2026 autumn",
        "2027 spring",
    ]
    assert found["2026 autumn"] == [6, 0, 0, 6]
    assert found["2027 spring"][0] is Symbol.SUPPRESSED
    # No total over the six terms: with the autumn term's own table it would give spring's 3.
    assert table.total is None
    for term, key in ((Term.AUTUMN, "2026 autumn"), (Term.SPRING, "2027 spring")):
        own = publish(figure_of, tallies, KENT, Period("2026-27", term)).total
        assert own is not None and list(own.values) == found[key]


def test_every_figure_publishes_for_every_level_of_place() -> None:
    tallies = [tally(THANET_1, "hnf", 6)]
    for monitored in CATALOGUE.values():
        for scope in ("kent", "area:east-kent", "district:thanet", "community:cos-thanet-1"):
            table = publish(monitored.figure, tallies, Scope.parse(scope), YEAR)
            assert table.figure == monitored.figure.id


PLACES = [THANET_1, THANET_2, DOVER, Place("east-kent", "swale", None)]
SCHEMES = ["hnf", "senif", "daf"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PLACES), st.sampled_from(["hnf", "senif", "daf"]), st.integers(0, 12)
        ),
        max_size=12,
    )
)
def test_no_published_count_is_between_1_and_4_and_no_lone_suppression_is_left(
    drawn: list[tuple[Place, str, int]],
) -> None:
    tallies = [tally(place, scheme, count) for place, scheme, count in drawn]
    for scope in ("kent", "area:east-kent", "district:thanet"):
        table = figure("funding-applications", tallies, Scope.parse(scope))
        grid = [list(row.values) for row in table.rows] + [list(values(table)["total"])]
        for line in grid + [list(column) for column in zip(*grid, strict=True)]:
            assert not [v for v in line if isinstance(v, int) and 0 < v < 5]
            assert sum(v is Symbol.SUPPRESSED for v in line) != 1
