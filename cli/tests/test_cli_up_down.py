"""`inclusion up` / `down` / `status` end to end with stand-in services and external (given)
infrastructure, so nothing real is started or stopped."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inclusion_cli import main
from inclusion_cli.demo.command import DemoResult
from inclusion_cli.main import app
from inclusion_cli.services import SERVICE_PORTS

runner = CliRunner()


def _port_taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def home(
    tmp_path: Path,
    fake_bin: Path,
    healthy_service: Callable[[str], tuple[str, ...]],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Path]:
    if any(_port_taken(port) for port in SERVICE_PORTS.values()):
        pytest.skip("ports 8001-8005 are in use (is the suite running?)")
    for name in SERVICE_PORTS:
        healthy_service(f"inclusion-{name}")
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    monkeypatch.setenv("INCLUSION_SERVICES_BIN_DIR", str(fake_bin))
    # Given infrastructure: `up` must start none of its own. Nothing listens on port 1.
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone:pw@127.0.0.1:1/db")
    yield tmp_path
    runner.invoke(app, ["down"])


def test_up_is_idempotent_and_down_stops_the_services(home: Path) -> None:
    first = runner.invoke(app, ["up"])
    assert first.exit_code == 0, first.output
    assert first.output.count("started") == len(SERVICE_PORTS)
    assert first.output.count("external") == 2
    assert "http://127.0.0.1:8001/docs" in first.output
    pids = {name: (home / ".local/pids" / f"{name}.pid").read_text() for name in SERVICE_PORTS}
    assert not (home / ".local/kafka/kafka.pid").exists()
    assert (home / ".local/keys/dev-signing-key.pub.pem").is_file()

    second = runner.invoke(app, ["up"])
    assert second.exit_code == 0, second.output
    assert second.output.count("already running") == len(SERVICE_PORTS)
    assert pids == {n: (home / ".local/pids" / f"{n}.pid").read_text() for n in SERVICE_PORTS}

    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert status.output.count("running") == len(SERVICE_PORTS)
    assert status.output.count("external") == 2

    down = runner.invoke(app, ["down"])
    assert down.exit_code == 0, down.output
    assert sorted(down.output.split()) == sorted(
        ["stopped"] * len(SERVICE_PORTS) + list(SERVICE_PORTS)
    )


def test_up_fails_with_the_log_tail_of_a_service_that_does_not_start(
    home: Path, crashing_service: Callable[[str], tuple[str, ...]]
) -> None:
    crashing_service("inclusion-reviews")

    result = runner.invoke(app, ["up"])

    assert result.exit_code == 1
    assert "reviews is not ready" in result.output
    assert "boom: cannot reach the database" in result.output


@pytest.mark.parametrize(
    ("failed_steps", "audit_passed", "exit_code"),
    [(0, True, 0), (0, False, 1), (2, True, 1), (0, None, 0)],
    ids=["sound", "log-does-not-verify", "steps-failed", "audit-not-run"],
)
def test_the_demo_command_fails_when_its_audit_or_a_step_fails(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failed_steps: int,
    audit_passed: bool | None,
    exit_code: int,
) -> None:
    monkeypatch.setenv("INCLUSION_HOME", str(tmp_path))
    outcome = DemoResult("the demo's report", failed_steps, audit_passed)
    monkeypatch.setattr(main, "run_demo", lambda *_, **__: outcome)

    result = runner.invoke(app, ["demo"])

    assert result.exit_code == exit_code, result.output
    assert "the demo's report" in result.output
