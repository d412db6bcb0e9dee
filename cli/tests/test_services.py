"""Process handling for the services, against stand-in HTTP servers (real processes)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from inclusion_cli.paths import StateDir
from inclusion_cli.procs import pid_alive
from inclusion_cli.services import (
    ServiceSpec,
    service_env,
    service_pid,
    start_services,
    stop_services,
)


@pytest.fixture
def state(tmp_path: Path) -> StateDir:
    return StateDir(tmp_path / ".local").ensure()


Command = tuple[str, ...]


@pytest.fixture
def specs(
    healthy_service: Callable[[str], Command], port: Callable[[], int], state: StateDir
) -> Iterator[list[ServiceSpec]]:
    made = [
        ServiceSpec("funding", port(), healthy_service("svc-funding")),
        ServiceSpec("reviews", port(), healthy_service("svc-reviews")),
    ]
    yield made
    stop_services(state, made)


def envs(specs: list[ServiceSpec], tmp_path: Path) -> dict[str, dict[str, str]]:
    return {
        spec.name: service_env(
            spec,
            kafka="127.0.0.1:1",
            database_url=f"postgresql://x@127.0.0.1:1/{spec.name}",
            public_key=tmp_path / "key.pub.pem",
            personal_data_key=tmp_path / "personal-data.key",
        )
        for spec in specs
    }


def test_services_start_become_ready_and_stop(
    state: StateDir, specs: list[ServiceSpec], tmp_path: Path
) -> None:
    outcomes = start_services(state, specs, envs(specs, tmp_path), timeout=20)

    assert [(o.spec.name, o.started, o.ready) for o in outcomes] == [
        ("funding", True, True),
        ("reviews", True, True),
    ]
    log = (state.logs / "reviews.log").read_text()
    assert "postgresql://x@127.0.0.1:1/reviews" in log  # each got its own DATABASE_URL
    pids = [o.pid for o in outcomes]

    assert stop_services(state, specs) == ["funding", "reviews"]
    assert not any(pid_alive(pid) for pid in pids if pid)
    assert not list(state.pids.iterdir())


def test_second_start_leaves_running_services_alone(
    state: StateDir, specs: list[ServiceSpec], tmp_path: Path
) -> None:
    first = start_services(state, specs, envs(specs, tmp_path), timeout=20)
    second = start_services(state, specs, envs(specs, tmp_path), timeout=20)

    assert [o.pid for o in second] == [o.pid for o in first]
    assert not any(o.started for o in second)
    assert all(o.ready for o in second)


def test_a_crashing_service_is_reported_promptly_and_not_left_behind(
    state: StateDir,
    crashing_service: Callable[[str], Command],
    port: Callable[[], int],
    tmp_path: Path,
) -> None:
    spec = ServiceSpec("feedback", port(), crashing_service("svc-crash"))

    # The deadline is long: the test passes only because a dead process ends the wait early.
    [outcome] = start_services(state, [spec], envs([spec], tmp_path), timeout=120)

    assert not outcome.ready
    assert "boom" in (state.logs / "feedback.log").read_text()
    assert service_pid(state, spec) is None


def test_a_missing_command_is_reported(state: StateDir, tmp_path: Path) -> None:
    spec = ServiceSpec("placements", 1, (str(tmp_path / "bin" / "inclusion-placements"),))

    [outcome] = start_services(state, [spec], envs([spec], tmp_path), timeout=5)

    assert not outcome.ready
    assert outcome.error is not None and "not installed" in outcome.error


def test_a_recycled_pid_is_not_mistaken_for_the_service(
    state: StateDir, specs: list[ServiceSpec]
) -> None:
    # Our own pid is alive but runs pytest, not the service's command.
    (state.pids / "funding.pid").write_text(f"{os.getpid()}\n")

    assert service_pid(state, specs[0]) is None


def test_a_port_held_by_another_process_is_reported(
    state: StateDir, healthy_service: Callable[[str], Command], tmp_path: Path
) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        spec = ServiceSpec("funding", squatter.getsockname()[1], healthy_service("svc-funding"))

        [outcome] = start_services(state, [spec], envs([spec], tmp_path), timeout=5)

    assert not outcome.ready
    assert outcome.error is not None and "is taken" in outcome.error
    assert service_pid(state, spec) is None
