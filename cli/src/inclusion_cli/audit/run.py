"""One audit of the log in Kafka: the parent process reads the topics and keeps the chains in
order; parsing and hashing, the cost of every record, runs in worker processes over batches.

Measured on a two-core machine, canonical JSON and SHA-256 take most of an audit's time and
need nothing but the record, so they spread over processes; what depends on order (positions,
duplicates, forks) stays in one place. A short log is digested in-process: starting workers
would cost more than it saves."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor

from inclusion_cli.audit.digest import Digested, digest_all
from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.log import Log, open_log
from inclusion_cli.audit.verify import LogBatch, Verifier
from inclusion_shared.messaging.connection import KafkaSettings

Progress = Callable[[int, int], None]
IN_PROCESS_BELOW = 20_000
"""Logs with fewer records than this are digested without worker processes."""


def default_workers() -> int:
    return os.cpu_count() or 1


async def audit_log(
    kafka: KafkaSettings,
    topics: list[str],
    verifier: Verifier,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Read every record of the topics into the verifier and return its report."""
    async with open_log(kafka, topics) as log:
        total = log.total
        count = default_workers() if workers is None else workers
        if count <= 0 or (workers is None and total < IN_PROCESS_BELOW):
            await _in_process(log, verifier, total, progress)
        else:
            with worker_pool(count) as pool:
                await _in_workers(log, verifier, pool, 2 * count + 1, total, progress)
    return verifier.finish()


def worker_pool(count: int) -> ProcessPoolExecutor:
    """Forked workers start in milliseconds with every module already imported; spawned or
    forkserver ones would first import the whole command line again as their main module
    (seconds, on a busy two-core machine). A worker only parses and hashes the values it is
    sent: it never touches the event loop or the Kafka connection it was forked with."""
    return ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts
    )


def _ignore_interrupts() -> None:
    """Ctrl-C stops the audit in the parent, which then shuts its workers down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


async def _in_process(log: Log, verifier: Verifier, total: int, progress: Progress | None) -> None:
    for_digest = functools.partial(digest_all, verifier.source_prefix, verifier.read_in_full)
    done = 0
    async for batch in log.batches():
        digests = for_digest(*batch) if verifier.needs_digest(batch) else []
        verifier.take(batch, digests)
        done += len(batch.offsets)
        if progress is not None:
            progress(done, total)


async def _in_workers(
    log: Log,
    verifier: Verifier,
    pool: Executor,
    in_flight: int,
    total: int,
    progress: Progress | None,
) -> None:
    loop = asyncio.get_running_loop()
    for_digest = functools.partial(digest_all, verifier.source_prefix, verifier.read_in_full)
    pending: deque[tuple[LogBatch, asyncio.Future[list[Digested]] | None]] = deque()
    done = 0

    async def take_oldest() -> None:
        nonlocal done
        batch, digests = pending.popleft()
        verifier.take(batch, [] if digests is None else await digests)
        done += len(batch.offsets)
        if progress is not None:
            progress(done, total)

    async for batch in log.batches():
        if verifier.needs_digest(batch):
            pending.append((batch, loop.run_in_executor(pool, for_digest, *batch)))
        else:
            pending.append((batch, None))
        while pending and (len(pending) >= in_flight or _ready(pending[0][1])):
            await take_oldest()
    while pending:
        await take_oldest()


def _ready(digests: asyncio.Future[list[Digested]] | None) -> bool:
    return digests is None or digests.done()
