"""One audit of the log in Kafka. Each service's chain is independent of the others until the
causation links are followed at the end, so worker processes verify the chains apart, each
reading its own topics from Kafka and checking them as they arrive (``Verifier.part``), and the
parent joins what they find (``joined``). The parent reads the signed checkpoints first and
hands each worker those of its chain.

Measured on a two-core machine: reading, parsing and hashing a record each cost about as much
as the chain work, and sending records or digests between processes costs as much again, so a
worker that reads its own partitions outruns one fed by the parent. A short log is verified
in-process: starting workers would cost more than it saves."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from inclusion_cli.audit.digest import digest_all
from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.log import open_log
from inclusion_cli.audit.verify import OverlappingParts, Part, Verifier, joined
from inclusion_shared.audit.checkpoints import Checkpoint
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, CATALOGUE
from inclusion_shared.messaging.connection import KafkaSettings

Progress = Callable[[int, int], None]
IN_PROCESS_BELOW = 20_000
"""Logs with fewer records than this are verified without worker processes."""
SERVICE_OF_TOPIC = {topic.name: topic.service for topic in CATALOGUE}


def default_workers() -> int:
    return os.cpu_count() or 1


def chain_groups(topics: Iterable[str]) -> list[list[str]]:
    """The topics each worker reads: a service's together, as the catalogue has them (its
    chain is on those); a topic the catalogue does not know, on its own."""
    groups: dict[str, list[str]] = {}
    for topic in topics:
        groups.setdefault(SERVICE_OF_TOPIC.get(topic, topic), []).append(topic)
    return list(groups.values())


async def audit_log(
    kafka: KafkaSettings,
    topics: list[str],
    verifier: Verifier,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    groups: Sequence[Sequence[str]] | None = None,
) -> AuditReport:
    """Read every record of the topics into the verifier and return its report.

    ``groups`` says which topics hold whole chains (by default, ``chain_groups``). Should a
    chain turn out to be in two groups (an event on another service's topic), the log is read
    again in this process alone, which needs no such promise."""
    events = [topic for topic in topics if topic != AUDIT_CHECKPOINTS.name]
    async with open_log(kafka, events) as log:
        total = log.total
    verifier.positions = total
    count = default_workers() if workers is None else workers
    if count <= 0 or (workers is None and total < IN_PROCESS_BELOW):
        return await _in_process(kafka, topics, verifier, total, progress)
    await _checkpoints(kafka, topics, verifier)
    parts = chain_groups(events) if groups is None else [list(group) for group in groups]
    try:
        return joined(await _in_workers(kafka, verifier, parts, count, total, progress))
    except OverlappingParts:
        again = Verifier(verifier.public_keys, verifier.deployment)
        again.positions = total
        return await _in_process(kafka, topics, again, total, progress)


async def _checkpoints(kafka: KafkaSettings, topics: list[str], verifier: Verifier) -> None:
    """The signed checkpoints, read first so that each event can be checked against its
    checkpoint as it arrives, with its place in Kafka to show if it differs."""
    if AUDIT_CHECKPOINTS.name not in topics:
        return
    async with open_log(kafka, [AUDIT_CHECKPOINTS.name]) as log:
        async for batch in log.batches():
            verifier.take(batch, [])


async def _in_process(
    kafka: KafkaSettings,
    topics: list[str],
    verifier: Verifier,
    total: int,
    progress: Progress | None,
) -> AuditReport:
    await _checkpoints(kafka, topics, verifier)
    events = [topic for topic in topics if topic != AUDIT_CHECKPOINTS.name]
    await _read_into(kafka, events, verifier, total, progress)
    return verifier.finish()


async def _read_into(
    kafka: KafkaSettings,
    topics: list[str],
    verifier: Verifier,
    total: int,
    progress: Progress | None,
) -> None:
    for_digest = functools.partial(digest_all, verifier.source_prefix, verifier.read_in_full)
    done = 0
    async with open_log(kafka, topics) as log:
        async for batch in log.batches():
            verifier.take(batch, for_digest(*batch))
            done += len(batch.offsets)
            if progress is not None:
                progress(done, total)


async def _in_workers(
    kafka: KafkaSettings,
    verifier: Verifier,
    groups: list[list[str]],
    count: int,
    total: int,
    progress: Progress | None,
) -> list[Part]:
    """Each group of topics verified in a worker, given every checkpoint; the chains no worker
    saw an event of are finished here (their checkpoints then cover positions not in the log)."""
    checkpoints = verifier.hand_over_checkpoints()
    loop = asyncio.get_running_loop()
    with worker_pool(min(count, len(groups))) as pool:
        running = [
            loop.run_in_executor(
                pool, _verify_group, kafka, group, verifier.deployment, total, checkpoints
            )
            for group in groups
        ]
        parts: list[Part] = []
        done = 0
        for finished in asyncio.as_completed(running):
            part = await finished
            parts.append(part)
            done += part.report.records_read
            if progress is not None:
                progress(done, total)
    in_workers = {service for part in parts for service in part.report.chains}
    return [verifier.part(leave_out=in_workers), *parts]


def _verify_group(
    kafka: KafkaSettings,
    topics: list[str],
    deployment: str,
    positions: int,
    checkpoints: list[Checkpoint],
) -> Part:
    """In a worker: the chains on these topics, from offset 0 to the end, checked as read.
    The checkpoints' signatures were verified by the parent; the chains with no event on
    these topics are left out of the part."""
    verifier = Verifier({}, deployment)
    verifier.positions = positions
    for checkpoint in checkpoints:
        verifier.hold_checkpoint(checkpoint)
    asyncio.run(_read_into(kafka, topics, verifier, 0, None))
    return verifier.part(only_with_events=True)


def worker_pool(count: int) -> ProcessPoolExecutor:
    """Forked workers start in milliseconds with every module already imported; spawned or
    forkserver ones would first import the whole command line again as their main module
    (seconds, on a busy two-core machine). A worker opens its own Kafka connection: it never
    touches the event loop or the connections of the process it was forked from."""
    return ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts
    )


def _ignore_interrupts() -> None:
    """Ctrl-C stops the audit in the parent, which then shuts its workers down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
