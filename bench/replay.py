"""`make bench-replay` (`python -m bench.replay`): the auditor's replay of a long decision log,
actually run. Ten million sealed events by default, written once to bench topics on the local
broker; then `inclusion audit verify`'s own code over them in a process of its own, whose time
and peak memory (its own and its largest worker's) are what an auditor would see; then a raw
aiokafka consume of the same topics in the same run, as the baseline. The topics are deleted at
the end.

Prints a table, and a JSON file's path as the last line."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import resource
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import audit_bench, kafka_baselines
from bench.infra import delete_topics, local_infra, require_local_kafka
from bench.runner import write_audit_log
from bench.sizes import Sizes
from inclusion_cli.paths import state_dir
from inclusion_shared.messaging.connection import KafkaSettings

TEN_MILLION = 10_000_000
MIB = 1024 * 1024


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.replay", description=__doc__)
    parser.add_argument("--events", type=int, default=TEN_MILLION, help="events in the log")
    parser.add_argument("--out", type=Path, help="folder for the JSON (default .local/bench)")
    # How the bench runs the measured audit in a process of its own: a deployment, its topics.
    parser.add_argument("--verify", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def progress(message: str) -> None:
    print(f"[bench-replay {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def verify_here(kafka: KafkaSettings, deployment: str, topics: list[str]) -> dict[str, Any]:
    """In the measured process: the audit, its time and the peak memory of its processes."""
    verified = asyncio.run(audit_bench.verify_log(kafka, topics, deployment))
    report = verified.report
    return {
        "seconds": verified.seconds,
        "events": sum(chain.events for chain in report.chains.values()),
        "passed": report.passed,
        "failures": [str(finding) for finding in report.failures[:3]],
        # ru_maxrss is in KiB on Linux; for children, that of the largest one.
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB,
        "worker_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / MIB,
    }


def measured_verify(deployment: str, topics: list[str]) -> dict[str, Any]:
    """The audit in a fresh process, so its peak memory is the audit's alone."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.replay", "--verify", deployment, *topics],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def replay(events: int) -> dict[str, Any]:
    infra = local_infra()
    require_local_kafka(infra.kafka)
    progress(f"writing the log: {events:,} sealed events")
    log = await write_audit_log(infra, dataclasses.replace(Sizes.scaled(1), audit_events=events))
    try:
        progress(f"written in {log.write_seconds:.0f}s ({log.bytes / 1e9:.1f} GB)")
        progress("inclusion audit verify, in a process of its own")
        verified = await asyncio.to_thread(measured_verify, log.prefix, log.topics)
        if not verified["passed"] or verified["events"] != log.events:
            raise AssertionError(f"the audit of the replay log should pass: {verified}")
        progress(f"verified in {verified['seconds']:.0f}s; raw consume of the same topics")
        consumed = await kafka_baselines.consume(infra.kafka, log.topics)
    finally:
        await delete_topics(infra.kafka, log.prefix)
    verify_per_s = log.events / verified["seconds"]
    raw_per_s = consumed.records / consumed.seconds
    return {
        "events": log.events,
        "log_gb": log.bytes / 1e9,
        "write_seconds": log.write_seconds,
        "verify_seconds": verified["seconds"],
        "verify_per_s": verify_per_s,
        "raw_consume_seconds": consumed.seconds,
        "raw_consume_per_s": raw_per_s,
        "verify_vs_raw_consume": verify_per_s / raw_per_s,
        "peak_rss_mib": verified["peak_rss_mib"],
        "worker_peak_rss_mib": verified["worker_peak_rss_mib"],
    }


def table(figures: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"log: {figures['events']:,} events, {figures['log_gb']:.1f} GB,"
            f" written in {figures['write_seconds']:.0f} s",
            f"inclusion audit verify: {figures['verify_seconds']:.0f} s"
            f" ({figures['verify_per_s']:,.0f} events/s)",
            f"raw aiokafka consume:   {figures['raw_consume_seconds']:.0f} s"
            f" ({figures['raw_consume_per_s']:,.0f} events/s)",
            f"verify / raw consume:   {figures['verify_vs_raw_consume']:.2f}",
            f"peak RSS: audit process {figures['peak_rss_mib']:.0f} MiB,"
            f" largest worker {figures['worker_peak_rss_mib']:.0f} MiB",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    if args.verify:
        deployment, *topics = args.verify
        print(json.dumps(verify_here(local_infra().kafka, deployment, topics)))
        return
    begun = datetime.now(UTC)
    figures = asyncio.run(replay(args.events))
    figures |= {
        "measured_at": begun.isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "load_average_1m": os.getloadavg()[0],
    }
    print(table(figures))
    out = args.out or state_dir().root / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"replay-{begun:%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(path)


if __name__ == "__main__":
    main()
