"""One bench run: every baseline and every suite figure, on topics, a database and a deployment
named after the run, all removed when it ends; with a secure broker, the cost of TLS and SASL."""

from __future__ import annotations

import asyncio
import os
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from bench import audit_bench, command_bench, consumer_bench, kafka_baselines
from bench.command_bench import PRODUCTION_SAMPLED_EVERY
from bench.events import (
    ChainSealer,
    application_submitted,
    bench_contracts,
    bench_topics,
    chain_events,
)
from bench.handler import commitment
from bench.hashing import hash_events
from bench.infra import Infra, create_topics, delete_topics, scratch_database
from bench.postgres_baselines import Incoming, raw_transactions
from bench.relay_bench import backlog_records, fill_outbox, relay_backlog
from bench.sizes import Sizes
from bench.stats import median, ms, percentile, rate
from inclusion_shared.contracts.funding import ALLOCATION_COMMITTED, ApplicationSubmitted
from inclusion_shared.events.catalogue import Topic
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import ContractRegistry
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.persistence.outbox import NewEvent
from inclusion_shared.replay import merged_from_the_start
from inclusion_shared.settings import ServiceSettings

Figures = dict[str, float]
RELAY_BATCH = ServiceSettings.model_fields["relay_batch_size"].default
PEAK_CONCURRENCY = 32
# The figures measured over both brokers for the cost of TLS and SASL, each keyed
# ``<figure>_<transport>_per_s``, and their ratio ``<figure>_sasl_ssl_vs_plaintext``.
TRANSPORT_FIGURES = ("raw_produce", "raw_consume", "relay", "consumer")


def new_id() -> str:
    """A run's name: its topics' prefix and deployment (``bench-…``), its database (``bench_…``)."""
    return f"bench-{uuid4().hex[:10]}"


@dataclass(frozen=True)
class AuditLog:
    prefix: str
    topics: list[str]
    events: int
    bytes: int
    write_seconds: float


async def write_audit_log(infra: Infra, sizes: Sizes) -> AuditLog:
    prefix = new_id()
    registry = bench_contracts(prefix)
    topics = bench_topics(registry)
    await create_topics(infra.kafka, topics)
    written = await asyncio.to_thread(
        audit_bench.write_log, infra.kafka, prefix, prefix, sizes.audit_events
    )
    return AuditLog(
        prefix, [topic.name for topic in topics], written.events, written.bytes, written.seconds
    )


async def run_once(infra: Infra, sizes: Sizes, log: AuditLog, workdir: Path) -> Figures:
    run = new_id()
    # Everything on this machine shares its CPUs: a busy machine shows here first.
    figures: Figures = {"load_average_1m": os.getloadavg()[0]}
    try:
        async with scratch_database(infra.admin_dsn, run.replace("-", "_")) as database_url:
            await _kafka_and_relay(infra, sizes, run, database_url, figures)
            await _consumer(infra, sizes, run, database_url, workdir, figures)
            await _round_trips(infra, sizes, run, figures)
            await _commands(infra, sizes, run, database_url, workdir, figures)
            if infra.secure is not None:
                await _transport(infra, infra.secure, sizes, run, database_url, workdir, figures)
        await _audit(infra, log, figures)
    finally:
        try:
            await delete_topics(infra.kafka, run)
        finally:
            if infra.secure is not None:
                await delete_topics(infra.secure, run)
    return figures


