"""Trend charts laid out from published trend tables: every point a published value, a
suppressed term a gap with its reason, Kent drawn beside a narrower place only when given,
scales that fit, and sentences that say what the lines show."""

from datetime import date
from decimal import Decimal

from inclusion_shared.disclosure import Symbol
from monitoring.domain.charts import HEADLINE, TOP, Chart, figure_chart, headline_chart
from monitoring.domain.figures import CATALOGUE
from monitoring.domain.periods import Period, Term, up_to
from monitoring.domain.places import KENT, Level, Place, Scope
from monitoring.domain.tables import FigureTable, Tally, trend

AUTUMN = Period("2026-27", Term.AUTUMN)
THANET = Scope(Level.DISTRICT, "thanet")
THANET_1 = Place("east-kent", "thanet", "cos-thanet-1")
DOVER = Place("south-kent", "dover", "cos-dover-1")
# Months of the six terms up to the 2026 autumn term, oldest first.
TERMS = (
    date(2025, 2, 1),
    date(2025, 6, 1),
    date(2025, 10, 1),
    date(2026, 2, 1),
    date(2026, 6, 1),
    date(2026, 10, 1),
)


def consultations(place: Place, month: date, on_time: int, late: int) -> list[Tally]:
    return [
        Tally(place, "on-time", month, on_time),
        Tally(place, "late", month, late),
    ]


def trends(tallies: list[Tally], scope: Scope) -> dict[str, FigureTable]:
    return {
        figure_id: trend(CATALOGUE[figure_id].figure, tallies, scope, AUTUMN)
        for figure_id in ("placements-consultations",)
    }


def replies(tallies: list[Tally], kent: list[Tally] | None = None) -> Chart:
    headline = HEADLINE["consultation-replies"]
    theirs = trends(kent, KENT) if kent is not None else None
    return headline_chart(headline, trends(tallies, THANET), THANET, theirs)


def test_a_suppressed_term_is_a_gap_in_the_line_and_the_rest_is_drawn() -> None:
    tallies = [
        *consultations(THANET_1, TERMS[1], 8, 2),
        *consultations(THANET_1, TERMS[2], 6, 1),  # 1 late: with 2 late above, both protected
        *consultations(THANET_1, TERMS[3], 15, 5),
        *consultations(THANET_1, TERMS[4], 20, 5),
        *consultations(THANET_1, TERMS[5], 9, 6),
    ]
    (line,) = replies(tallies).series
    values = {point.period: point.value for point in line.points}
    assert values == {
        "2025 spring": Symbol.NOT_APPLICABLE,
        "2025 summer": Symbol.SUPPRESSED,
        "2025 autumn": Symbol.SUPPRESSED,
        "2026 spring": Decimal(75),
        "2026 summer": Decimal(80),
        "2026 autumn": Decimal(60),
    }
    assert [[p.period for p in run] for run in line.runs()] == [
        ["2026 spring", "2026 summer", "2026 autumn"]
    ]
    assert line.gaps_by_symbol() == [
        (Symbol.NOT_APPLICABLE, ["2025 spring"]),
        (Symbol.SUPPRESSED, ["2025 summer", "2025 autumn"]),
    ]
    # Higher is higher on the page, on a 0-100% scale.
    y = {point.period: point.y for point in line.points}
    assert y["2026 summer"] is not None and y["2026 autumn"] is not None
    assert y["2026 summer"] < y["2026 autumn"]


def test_kent_is_drawn_beside_a_district_only_when_its_figures_are_given() -> None:
    thanet = consultations(THANET_1, TERMS[5], 9, 6)
    everywhere = thanet + consultations(DOVER, TERMS[5], 21, 4)
    assert [s.label for s in replies(thanet).series] == ["Thanet, answered within 15 days"]
    compared = replies(thanet, kent=everywhere)
    assert [(s.label, s.kent) for s in compared.series] == [
        ("Thanet, answered within 15 days", False),
        ("Kent, answered within 15 days", True),
    ]
    assert compared.value(compared.series[1], "2026 autumn") == Decimal(75)  # 30 of 40
    assert compared.summary[-1] == (
        "In the autumn term (September to December) of 2026-27, Thanet 60% against Kent 75%."
    )
    assert compared.description.endswith("for Thanet, with Kent for comparison.")


def test_kent_is_not_drawn_against_itself() -> None:
    tallies = consultations(THANET_1, TERMS[5], 9, 6)
    headline = HEADLINE["consultation-replies"]
    chart = headline_chart(headline, trends(tallies, KENT), KENT, trends(tallies, KENT))
    assert [s.label for s in chart.series] == ["Kent, answered within 15 days"]


def test_the_summary_says_the_first_and_latest_published_values_and_the_range() -> None:
    tallies = [
        *consultations(THANET_1, TERMS[3], 15, 5),
        *consultations(THANET_1, TERMS[4], 20, 5),
        *consultations(THANET_1, TERMS[5], 9, 6),
    ]
    assert replies(tallies).summary == (
        "Thanet, answered within 15 days: 60% in the autumn term (September to December) of "
        "2026-27, from 75% in the spring term (January to March) of 2025-26 (lowest 60%, "
        "highest 80%); no figure for 3 terms.",
    )


def test_counts_are_drawn_on_a_round_scale_that_holds_the_largest() -> None:
    figure = CATALOGUE["placements-started"].figure
    for largest, top in ((0, 4), (3, 4), (7, 8), (16, 20), (41, 80), (180, 200)):
        tallies = [Tally(THANET_1, "mainstream", TERMS[5], largest)]
        chart = figure_chart(trend(figure, tallies, THANET, AUTUMN), "mainstream", THANET)
        assert [tick.value for tick in chart.ticks] == [top * n / Decimal(4) for n in range(5)]
        assert chart.ticks[-1].y == TOP
    percent = figure_chart(
        trend(CATALOGUE["placements-consultations"].figure, [], THANET, AUTUMN),
        "on-time-percent",
        THANET,
    )
    assert [tick.label for tick in percent.ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_a_figure_not_counted_for_the_place_draws_nothing_and_says_why() -> None:
    headline = HEADLINE["you-said-we-did"]
    figure = CATALOGUE["feedback-actions"].figure
    chart = headline_chart(headline, {figure.id: trend(figure, [], THANET, AUTUMN)}, THANET)
    assert chart.empty
    assert chart.notes == ("No trend by term: this figure is not counted by month for this place.",)


def test_a_trend_of_what_has_happened_ends_at_todays_term() -> None:
    year = Period("2026-27")
    assert up_to(year, date(2026, 12, 8)) == Period("2026-27", Term.AUTUMN)
    assert up_to(year, date(2027, 5, 2)) == year
    assert up_to(Period("2025-26", Term.SPRING), date(2026, 12, 8)) == Period(
        "2025-26", Term.SPRING
    )
