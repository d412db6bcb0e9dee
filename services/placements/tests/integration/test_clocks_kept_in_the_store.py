"""Each case keeps its clocks in the store: the list of clocks pages in due order and filters in
the database, the database reads a clock's status as the domain does, timeliness is counted
there, and the cases recorded before clocks were kept get theirs when the service starts."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient

from inclusion_shared.access import Where
from inclusion_shared.identifiers import child_id_for
from placements.adapters import PlacementsStore, StoredClock
from placements.app import create_app
from placements.domain.clock_exceptions import ClockException, ExceptionKind
from placements.domain.clocks import Clock, ClockKind, ClockStatus, ClockStop, read_clock

from .conftest import OFFICER_1, SECONDARY, SECONDARY_SRP, SPECIAL, TODAY, Placements

DUE_ON = date(2027, 1, 25)


def every_clock(**_: str | int) -> Where:
    """The store asked for every clock, as a Kent-wide reader reaches them."""
    return Where("TRUE")


@asynccontextmanager
async def store_of(placements: Placements) -> AsyncIterator[PlacementsStore]:
    connection = await asyncpg.connect(
        placements.database_url, server_settings={"search_path": "placements"}
    )
    try:
        yield PlacementsStore(connection)
    finally:
        await connection.close()


def every_page(placements: Placements, **params: Any) -> list[dict[str, Any]]:
    pages, after = [], None
    while True:
        response = placements.client.get(
            "/clocks",
            params={**params, **({"after": after} if after else {})},
            headers=placements.officer,
        )
        assert response.status_code == 200, response.text
        pages.append(response.json())
        after = pages[-1]["next"]
        if after is None:
            return pages


def consulted(placements: Placements, child: str) -> list[dict[str, Any]]:
    placements.register(SECONDARY, SECONDARY_SRP, SPECIAL)
    request = placements.receive(child_id=child)
    return placements.consult(request["request_id"])


async def test_the_clocks_page_in_due_order_and_filter_by_kind_and_status(
    placements: Placements, child: str
) -> None:
    consultations = consulted(placements, child)
    assessed = placements.post(
        "/assessments",
        {"child_id": child, "district": "thanet", "requested_on": TODAY.isoformat()},
    )
    assert assessed.status_code == 201, assessed.text

    pages = every_page(placements, limit=2)
    replies = every_page(placements, limit=2, kind="consultation_reply")
    overdue = every_page(
        placements, as_of=(TODAY + timedelta(days=16)).isoformat(), status="breached"
    )

    clocks = [clock for page in pages for clock in page["clocks"]]
    assert [len(page["clocks"]) for page in pages] == [2, 2, 2]
    assert [c["due_on"] for c in clocks] == sorted(c["due_on"] for c in clocks)
    assert len({(c["kind"], c["subject_id"], c["party_id"]) for c in clocks}) == 6
    assert {c["party_id"] for page in replies for c in page["clocks"]} == {
        c["setting_id"] for c in consultations
    }
    assert [(c["kind"], c["status"]) for page in overdue for c in page["clocks"]] == [
        ("consultation_reply", "breached")
    ] * 3


def cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


@pytest.mark.parametrize(
    "after",
    [
        "not-a-cursor",
        cursor("2026-10-16", "consultation_reply", "req-1"),
        cursor("2026-10-16", "no_such_clock", "req-1", ""),
        cursor("2026-10-16", "consultation_reply", "req-\u0000", ""),
    ],
    ids=["not_base64", "wrong_arity", "not_a_kind", "not_an_id"],
)
async def test_a_cursor_no_page_gave_is_a_problem_not_a_failure(
    placements: Placements, after: str
) -> None:
    response = placements.client.get("/clocks", params={"after": after}, headers=placements.officer)

    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/bad-cursor")


def grid() -> list[StoredClock]:
    """A clock of every kind stopped every way around its due day, and running."""
    stops = [(None, None)] + [
        (DUE_ON + timedelta(days=days), stop)
        for days, stop in itertools.product((-3, 0, 2), (ClockStop.MET, ClockStop.WITHDRAWN))
    ]
    return [
        StoredClock(
            Clock(
                subject_id=f"case-{n}",
                kind=kind,
                due_on=DUE_ON,
                timescales_version="send-regulations-2014",
                stopped_on=stopped_on,
                stop=stop,
            ),
            child_id=child_id_for(f"clocks-{n}"),
            district="thanet",
        )
        for n, (kind, (stopped_on, stop)) in enumerate(itertools.product(ClockKind, stops))
    ]


async def test_the_database_reads_each_clock_s_status_as_the_domain_does(
    placements: Placements,
) -> None:
    clocks = grid()
    warning_days = {ClockKind.FINAL_EHCP: 14, ClockKind.CONSULTATION_REPLY: 1}
    async with store_of(placements) as store:
        await store.keep_clocks("assessment", "grid", clocks)
        for days in range(-20, 6):
            day = DUE_ON + timedelta(days=days)
            for status in ClockStatus:
                found = await store.clocks(day, warning_days, None, status, None, 500, every_clock)
                expected = [c for c in clocks if c.read(day, warning_days).status is status]
                assert sorted(c.clock.subject_id for c in found) == sorted(
                    c.clock.subject_id for c in expected
                ), (day, status)


def exception(subject_id: str, clock: ClockKind, from_on: date) -> ClockException:
    return ClockException(
        subject_id=subject_id,
        clock=clock,
        kind=ExceptionKind.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES,
        reason="evidence_on_file",
        recorded_by=OFFICER_1,
        from_on=from_on,
    )


@pytest.mark.parametrize(
    ("recorded", "counts"),
    [
        (exception("case-late", ClockKind.FINAL_EHCP, date(2026, 12, 1)), True),
        (exception("case-late", ClockKind.DECIDE_TO_ASSESS, date(2026, 12, 1)), False),
        (exception("case-other", ClockKind.FINAL_EHCP, date(2026, 12, 1)), False),
        (exception("case-late", ClockKind.FINAL_EHCP, DUE_ON + timedelta(days=40)), False),
    ],
    ids=["same_clock_of_the_case", "another_clock", "another_case", "starts_after_the_reading"],
)
async def test_only_an_exception_to_the_same_clock_of_the_same_case_so_far_counts(
    placements: Placements, recorded: ClockException, counts: bool
) -> None:
    late = Clock(
        subject_id="case-late",
        kind=ClockKind.FINAL_EHCP,
        due_on=DUE_ON,
        timescales_version="send-regulations-2014",
        stopped_on=DUE_ON + timedelta(days=3),
        stop=ClockStop.MET,
    )
    async with store_of(placements) as store:
        await store.keep_clocks(
            "assessment", "case-late", [StoredClock(late, "child-1ae80cfbd8c8ca02806d", "thanet")]
        )
        await store.add_exception("exc-1", recorded)
        tallies = await store.timeliness_tallies(DUE_ON + timedelta(days=30), every_clock)

    assert tallies == {(ClockKind.FINAL_EHCP, ClockStatus.MET_LATE, counts): 1}
    assert read_clock(late, DUE_ON + timedelta(days=30)).status is ClockStatus.MET_LATE


async def test_cases_recorded_before_clocks_were_kept_get_them_on_start(
    placements: Placements, child: str
) -> None:
    consulted(placements, child)
    placements.post(
        "/assessments",
        {"child_id": child, "district": "thanet", "requested_on": TODAY.isoformat()},
    )
    kept = every_page(placements)[0]["clocks"]
    async with store_of(placements) as store:
        await store.connection.execute("DELETE FROM clocks")
        await store.connection.execute(
            """INSERT INTO clocks_to_compute
                   SELECT 'consultation', consultation_id FROM consultations
                   UNION ALL SELECT 'assessment', assessment_id FROM assessments"""
        )
    assert every_page(placements)[0]["clocks"] == []

    with TestClient(create_app(placements.client.app.state.settings)):
        pass  # a replica starting, as after an upgrade

    assert every_page(placements)[0]["clocks"] == kept
    assert await placements.fetchval("SELECT count(*) FROM clocks_to_compute") == 0