async def _kafka_and_relay(
    infra: Infra, sizes: Sizes, run: str, database_url: str, figures: Figures
) -> None:
    registry, raw = bench_contracts(run), bench_contracts(f"{run}-raw")
    await create_topics(infra.kafka, [*bench_topics(registry), *bench_topics(raw)])
    backlog = await fill_outbox(
        database_url,
        "relay",
        registry,
        run,
        chain_events("funding", sizes.backlog),
        PRODUCTION_SAMPLED_EVERY,
    )
    traced = await fill_outbox(
        database_url, "relay_traced", registry, run, chain_events("funding", sizes.backlog), 1
    )
    records = await backlog_records(database_url, backlog, f"{run}-raw")
    hashed = hash_events([record.value for record in records[: sizes.hashed]])
    figures["hash_canonical_per_s"] = rate(hashed.count, hashed.canonical_seconds)
    figures["hash_sha256_per_s"] = rate(hashed.count, hashed.sha256_seconds)
    produced = await kafka_baselines.produce(infra.kafka, records)
    figures["raw_produce_per_s"] = rate(len(records), produced)
    relayed = await relay_backlog(infra.kafka, database_url, backlog, RELAY_BATCH, sizes.within)
    figures["relay_per_s"] = rate(backlog.count, relayed)
    figures["relay_vs_raw_produce"] = figures["relay_per_s"] / figures["raw_produce_per_s"]
    relayed = await relay_backlog(infra.kafka, database_url, traced, RELAY_BATCH, sizes.within)
    figures["relay_all_traced_per_s"] = rate(traced.count, relayed)
    figures["relay_all_traced_vs_raw_produce"] = (
        figures["relay_all_traced_per_s"] / figures["raw_produce_per_s"]
    )


async def _consumer(
    infra: Infra, sizes: Sizes, run: str, database_url: str, workdir: Path, figures: Figures
) -> None:
    registry = bench_contracts(f"{run}-in")
    upstream, events = _submitted(sizes, registry, run)
    inputs = [
        Incoming(event.id, ApplicationSubmitted.model_validate(event.data)) for event in events
    ]
    # What the handler emits, made ready once: each raw transaction appends it, sealed at commit.
    outgoing = upstream.outbox.unsealed(
        NewEvent(ALLOCATION_COMMITTED.type, "east-kent:2026-27", commitment(inputs[0].data)),
        upstream.cause,
        events[0].time,
        None,
    )
    input_topic = registry[events[0].type].topic
    await create_topics(infra.kafka, [input_topic])

    pool = await consumer_bench.consumer_pool(database_url, "raw")
    await pool.close()
    took = await raw_transactions(database_url, "raw", inputs, outgoing, input_topic.name)
    figures["raw_tx_per_s"] = rate(len(took), sum(took))
    figures["raw_tx_p50_ms"] = ms(percentile(took, 50))
    figures["raw_tx_p99_ms"] = ms(percentile(took, 99))

    direct = consumer_bench.inbox_consumer(
        f"{run}-direct", registry, run, consumer_bench.Handled(len(events))
    )
    seconds = await consumer_bench.fed_directly(infra.kafka, database_url, "direct", direct, events)
    figures["consumer_direct_per_s"] = rate(len(events), seconds)

    figures["consumer_per_s"] = await _consumed(
        infra.kafka, sizes, run, registry, events, database_url, "consumer", workdir
    )
    figures["consumer_vs_raw_tx"] = figures["consumer_per_s"] / figures["raw_tx_per_s"]
    figures["consumer_direct_vs_raw_tx"] = (
        figures["consumer_direct_per_s"] / figures["raw_tx_per_s"]
    )


def _submitted(
    sizes: Sizes, registry: ContractRegistry, deployment: str
) -> tuple[ChainSealer, list[CloudEvent]]:
    """Events placements would publish for the consumer to apply, sealed on their chain."""
    upstream = ChainSealer("placements", registry, deployment)
    return upstream, [upstream.seal(application_submitted(i)) for i in range(sizes.consumed)]


async def _consumed(
    kafka: KafkaSettings,
    sizes: Sizes,
    name: str,
    registry: ContractRegistry,
    events: list[CloudEvent],
    database_url: str,
    schema: str,
    workdir: Path,
) -> float:
    """Events per second the kit's InboxConsumer applies through FastStream, as a service runs
    it, the events produced to its (existing) input topic beforehand."""
    input_topic = registry[events[0].type].topic
    await kafka_baselines.produce(
        kafka,
        [
            kafka_baselines.Record(input_topic.name, event.subject.encode(), event.to_bytes())
            for event in events
        ],
    )
    handled = consumer_bench.Handled(len(events))
    consumer = consumer_bench.inbox_consumer(f"{name}-consumer", registry, name, handled)
    seconds = await consumer_bench.through_faststream(
        kafka,
        database_url,
        schema,
        consumer,
        handled,
        workdir / f"{name}-faststream.log",
        sizes.within,
    )
    return rate(len(events), seconds)


