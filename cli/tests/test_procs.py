from __future__ import annotations

import sys
from pathlib import Path

from inclusion_cli.procs import (
    pid_alive,
    running_pid,
    spawn_detached,
    stop_process,
    tail,
    wait_until,
)

STUBBORN = """
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ignoring SIGTERM", flush=True)
while True:
    time.sleep(1)
"""


def test_a_process_ignoring_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    log, pid_file = tmp_path / "stubborn.log", tmp_path / "stubborn.pid"
    pid = spawn_detached([sys.executable, "-c", STUBBORN], log_file=log, pid_file=pid_file)
    assert wait_until(lambda: "ignoring SIGTERM" in tail(log), timeout=20)
    assert running_pid(pid_file, ["-c"]) == pid

    stop_process(pid, timeout=0.5)

    assert not pid_alive(pid)
    assert running_pid(pid_file, ["-c"]) is None


def test_pid_file_with_other_command_is_not_ours(tmp_path: Path) -> None:
    log, pid_file = tmp_path / "p.log", tmp_path / "p.pid"
    pid = spawn_detached([sys.executable, "-c", STUBBORN], log_file=log, pid_file=pid_file)
    try:
        assert running_pid(pid_file, ["kafka.Kafka"]) is None
    finally:
        stop_process(pid, timeout=0.5)


def test_tail_of_a_missing_log_says_so(tmp_path: Path) -> None:
    assert "no log" in tail(tmp_path / "absent.log")
