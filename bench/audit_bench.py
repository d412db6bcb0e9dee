"""`inclusion audit verify` over a large log: sealed chains written to bench topics by one process
per chain, then read back from offset 0 by the auditor's own reader and Verifier, and by a raw
aiokafka consumer, over the same topics."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from bench.events import (
    AUDITED_FUNDING_MIX,
    CHAINS,
    ChainSealer,
    bench_contracts,
    chain_events,
    chain_groups,
)
from bench.kafka_baselines import HEADERS, raw_producer, started
from bench.stats import clock
from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.run import audit_log
from inclusion_cli.audit.verify import Verifier
from inclusion_shared.messaging.connection import KafkaSettings

IN_FLIGHT = 20_000


@dataclass(frozen=True)
class Written:
    events: int
    bytes: int
    seconds: float


def write_log(kafka: KafkaSettings, prefix: str, deployment: str, events: int) -> Written:
    """Seal ``events`` across the chains, in parallel processes, and produce them."""
    per_chain = [events // len(CHAINS) + (i < events % len(CHAINS)) for i in range(len(CHAINS))]
    begun = clock()
    with ProcessPoolExecutor(len(CHAINS), mp_context=multiprocessing.get_context("spawn")) as pool:
        sizes = list(
            pool.map(
                _write_chain,
                [kafka] * len(CHAINS),
                CHAINS,
                [prefix] * len(CHAINS),
                [deployment] * len(CHAINS),
                per_chain,
            )
        )
    return Written(events, sum(sizes), clock() - begun)


def _write_chain(
    kafka: KafkaSettings, service: str, prefix: str, deployment: str, count: int
) -> int:
    return asyncio.run(_produce_chain(kafka, service, prefix, deployment, count))


async def _produce_chain(
    kafka: KafkaSettings, service: str, prefix: str, deployment: str, count: int
) -> int:
    sealer = ChainSealer(service, bench_contracts(prefix), deployment)
    size = 0
    async with started(raw_producer(kafka)) as producer:
        pending = []
        for new in chain_events(service, count, AUDITED_FUNDING_MIX):
            event = sealer.seal(new)
            value = event.to_bytes()
            size += len(value)
            pending.append(
                await producer.send(
                    sealer.topic_of(event),
                    value=value,
                    key=event.subject.encode(),
                    headers=HEADERS[:1],
                )
            )
            if len(pending) >= IN_FLIGHT:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
    return size


@dataclass(frozen=True)
class Verified:
    report: AuditReport
    seconds: float


async def verify_log(kafka: KafkaSettings, topics: Sequence[str], deployment: str) -> Verified:
    """What `inclusion audit verify` does, over the bench topics instead of the catalogue's, a
    worker process for each chain's topics."""
    verifier = Verifier({}, deployment=deployment)
    begun = clock()
    report = await audit_log(kafka, list(topics), verifier, groups=chain_groups(deployment))
    return Verified(report, clock() - begun)