async def _round_trips(infra: Infra, sizes: Sizes, run: str, figures: Figures) -> None:
    ping, pong = Topic(run, "ping", partitions=1), Topic(run, "pong", partitions=1)
    await create_topics(infra.kafka, [ping, pong])
    payload = next(iter(chain_events("funding", 1)))
    sealed = ChainSealer("funding", bench_contracts(run), run).seal(payload).to_bytes()
    trips = await kafka_baselines.ping_pong(
        infra.kafka, ping.name, pong.name, sizes.round_trips, sealed
    )
    figures["raw_round_trip_p50_ms"] = ms(percentile(trips, 50))
    figures["raw_round_trip_p99_ms"] = ms(percentile(trips, 99))


async def _commands(
    infra: Infra, sizes: Sizes, run: str, database_url: str, workdir: Path, figures: Figures
) -> None:
    # Two replicas on this machine's two cores, to see whether a second process pays.
    async with command_bench.funding_service(
        infra.kafka, database_url, run, workdir / run, replicas=2
    ) as service:
        commander = command_bench.Commander(infra.kafka, service)
        try:
            figures["command_peak_2_replicas_per_s"] = await commander.closed_loop(
                PEAK_CONCURRENCY, sizes.peak_seconds
            )
        finally:
            await commander.close()
    async with command_bench.funding_service(
        infra.kafka, database_url, run, workdir / run
    ) as service:
        commander = command_bench.Commander(infra.kafka, service)
        try:
            peak = await commander.closed_loop(PEAK_CONCURRENCY, sizes.peak_seconds)
            offered = peak / 2
            load = await commander.open_loop(offered, sizes.open_loop_seconds, settle=30)
        finally:
            await commander.close()
        await command_bench.know_the_nursery(database_url)
        decider = command_bench.SenifDecider(service)
        try:
            (
                figures["senif_decision_peak_per_s"],
                figures["senif_decisions_failed"],
            ) = await decider.closed_loop(PEAK_CONCURRENCY, sizes.peak_seconds)
        finally:
            await decider.close()
    latencies = [load.visible[c] - load.due[c] for c in load.answered if c in load.visible]
    responses = [load.answered[c] - load.due[c] for c in load.answered]
    figures["command_peak_per_s"] = peak
    figures["command_offered_per_s"] = offered
    figures["command_event_p50_ms"] = ms(percentile(latencies, 50))
    figures["command_event_p99_ms"] = ms(percentile(latencies, 99))
    figures["command_response_p50_ms"] = ms(percentile(responses, 50))
    figures["command_response_p99_ms"] = ms(percentile(responses, 99))
    figures["command_failed"] = load.failed
    figures["command_events_missing"] = len(set(load.answered) - set(load.visible))
    figures["command_sender_late_p99_ms"] = ms(percentile(load.sender_late, 99))
    budget = 3 * (figures["raw_round_trip_p99_ms"] + figures["raw_tx_p99_ms"])
    figures["command_p99_budget_ms"] = budget
    figures["command_p99_vs_budget"] = figures["command_event_p99_ms"] / budget


