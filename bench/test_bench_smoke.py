"""The bench at a tiny scale, end to end against the real local Kafka and PostgreSQL: it must
finish, print its table and name a JSON file holding every ratio. Not a timed test: the figures
are whatever this machine gives."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from inclusion_cli.testing import ensure_test_kafka, ensure_test_postgres

REPO = Path(__file__).resolve().parent.parent
RATIOS = ("relay_vs_raw_produce", "consumer_vs_raw_tx", "command_p99_vs_budget")
TRANSPORT = ("relay_sasl_ssl_vs_plaintext", "consumer_sasl_ssl_vs_plaintext")


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=540, check=False
    )


@pytest.mark.timeout(600)
def test_a_tiny_bench_run_prints_its_table_and_names_its_json(tmp_path: Path) -> None:
    # Started here, as the other tests start them, rather than by the bench's own process.
    ensure_test_kafka()
    ensure_test_postgres()
    finished = run_bench("-m", "bench", "--scale", "0.001", "--runs", "1", "--out", str(tmp_path))
    assert finished.returncode == 0, finished.stderr[-3000:]
    lines = finished.stdout.strip().splitlines()
    assert "Ratios" in finished.stdout
    written = Path(lines[-1])
    assert written.parent == tmp_path and written.name.startswith("bench-")
    result = json.loads(written.read_text())
    for name in (*RATIOS, "audit_vs_raw_consume"):
        assert name in result["ratios"]
        assert math.isfinite(result["figures"][name]["median"])
    assert result["figures"]["command_failed"]["median"] == 0
    assert result["figures"]["command_events_missing"]["median"] == 0
    assert result["figures"]["senif_decisions_failed"]["median"] == 0
    assert result["figures"]["senif_decision_peak_per_s"]["median"] > 0
    assert result["audit_log"]["events"] == 1000
    # The cost of TLS and SASL, over the secure broker the bench starts unless --no-secure.
    for name in TRANSPORT:
        assert math.isfinite(result["transport"]["ratios"][name]["median"])


@pytest.mark.timeout(600)
def test_a_short_replay_verifies_its_whole_log_in_workers_and_reports_its_memory(
    tmp_path: Path,
) -> None:
    ensure_test_kafka()
    events = 30_000  # above the length an audit verifies without worker processes
    finished = run_bench("-m", "bench.replay", "--events", str(events), "--out", str(tmp_path))
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(Path(finished.stdout.strip().splitlines()[-1]).read_text())
    assert result["events"] == events
    assert math.isfinite(result["verify_vs_raw_consume"])
    assert result["peak_rss_mib"] > 0 and result["worker_peak_rss_mib"] > 0
