"""`python -m faults` (`make faults`): the fault campaign against a broker, a PostgreSQL cluster
and five service processes of its own (never the shared ones), with a seeded schedule. Prints
its figures, writes them as JSON and names that file on the last line; exits 1 if the oracle
found anything lost, doubled, out of order or skipped, a service misbehaving under a fault (an
oversized request not refused, not ready again after starting with PostgreSQL down), something
stuck that never settled, the audit failed, or a poison message stalled a partition for more
than a second.

`--quick` is the short version `make test` runs."""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from faults import report
from faults.campaign import Options, run
from faults.infra import Ports
from inclusion_cli.paths import state_dir

QUICK = {
    "kills": 12,
    "broker_restarts": 2,
    "postgres_restarts": 3,
    "rejoins": 2,
    "raises": 6,
    "postgres_down": 2,
    "locks": 3,
    "bursts": 2,
}


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m faults", description=__doc__)
    parser.add_argument("--seed", type=int, default=2026, help="the schedule's seed")
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs of service processes")
    parser.add_argument("--broker-restarts", type=int, default=20)
    parser.add_argument("--postgres-restarts", type=int, default=20)
    parser.add_argument("--rejoins", type=int, default=10, help="raw aiokafka rejoins to time")
    parser.add_argument(
        "--raises", type=int, default=40, help="errors raised in the relay or a dead-lettering"
    )
    parser.add_argument(
        "--postgres-down", type=int, default=10, help="services started with PostgreSQL down"
    )
    parser.add_argument(
        "--locks", type=int, default=20, help="tables locked past the statement timeout"
    )
    parser.add_argument("--bursts", type=int, default=10, help="bursts of oversized requests")
    parser.add_argument(
        "--statement-timeout", type=float, default=2.0, help="the services' statement timeout, s"
    )
    parser.add_argument("--workers", type=int, default=6, help="load generator threads")
    parser.add_argument("--quick", action="store_true", help="the short version: " + str(QUICK))
    parser.add_argument("--out", type=Path, help="folder for the JSON (default .local/faults)")
    parser.add_argument("--kafka-port", type=int, default=Ports.kafka)
    parser.add_argument("--postgres-port", type=int, default=Ports.postgres)
    parser.add_argument("--first-service-port", type=int, default=Ports.first_service)
    parser.add_argument("--timeout", type=float, default=7200, help="stop after this many seconds")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    return args


def progress(message: str) -> None:
    print(f"[faults {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    root = state_dir().root / "faults"
    out = args.out or root
    started = datetime.now(UTC)
    workdir = root / f"run-{started:%Y%m%dT%H%M%SZ}"
    workdir.mkdir(parents=True, exist_ok=True)
    quick = args.quick
    # The clients' complaints while the broker or the database is down are expected by the
    # thousand: into the run's log, with what the injector did, not onto the terminal.
    logging.basicConfig(
        filename=workdir / "campaign.log",
        level=logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    logging.getLogger("faults").setLevel(logging.INFO)
    options = Options(
        seed=args.seed,
        kills=args.kills,
        broker_restarts=args.broker_restarts,
        postgres_restarts=args.postgres_restarts,
        raises=args.raises,
        postgres_down=args.postgres_down,
        locks=args.locks,
        bursts=args.bursts,
        statement_timeout=args.statement_timeout,
        workers=args.workers if not quick else min(args.workers, 4),
        rejoins=args.rejoins,
        point_timeout=30.0 if quick else 45.0,
        gap=(6.0, 12.0) if quick else (5.0, 20.0),
        poisons_each=2,
        workdir=workdir,
        ports=Ports(
            kafka=args.kafka_port,
            controller=args.kafka_port + 1,
            postgres=args.postgres_port,
            first_service=args.first_service_port,
        ),
    )
    # One campaign at a time on this machine's campaign broker and cluster.
    lock = (root / "campaign.lock").open("a")
    fcntl.flock(lock, fcntl.LOCK_EX)
    progress(f"seed {args.seed}: {args.kills} kills, {args.raises} raised errors, "
             f"{args.broker_restarts} broker and {args.postgres_restarts} PostgreSQL restarts, "
             f"{args.postgres_down} starts with PostgreSQL down, {args.locks} locked tables, "
             f"{args.bursts} oversized bursts; logs in {workdir}")  # fmt: skip

    async def bounded() -> dict[str, object]:
        # Stopped from outside, it still stops its services, broker and cluster on the way out.
        running = asyncio.current_task()
        assert running is not None
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, running.cancel)
        async with asyncio.timeout(args.timeout):
            return await run(options, progress)

    try:
        result = asyncio.run(bounded())
    except asyncio.CancelledError:
        progress("stopped: the campaign's services, broker and cluster were stopped")
        return 128 + signal.SIGTERM
    print(report.text(result))
    path = out / f"faults-{started:%Y%m%dT%H%M%SZ}.json"
    report.write(path, result)
    print(path)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
