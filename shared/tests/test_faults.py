"""Fault points a fault campaign can time: a process told `point:N` dies the N-th time it
reaches the point, and the bare `point` form still dies the first time; a raise point raises
once, on the arrival it is told, and the process lives on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from inclusion_shared.faults import (
    CRASH_AFTER_ENV,
    CRASH_ENV,
    RAISE_ENV,
    crash_target,
    fault_point,
)

# Reaches the point five times, printing a line before each; dies (SIGKILL) where it is told.
REACHES_FIVE_TIMES = """
from inclusion_shared.faults import crash_point
for n in range(1, 6):
    print(n, flush=True)
    crash_point("relay.after_publish")
"""


# Reaches the point once at once, then four times after 1.5 s.
REACHES_ONCE_THEN_LATER = """
import time
from inclusion_shared.faults import crash_point
for n in range(1, 6):
    if n == 2:
        time.sleep(1.5)
    print(n, flush=True)
    crash_point("relay.after_publish")
"""


def run_with(
    crash_at: str | None, after: str | None = None, program: str = REACHES_FIVE_TIMES
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (CRASH_ENV, CRASH_AFTER_ENV)}
    if crash_at is not None:
        env[CRASH_ENV] = crash_at
    if after is not None:
        env[CRASH_AFTER_ENV] = after
    return subprocess.run(
        [sys.executable, "-c", program],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_process_told_the_third_time_dies_on_reaching_the_point_the_third_time() -> None:
    finished = run_with("relay.after_publish:3")

    assert finished.returncode == -signal.SIGKILL
    assert finished.stdout.split() == ["1", "2", "3"]


def test_a_bare_point_name_still_dies_the_first_time() -> None:
    finished = run_with("relay.after_publish")

    assert finished.returncode == -signal.SIGKILL
    assert finished.stdout.split() == ["1"]


def test_arrivals_before_the_arming_delay_do_not_count() -> None:
    finished = run_with("relay.after_publish:2", after="1", program=REACHES_ONCE_THEN_LATER)

    assert finished.returncode == -signal.SIGKILL
    assert finished.stdout.split() == ["1", "2", "3"]


@pytest.mark.parametrize("crash_at", [None, "consumer.before_commit:1", "relay.after_publish:9"])
def test_a_process_not_told_to_die_here_or_not_yet_runs_to_its_end(crash_at: str | None) -> None:
    finished = run_with(crash_at)

    assert finished.returncode == 0
    assert finished.stdout.split() == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("value", ["", "relay.after_publish:soon", "relay.after_publish:0"])
def test_an_unreadable_crash_request_never_crashes_a_service(value: str) -> None:
    assert crash_target(value) is None


def test_a_raise_point_raises_once_on_the_arrival_it_is_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(RAISE_ENV, "test.raises_on_the_third:3")
    raised = []
    for n in range(1, 6):
        try:
            fault_point("test.raises_on_the_third", ConnectionError)
        except ConnectionError as error:
            raised.append((n, str(error)))

    assert raised == [(3, "fault injected at test.raises_on_the_third (arrival 3)")]


@pytest.mark.parametrize("raise_at", [None, "", "test.elsewhere:1", "test.never:soon"])
def test_a_raise_point_not_named_is_a_no_op(
    monkeypatch: pytest.MonkeyPatch, raise_at: str | None
) -> None:
    if raise_at is None:
        monkeypatch.delenv(RAISE_ENV, raising=False)
    else:
        monkeypatch.setenv(RAISE_ENV, raise_at)

    for _ in range(3):
        fault_point("test.never", RuntimeError)