async def _transport(
    infra: Infra,
    secure: KafkaSettings,
    sizes: Sizes,
    run: str,
    database_url: str,
    workdir: Path,
    figures: Figures,
) -> None:
    """The cost of TLS and SASL: raw produce, raw consume, the relay and the consumer over the
    plain broker and over the secure one (SASL_SSL, SCRAM-SHA-512, as its super user, which no
    ACL is checked for), by the same code on the same sizes, each figure over one broker right
    after the other so both see the same machine."""
    brokers = {"plaintext": infra.kafka, "sasl_ssl": secure}
    backlogs, records, raw_topics, consumed = {}, {}, {}, {}
    for transport, kafka in brokers.items():
        prefix = f"{run}-{transport}"
        registry, raw = bench_contracts(prefix), bench_contracts(f"{prefix}-raw")
        inbound = bench_contracts(f"{prefix}-in")
        _, events = _submitted(sizes, inbound, prefix)
        consumed[transport] = (inbound, events)
        await create_topics(
            kafka,
            [*bench_topics(registry), *bench_topics(raw), inbound[events[0].type].topic],
        )
        backlogs[transport] = await fill_outbox(
            database_url,
            f"relay_{transport}",
            registry,
            prefix,
            chain_events("funding", sizes.backlog),
            PRODUCTION_SAMPLED_EVERY,
        )
        records[transport] = await backlog_records(
            database_url, backlogs[transport], f"{prefix}-raw"
        )
        raw_topics[transport] = [topic.name for topic in bench_topics(raw)]
    for transport, kafka in brokers.items():
        produced = await kafka_baselines.produce(kafka, records[transport])
        figures[f"raw_produce_{transport}_per_s"] = rate(len(records[transport]), produced)
    for transport, kafka in brokers.items():
        read = await kafka_baselines.consume(kafka, raw_topics[transport])
        figures[f"raw_consume_{transport}_per_s"] = rate(read.records, read.seconds)
    for transport, kafka in brokers.items():
        backlog = backlogs[transport]
        relayed = await relay_backlog(kafka, database_url, backlog, RELAY_BATCH, sizes.within)
        figures[f"relay_{transport}_per_s"] = rate(backlog.count, relayed)
    for transport, kafka in brokers.items():
        inbound, events = consumed[transport]
        figures[f"consumer_{transport}_per_s"] = await _consumed(
            kafka,
            sizes,
            f"{run}-{transport}",
            inbound,
            events,
            database_url,
            f"consumer_{transport}",
            workdir,
        )
    for figure in TRANSPORT_FIGURES:
        figures[f"{figure}_sasl_ssl_vs_plaintext"] = (
            figures[f"{figure}_sasl_ssl_per_s"] / figures[f"{figure}_plaintext_per_s"]
        )


async def _audit(infra: Infra, log: AuditLog, figures: Figures) -> None:
    verified = await audit_bench.verify_log(infra.kafka, log.topics, log.prefix)
    report = verified.report
    seen = sum(chain.events for chain in report.chains.values())
    if report.failures or seen != log.events:
        raise AssertionError(
            f"the audit of the bench log should pass with {log.events} events; "
            f"it saw {seen}, failures: {report.failures[:3]}"
        )
    consumed = await kafka_baselines.consume(infra.kafka, log.topics)
    figures["audit_verify_per_s"] = rate(log.events, verified.seconds)
    figures["raw_consume_per_s"] = rate(consumed.records, consumed.seconds)
    figures["raw_consume_mb_per_s"] = consumed.bytes / consumed.seconds / 1e6
    figures["audit_vs_raw_consume"] = figures["audit_verify_per_s"] / figures["raw_consume_per_s"]
    figures["audit_vs_hash_canonical"] = (
        figures["audit_verify_per_s"] / figures["hash_canonical_per_s"]
    )
    figures["replay_peak_vs_log_bytes"] = await _replay_peak(infra, log.topics) / consumed.bytes


async def _replay_peak(infra: Infra, topics: Sequence[str]) -> int:
    """The most memory Python allocated while the replay's reader streamed the whole log in
    time order (``merged_from_the_start``, as `inclusion audit replay` reads): it follows the
    number of partitions and the fetch size, not the log's length."""
    tracemalloc.start()
    try:
        async for _ in merged_from_the_start(infra.kafka, topics):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def medians(runs: list[Figures]) -> Figures:
    return {key: median([run[key] for run in runs if key in run]) for key in runs[0]}
