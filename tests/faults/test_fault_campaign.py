"""The fault campaign's short version, end to end: a broker, a PostgreSQL cluster and five
service processes of its own, SIGKILLed at every crash point and from outside, errors raised in
the relay and in dead-lettering, the broker restarted with poisons in flight and the database
restarted, services started while PostgreSQL is down, tables locked past the statement timeout,
bursts of oversized requests, poison messages fed in, all under a steady load of real commands.
After it settles nothing answered may be lost, nothing applied twice, out of order or skipped
past, and the audit must pass.

`make faults` is the long version; both leave the shared broker and cluster alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CRASH_POINTS = (
    "unit_of_work.after_commit",
    "relay.after_publish",
    "relay.mid_batch",
)
CONSUMER_POINTS = (
    "consumer.between_records",
    "consumer.before_db_commit",
    "consumer.before_commit",
)
RAISE_POINTS = ("relay.before_record", "consumer.before_dead_letter")
POISONS = ("malformed-json", "wrong-schema", "unknown-type", "oversized")


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("faults")
    finished = subprocess.run(
        [sys.executable, "-m", "faults", "--quick", "--seed", "11", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    lines = finished.stdout.strip().splitlines()
    assert lines, finished.stderr[-3000:]
    written = Path(lines[-1])
    assert written.parent == out and written.name.startswith("faults-"), finished.stdout[-3000:]
    result: dict[str, object] = json.loads(written.read_text())
    result["exit_code"] = finished.returncode
    result["stdout"] = finished.stdout
    return result


@pytest.mark.timeout(900)
def test_nothing_commanded_is_lost_doubled_reordered_or_skipped_through_every_fault(
    campaign: dict[str, object],
) -> None:
    assert campaign["lost"] == 0, campaign["stdout"]
    assert campaign["doubled"] == 0, campaign["stdout"]
    assert campaign["out_of_order"] == 0, campaign["stdout"]
    assert campaign["skipped"] == 0, campaign["stdout"]
    assert campaign["failure_counts"] == {}, campaign["stdout"]
    assert campaign["passed"] and campaign["exit_code"] == 0, campaign["stdout"]


@pytest.mark.timeout(900)
def test_every_kind_of_fault_happened_under_load(campaign: dict[str, object]) -> None:
    faults = campaign["faults"]
    assert isinstance(faults, dict)
    kills = faults["kills"]
    for point in (*CRASH_POINTS, "sigkill"):
        assert kills.get(point, 0) >= 1, kills
    assert sum(kills.get(point, 0) for point in CONSUMER_POINTS) >= 1, kills
    assert faults["broker_restarts"] >= 2 and faults["postgres_restarts"] >= 3
    assert set(faults["poison_messages"]) == set(POISONS)
    assert isinstance(campaign["commands_sent"], int) and campaign["commands_sent"] > 200


@pytest.mark.timeout(900)
def test_raised_errors_were_recovered_from(campaign: dict[str, object]) -> None:
    faults = campaign["faults"]
    assert isinstance(faults, dict)
    for point in RAISE_POINTS:
        assert faults["raised"][point]["raised"] >= 1, faults["raised"]
    # The relay's supervisor restarted it; the consumer tried the record whose dead letter
    # failed again (the oracle found every poison dead-lettered, nothing skipped).
    assert faults["tasks_restarted_by_their_supervisor"] >= 1, faults
    assert faults["consumed_records_tried_again"] >= 1, faults
    in_flight = faults["broker_stops_with_poisons_in_flight"]
    assert in_flight["stops"] >= 1 and in_flight["poisons"] >= 1, in_flight


@pytest.mark.timeout(900)
def test_services_rode_out_a_missing_database_a_slow_one_and_oversized_requests(
    campaign: dict[str, object],
) -> None:
    faults = campaign["faults"]
    assert isinstance(faults, dict)
    down = faults["postgres_down_at_start"]
    assert down["count"] >= 1 and down["exited_while_down"] == 0, down
    assert down["answers_while_down"].get("503", 0) >= 1, down
    # Each became ready once PostgreSQL was back (a failure to is in the verdict), unless it
    # died at its next armed crash point first.
    assert down["ready_after_postgres_seconds"]["count"] >= 1, down
    slow = faults["slow_database"]
    assert slow["locks_held"] >= 1, slow
    oversized = faults["oversized_requests"]
    assert oversized["announced"] >= 1 and oversized["streamed"] >= 1, oversized
    assert oversized["refused_413"] == oversized["announced"] + oversized["streamed"], oversized


@pytest.mark.timeout(900)
def test_the_log_passes_the_audit_and_poison_stalls_no_partition(
    campaign: dict[str, object],
) -> None:
    audit, stalls = campaign["audit"], campaign["stalls"]
    assert isinstance(audit, dict) and isinstance(stalls, dict)
    assert audit["passed"], audit["first_divergence"]
    longest = stalls["longest_quiet_seconds"]
    assert longest is None or longest <= 1.0, stalls
