"""Every monitored figure for the scenario, worked out by hand and compared with what the
running service publishes after consuming the four services' events from Kafka. Figures are
published counts: `c` where fewer than 5, or where a total would give a small count away."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from monitoring.domain.periods import financial_year_of

from .conftest import Monitoring, columns, rows

KENT_ROWS = ["east-kent", "north-kent", "south-kent", "west-kent"]
NOTHING = [0, 0, 0, 0]


def test_applications_by_scheme_for_kent_an_area_and_a_district(monitoring: Monitoring) -> None:
    kent = monitoring.table("funding-applications")
    assert columns(kent) == ["hnf", "senif", "daf", "applications"]
    assert [row["key"] for row in kent["rows"]] == KENT_ROWS
    assert rows(kent) == {
        "east-kent": [9, 0, 0, 9],
        "north-kent": NOTHING,
        "south-kent": [0, 6, 0, 6],
        "west-kent": NOTHING,
        "total": [9, 6, 0, 15],
    }
    east = monitoring.table("funding-applications", "area:east-kent")
    assert rows(east) == {
        "canterbury": NOTHING,
        "swale": NOTHING,
        "thanet": [9, 0, 0, 9],
        "total": [9, 0, 0, 9],
    }
    assert [row["drill"] for row in east["rows"]] == [
        "district:canterbury",
        "district:swale",
        "district:thanet",
    ]


def test_two_applications_in_a_community_are_suppressed_and_so_is_the_figure_beside_them(
    monitoring: Monitoring,
) -> None:
    thanet = monitoring.table("funding-applications", "district:thanet")
    # 7 and 2: the 2 is small; the 7 would give it away from Thanet's total of 9.
    assert rows(thanet) == {
        "cos-thanet-1": ["c", 0, 0, "c"],
        "cos-thanet-2": ["c", 0, 0, "c"],
        "total": [9, 0, 0, 9],
    }
    assert thanet["symbols"]["c"].startswith("suppressed")


def test_decisions_by_outcome(monitoring: Monitoring) -> None:
    table = monitoring.table("funding-decisions")
    assert columns(table) == [
        "approved",
        "awarded",
        "declined",
        "refused",
        "deferred_for_information",
        "decisions",
    ]
    assert rows(table) == {
        "east-kent": [8, 0, 0, 0, 0, 8],
        "north-kent": [0] * 6,
        "south-kent": [0, 6, 0, 0, 0, 6],
        "west-kent": [0] * 6,
        "total": [8, 6, 0, 0, 0, 14],
    }


def test_time_to_decision_against_the_target(monitoring: Monitoring) -> None:
    kent = monitoring.table("funding-timeliness")
    assert columns(kent) == [
        "within-target",
        "outside-target",
        "no-target",
        "decisions",
        "within-target-percent",
        "mean-days",
    ]
    # East: six decisions in 10 days and two in 14 (88 days over 8); south: six in 6 days.
    assert rows(kent) == {
        "east-kent": [8, 0, 0, 8, "100", "11.0"],
        "north-kent": [0, 0, 0, 0, "z", "z"],
        "south-kent": [6, 0, 0, 6, "100", "6.0"],
        "west-kent": [0, 0, 0, 0, "z", "z"],
        "total": [14, 0, 0, 14, "100", "8.9"],
    }
    thanet = monitoring.table("funding-timeliness", "district:thanet")
    # Derived figures rest on published counts: suppressed counts give suppressed means.
    assert rows(thanet) == {
        "cos-thanet-1": ["c", 0, 0, "c", "c", "c"],
        "cos-thanet-2": ["c", 0, 0, "c", "c", "c"],
        "total": [8, 0, 0, 8, "100", "11.0"],
    }


def test_money_committed_against_each_areas_budget_shows_over_commitment(
    monitoring: Monitoring,
) -> None:
    table = monitoring.table("funding-budget", term="autumn")
    assert columns(table) == [
        "committed",
        "budget-pounds",
        "committed-pounds",
        "remaining-pounds",
        "committed-percent",
    ]
    # East's budget was set twice (the later, £1.2m, stands) and one £10,000 commitment was
    # released; North committed £15,000 of £10,000.
    assert rows(table) == {
        "east-kent": [6, "1200000", "50000", "1150000", "4"],
        "north-kent": [5, "10000", "15000", "-5000", "150"],
        "south-kent": [5, "500000", "100000", "400000", "20"],
        "west-kent": [0, "0", "0", "0", "z"],
        "total": [16, "1710000", "165000", "1545000", "10"],
    }
    assert table["notes"] == ["Held per financial year: this is the whole of 2026-27."]
    thanet = monitoring.table("funding-budget", "district:thanet")
    assert thanet["rows"] == [] and "held per area" in thanet["notes"][-1]


def test_challenges_and_the_overturn_rate(monitoring: Monitoring) -> None:
    # Lodging is dated by the event's own time: the contract carries no date.
    year = financial_year_of(datetime.now(UTC).date())
    table = monitoring.table("funding-challenges", year=year)
    assert rows(table)["east-kent"] == [5, 6, 0, 11, "55"]
    assert rows(table)["total"] == [5, 6, 0, 11, "55"]
    thanet = monitoring.table("funding-challenges", "district:thanet", year=year)
    assert rows(thanet) == {"cos-thanet-1": [5, 6, 0, 11, "55"], "total": [5, 6, 0, 11, "55"]}


def test_placement_requests_go_no_finer_than_the_district(monitoring: Monitoring) -> None:
    kent = monitoring.table("placements-requests")
    assert rows(kent) == {
        "east-kent": [6, 5, 0, 0, 0, 0, 11],
        "north-kent": [0] * 7,
        "south-kent": [0, 0, 5, 0, 0, 0, 5],
        "west-kent": [0] * 7,
        "total": [6, 5, 5, 0, 0, 0, 16],
    }
    thanet = monitoring.table("placements-requests", "district:thanet")
    assert rows(thanet) == {"thanet": [6, 5, 0, 0, 0, 0, 11], "total": [6, 5, 0, 0, 0, 0, 11]}
    assert thanet["rows"][0]["drill"] is None
    assert any("no Community of Schools" in note for note in thanet["notes"])


def test_consultations_answered_within_15_days(monitoring: Monitoring) -> None:
    assert rows(monitoring.table("placements-consultations", "district:thanet")) == {
        "cos-thanet-1": [6, 0, 0, 0, 6, "100"],
        "cos-thanet-2": [0, 0, 5, 0, 5, "0"],
        "total": [6, 0, 5, 0, 11, "55"],
    }


def test_transfer_deadlines_met_with_and_without_exceptions(monitoring: Monitoring) -> None:
    table = monitoring.table("placements-transfers", term="spring")
    # Six met, five missed, five missed with an exception: 6/16 with them, 6/11 without.
    assert rows(table)["east-kent"] == [6, 0, 5, 5, 16, "38", "55"]
    assert monitoring.table("placements-transfers", term="autumn")["total"]["values"][4] == 0


def test_ehc_plans_issued_within_20_weeks_with_and_without_exceptions(
    monitoring: Monitoring,
) -> None:
    thanet = monitoring.table("placements-assessments", "district:thanet", term="summer")
    # Twelve met, five missed, five missed with an exception: 12/22 with them, 12/17 without;
    # (12 x 100 + 5 x 141 + 5 x 150) / 22 days from request to plan.
    assert rows(thanet)["thanet"] == [12, 0, 5, 5, 22, "55", "71", "120.7"]
    kent = monitoring.table("placements-assessments")
    assert rows(kent) == {
        "east-kent": [27, 0, 10, 5, 42, "64", "73", "115.7"],
        "north-kent": [0, 0, 0, 0, 0, "z", "z", "z"],
        "south-kent": [5, 0, 5, 0, 10, "50", "50", "169.5"],
        "west-kent": [0, 0, 0, 0, 0, "z", "z", "z"],
        "total": [32, 0, 15, 5, 52, "62", "68", "126.1"],
    }
    community = monitoring.table("placements-assessments", "community:cos-thanet-1")
    assert community["rows"] == [] and "no Community of Schools" in community["notes"][-1]


def test_placements_started_mainstream_and_specialist(monitoring: Monitoring) -> None:
    thanet = monitoring.table("placements-started", "district:thanet")
    assert rows(thanet) == {
        "cos-thanet-1": [5, 0, 0, 0, 0, 0, 5, 0],
        "cos-thanet-2": [5, 0, 0, 0, 0, 0, 5, 0],
        "total": [10, 0, 0, 0, 0, 0, 10, 0],
    }
    earlier = monitoring.table("placements-started", "district:thanet", year="2025-26")
    assert rows(earlier)["cos-thanet-1"] == [16, 0, 0, 0, 0, 0, 16, 0]


def test_sufficiency_sets_specialist_requests_against_designated_places(
    monitoring: Monitoring,
) -> None:
    table = monitoring.table("placements-sufficiency")
    found = rows(table)
    # The special school is designated for ASD and SLCN: its 20 places count under both.
    assert found["ASD"] == [28, 5, "0.18"]
    assert found["SLCN"] == [20, 5, "0.25"]
    assert found["MLD"] == [0, 0, "z"]
    assert found["total"] == ["z", 10, "z"]
    assert table["notes"] == [
        "Held per academic year: this is 2026-27, the year financial year 2026-27 ends in."
    ]


def test_moves_between_settings(monitoring: Monitoring) -> None:
    assert rows(monitoring.table("placements-moves"))["east-kent"] == [5, 5, 10]


def test_review_cycles_suppress_one_cycle_and_the_review_it_would_reveal(
    monitoring: Monitoring,
) -> None:
    table = monitoring.table("reviews-cycles")
    assert columns(table) == ["cycles", "under-way", "followed-up", "reviews"]
    assert rows(table)["east-kent"] == ["c", "c", "c", 6]
    assert rows(table)["total"] == ["c", "c", "c", 6]


def test_review_actions_completed_and_overdue(monitoring: Monitoring) -> None:
    table = monitoring.table("reviews-actions", "community:cos-thanet-1")
    assert rows(table) == {"cos-thanet-1": [5, 0, 5, 0, 10, "50"], "total": [5, 0, 5, 0, 10, "50"]}


def test_anonymised_review_themes(monitoring: Monitoring) -> None:
    found = rows(monitoring.table("reviews-themes", "area:east-kent"))
    assert found["leadership"] == [6, 0, 6]
    assert found["assessment-and-identification"] == [0, 6, 6]
    assert found["outcomes"] == [0, 0, 0]
    assert found["total"] == [6, 6, 12]


def test_responses_by_voice_leave_out_withdrawn_and_complaints(monitoring: Monitoring) -> None:
    assert rows(monitoring.table("feedback-responses")) == {
        "east-kent": [0, 0, 6, 0, 0, 6],
        "north-kent": [0] * 6,
        "south-kent": [0, 5, 0, 0, 0, 5],
        "west-kent": [0] * 6,
        "total": [0, 5, 6, 0, 0, 11],
    }


def test_themes_heard_by_voice(monitoring: Monitoring) -> None:
    assert rows(monitoring.table("feedback-themes")) == {
        "communication": [0, 0, 6, 0, 0, 6],
        "transport": [0, 5, 0, 0, 0, 5],
        "total": [0, 5, 6, 0, 0, 11],
    }


def test_you_said_we_did_actions_by_their_latest_status(monitoring: Monitoring) -> None:
    assert rows(monitoring.table("feedback-actions")) == {
        "planned": [5],
        "in-progress": [0],
        "done": [5],
        "not-taken": [0],
        "total": [10],
    }
    area = monitoring.table("feedback-actions", "area:east-kent")
    assert area["rows"] == [] and "name no place" in area["notes"][-1]


def test_the_trend_by_term_counts_each_term_on_its_own(monitoring: Monitoring) -> None:
    answer = monitoring.client.get(
        "/figures/placements-transfers/trend.json",
        params={"scope": "area:east-kent", "year": "2026-27"},
        headers=monitoring.as_("kcc-officer"),
    )
    assert answer.status_code == 200, answer.text
    trend = answer.json()
    assert [row["key"] for row in trend["rows"]] == [
        "2025 summer",
        "2025 autumn",
        "2026 spring",
        "2026 summer",
        "2026 autumn",
        "2027 spring",
    ]
    assert rows(trend)["2027 spring"] == [6, 0, 5, 5, 16, "38", "55"]
    assert rows(trend)["2026 autumn"] == [0, 0, 0, 0, 0, "z", "z"]


def chart_csv(monitoring: Monitoring, chart: str, scope: str, **caller: Any) -> list[list[str]]:
    answer = monitoring.client.get(
        f"/charts/{chart}.csv",
        params={"scope": scope, "year": "2025-26"},
        headers=monitoring.as_("area-board", **caller),
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.text)))


def test_a_trend_chart_downloads_with_kent_beside_the_district_for_those_who_see_kent(
    monitoring: Monitoring,
) -> None:
    # The financial year 2025-26 has ended: its chart runs to its spring term.
    kent_wide = chart_csv(monitoring, "twenty-week-plans", "district:thanet")
    assert kent_wide == [
        ["Term", "Thanet, all plans", "Thanet, excluding exceptions", "Kent, all plans"],
        ["Summer term (April to August) of 2024-25", "z", "z", "z"],
        ["Autumn term (September to December) of 2024-25", "z", "z", "z"],
        ["Spring term (January to March) of 2024-25", "z", "z", "z"],
        ["Summer term (April to August) of 2025-26", "c", "c", "c"],
        ["Autumn term (September to December) of 2025-26", "67", "67", "67"],
        ["Spring term (January to March) of 2025-26", "c", "c", "c"],
    ]
    east_kent = chart_csv(monitoring, "twenty-week-plans", "district:thanet", areas=("east-kent",))
    assert east_kent[0] == ["Term", "Thanet, all plans", "Thanet, excluding exceptions"]
    assert [row[1:] for row in east_kent[1:]] == [row[1:3] for row in kent_wide[1:]]


def test_a_trend_chart_is_for_places_the_caller_reaches_and_charts_that_exist(
    monitoring: Monitoring,
) -> None:
    dover_only = monitoring.as_("area-board", districts=("dover",))
    refused = monitoring.client.get(
        "/charts/twenty-week-plans.csv", params={"scope": "district:thanet"}, headers=dover_only
    )
    assert refused.status_code == 403
    missing = monitoring.client.get(
        "/charts/no-such-chart.csv", headers=monitoring.as_("area-board")
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
