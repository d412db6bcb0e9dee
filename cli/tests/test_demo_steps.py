"""How the demo talks to the suite, without one: Idempotency-Keys from the seed and the step, what
counts as done (a replay, a 409), what counts as refused, and day one kept between runs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from inclusion_cli.demo.command import day_one
from inclusion_cli.demo.scenario import Calendar
from inclusion_cli.demo.suite import DONE, EXISTS, FAILED, REFUSED, REPLAYED, Suite
from inclusion_cli.paths import StateDir


def answer(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


@pytest.fixture
def suite(tmp_path: Path) -> Suite:
    return Suite({}, tmp_path, key_prefix="demo2026")


def test_the_idempotency_key_is_the_seed_and_the_step(suite: Suite) -> None:
    assert suite.idempotency_key("setting:x") == "demo2026:setting:x"
    assert suite.idempotency_key("setting:x") == Suite({}, Path(), "demo2026").idempotency_key(
        "setting:x"
    )
    long = suite.idempotency_key("s" * 300)
    assert len(long) <= 200 and long == suite.idempotency_key("s" * 300)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (answer(201, {"id": 1}), DONE),
        (answer(201, {"id": 1}, **{"Idempotent-Replay": "true"}), REPLAYED),
        (answer(409, {"detail": "request req-1 already exists"}), EXISTS),
        (answer(409, {"detail": "application is approved; it cannot be decided now"}), EXISTS),
        (answer(422, {"code": "daf_already_claimed"}), REFUSED),
        (answer(422, {"code": "quorum_not_met"}), FAILED),
        (answer(403, {"detail": "the role senco may not do this"}), FAILED),
    ],
)
def test_a_replay_or_a_409_means_done_and_only_expected_refusals_are_refused(
    response: httpx.Response, expected: str
) -> None:
    outcome = Suite._outcome("step", "kind", response, refusals={"daf_already_claimed"})

    assert outcome.status == expected
    assert outcome.answer == ({"id": 1} if expected in (DONE, REPLAYED) else {})


def test_day_one_is_kept_so_a_later_run_sends_the_same_requests(tmp_path: Path) -> None:
    state = StateDir(tmp_path / ".local")
    first = day_one(state, 2026)
    (tmp_path / ".local/demo/seed-2026.json").write_text(
        json.dumps({"seed": 2026, "day_one": "2026-11-02"})
    )

    assert first == datetime.now(UTC).date()
    assert day_one(state, 2026) == date(2026, 11, 2)
    assert day_one(state, 7) == datetime.now(UTC).date()


def test_the_calendar_follows_from_day_one() -> None:
    calendar = Calendar(date(2026, 11, 27))

    assert (calendar.academic_year, calendar.next_academic_year) == ("2026-27", "2027-28")
    assert calendar.financial_year == "2026-27"
    assert calendar.last_day_of_year == date(2027, 7, 21)
    assert calendar.next_september == date(2027, 9, 1)
    assert Calendar(date(2027, 3, 1)).financial_year == "2026-27"
