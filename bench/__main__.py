"""`python -m bench` (`make bench`): several runs against the local Kafka and PostgreSQL, a table
of medians on stdout, and a JSON file whose path is the last line printed.

BENCH_SCALE (or --scale) scales every size; --quick is a short run (scale 0.02, one run).

Unless --no-secure, each run also measures the cost of TLS and SASL: the relay, the consumer and
the raw produce and consume over the secure local broker (`inclusion up --secure`'s, SASL_SSL
with SCRAM-SHA-512, as its super user) against the same over the plain one. The secure broker is
started if it is not running, and then stopped at the end."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.infra import Infra, delete_topics, local_infra, require_local_kafka
from bench.runner import AuditLog, Figures, medians, run_once, write_audit_log
from bench.sizes import Sizes
from inclusion_cli.infra.kafka import KafkaNode, ensure_kafka, stop_kafka
from inclusion_cli.paths import state_dir
from inclusion_cli.secure import secure_stack
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.observability.tracing import configure_tracing

QUICK_SCALE = 0.02


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run: scale 0.02, one run")
    parser.add_argument("--scale", type=float, help="scale every size (default: BENCH_SCALE or 1)")
    parser.add_argument("--runs", type=int, help="runs to take medians over (default 3)")
    parser.add_argument("--out", type=Path, help="folder for the JSON (default .local/bench)")
    parser.add_argument(
        "--no-secure",
        action="store_true",
        help="skip the cost of TLS and SASL (no secure broker started or used)",
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="stop the whole bench after this many seconds"
    )
    return parser.parse_args(argv)


def progress(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


async def bench(
    infra: Infra, sizes: Sizes, runs: int, workdir: Path
) -> tuple[AuditLog, list[Figures]]:
    progress(f"writing the audit log: {sizes.audit_events:,} sealed events")
    log = await write_audit_log(infra, sizes)
    try:
        progress(f"audit log written in {log.write_seconds:.1f}s ({log.bytes / 1e6:,.0f} MB)")
        results: list[Figures] = []
        for number in range(1, runs + 1):
            progress(f"run {number} of {runs}")
            results.append(await run_once(infra, sizes, log, workdir))
        return log, results
    finally:
        await delete_topics(infra.kafka, log.prefix)


@dataclasses.dataclass(frozen=True)
class SecureBroker:
    node: KafkaNode
    admin: KafkaSettings
    """its super user: the one principal there that may create the bench's topics"""
    started: bool
    """by the bench, which then stops it at the end"""


def secure_broker() -> SecureBroker:
    """The secure local broker, started unless it runs."""
    stack = secure_stack(state_dir().ensure())
    started = ensure_kafka(stack.node).started
    require_local_kafka(stack.node.admin)
    return SecureBroker(stack.node, stack.node.admin, started)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    scale = args.scale or (QUICK_SCALE if args.quick else float(os.environ.get("BENCH_SCALE", 1)))
    runs = args.runs or (1 if args.quick else 3)
    sizes = Sizes.scaled(scale)
    out = args.out or state_dir().root / "bench"
    started = datetime.now(UTC)
    workdir = out / f"work-{started:%Y%m%dT%H%M%SZ}"
    workdir.mkdir(parents=True, exist_ok=True)
    # Spans are created as in a service (no exporter), so the kit's tracing costs what it costs.
    configure_tracing("bench", None)
    infra = local_infra()
    secure = None if args.no_secure else secure_broker()
    if secure is not None:
        infra = dataclasses.replace(infra, secure=secure.admin)
        state = "started" if secure.started else "already running"
        progress(f"secure Kafka {secure.admin.bootstrap_servers} (SASL_SSL) {state}")
    progress(
        f"Kafka {infra.kafka.bootstrap_servers}, scale {scale:g}, {runs} run(s), logs in {workdir}"
    )

    async def bounded() -> tuple[AuditLog, list[Figures]]:
        # Stopped from outside, it still stops the funding service, drops its scratch database
        # and deletes its topics on the way out.
        running = asyncio.current_task()
        assert running is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, running.cancel)
        async with asyncio.timeout(args.timeout):
            return await bench(infra, sizes, runs, workdir)

    try:
        log, results = asyncio.run(bounded())
    except asyncio.CancelledError:
        progress("stopped (SIGTERM): the run's service, database and topics were removed")
        return 128 + signal.SIGTERM
    finally:
        if secure is not None and secure.started:
            progress("stopping the secure Kafka the bench started")
            stop_kafka(secure.node)
    middle = medians(results)
    print(report.table(middle, results))
    context: dict[str, Any] = {
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "scale": scale,
        "runs": runs,
        "sizes": vars(sizes),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "audit_log": {
            "events": log.events,
            "bytes": log.bytes,
            "topics": log.topics,
            "write_seconds": round(log.write_seconds, 3),
        },
        "secure_kafka": None
        if infra.secure is None
        else {
            "bootstrap_servers": infra.secure.bootstrap_servers,
            "security_protocol": infra.secure.security_protocol,
            "sasl_mechanism": infra.secure.sasl_mechanism,
            "principal": f"{infra.secure.sasl_username} (super user: no ACL is checked)",
        },
        "command_path": "PUT /budgets/{area}/{year} over HTTP/1.1 to the funding service run "
        "by uvicorn in its own process on 127.0.0.1; event seen by a read_committed consumer",
    }
    path = out / f"bench-{started:%Y%m%dT%H%M%SZ}.json"
    report.write(path, report.document(middle, results, context))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
