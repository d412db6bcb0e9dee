"""One campaign from start to verdict: its own broker, database and services; the stage and the
steady load; the schedule of faults (deaths, raised errors, restarts and outages, locked tables,
oversized requests) carried out while poisons are fed in and committed offsets are sampled; then
everything settles, and the oracle and the auditor's tool judge the result."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
from aiokafka.errors import KafkaError

from faults.infra import FaultInfra, Ports, kafka_environment
from faults.injector import Injector, RestartRecord
from faults.load import Load
from faults.offsets import OffsetSampler, handles
from faults.oracle import Oracle, Verdict
from faults.oversized import Burst
from faults.poison import KINDS as POISON_KINDS
from faults.poison import Poisoner
from faults.rejoin import RawRejoins
from faults.schedule import RAISES, Schedule, plan
from faults.services import CONSUMERS, PRODUCERS, SERVICES, Keys, Process, processes
from faults.stores import HANDLED, consumed_topics, first_received_after, read_stored
from faults.tap import Tap, end_offsets
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import consumer_group

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    seed: int
    kills: int
    broker_restarts: int
    postgres_restarts: int
    workers: int
    rejoins: int
    point_timeout: float
    gap: tuple[float, float]
    poisons_each: int
    workdir: Path
    ports: Ports
    raises: int = 0
    postgres_down: int = 0
    locks: int = 0
    bursts: int = 0
    statement_timeout: float = 2.0
    settle_within: float = 900.0
    stalled_after: float = 180.0  # settling gives up on what has not moved for this long


async def run(options: Options, progress: Progress) -> dict[str, Any]:
    """The whole campaign; returns its figures and verdict. Stops what it started, always."""
    schedule = plan(
        options.seed, options.kills, options.broker_restarts, options.postgres_restarts,
        raises=options.raises, postgres_down=options.postgres_down, locks=options.locks,
        bursts=options.bursts, statement_timeout=options.statement_timeout,
        gap=options.gap, first_within=options.gap[1],
    )  # fmt: skip
    deployment = f"faults-{uuid4().hex[:8]}"
    infra = FaultInfra.under(options.workdir.parent, options.ports)
    broker = infra.kafka.bootstrap_servers
    progress(f"deployment {deployment}: broker {broker}, cluster {infra.cluster.name}")
    keys = Keys.under(options.workdir / "keys")
    tap = Tap(infra.kafka)
    procs: dict[str, Process] = {}
    urls = {
        name: f"http://127.0.0.1:{options.ports.first_service + n}"
        for n, name in enumerate(SERVICES)
    }
    load = Load(urls, keys.folder, deployment, options.seed, options.workers)
    consumed = sorted(set().union(*(consumed_topics(s) for s in CONSUMERS)))
    poisoner = Poisoner(infra.kafka, deployment, consumed, random.Random(options.seed + 1))
    try:
        databases = await asyncio.to_thread(infra.start_fresh)
        procs.update(
            processes(
                deployment=deployment,
                kafka=infra.kafka,
                databases=databases,
                keys=keys,
                first_port=options.ports.first_service,
                logs=options.workdir / "logs",
                statement_timeout=options.statement_timeout,
            )
        )
        injector = Injector(
            infra,
            procs,
            options.point_timeout,
            poisoner=poisoner,
            tap=tap,
            burst=Burst(load.suite("oversized"), load.stage),
        )
        async with injector:
            await injector.start_all(schedule.first_lives)
            tap.start()
            progress("services ready; setting the stage")
            await asyncio.to_thread(load.set_stage)
            began = time.time()
            sampler, rejoins = await _campaign(
                options, schedule, infra, injector, tap, load, poisoner, progress
            )
            campaign_seconds = load.faults_ended - began
            progress("faults done; waiting for everything to settle")
            settled, unsettled = await _settle(infra, tap, deployment, poisoner, options, progress)
            if unsettled is None:
                progress(f"settled in {settled:.1f} s; judging")
            else:
                unsettled += f"; services' readiness {await injector.readiness()}"
                progress(f"not settled after {settled:.1f} s ({unsettled}); judging")
            verdict, stalls, audit = await _judge(
                infra, tap, deployment, load, poisoner, injector, keys.folder, options
            )
            verdict.not_settled += [unsettled] if unsettled else []
            resume = await _resume(infra, injector)
    finally:
        load.abandon()
        await tap.stop()
        for process in procs.values():
            await process.stop()
        await asyncio.to_thread(infra.stop)
        progress("stopped the campaign's services, broker and cluster")
    return _result(
        options, schedule, deployment, injector, verdict, stalls, audit, resume, rejoins,
        sampler, campaign_seconds, settled, load,
    )  # fmt: skip


async def _campaign(
    options: Options,
    schedule: Schedule,
    infra: FaultInfra,
    injector: Injector,
    tap: Tap,
    load: Load,
    poisoner: Poisoner,
    progress: Progress,
) -> tuple[OffsetSampler, RawRejoins]:
    stop = asyncio.Event()
    sampler = OffsetSampler(infra.kafka, infra.admin_dsn, load.deployment, tap)
    rejoins = RawRejoins(infra.kafka, options.workdir, random.Random(options.seed + 2))
    load.start()
    await injector.feed_raises(schedule.first_lives)
    background = [
        asyncio.create_task(poisoner.keep_up(tap, stop)),
        asyncio.create_task(sampler.run(stop)),
    ]
    faults = [
        *(injector.kill_in_turn(name, kills) for name, kills in schedule.kills.items()),
        injector.restart_broker_in_turn(schedule.broker),
        injector.restart_postgres_in_turn(schedule.postgres),
        injector.hold_locks_in_turn(schedule.locks),
        injector.oversized_in_turn(schedule.bursts),
    ]
    # The raw consumer's rejoins are timed alongside, on the same broker; any still to time
    # when the faults end are timed after, without holding the load up.
    timing = asyncio.create_task(
        rejoins.measure(options.rejoins, asyncio.Event(), injector.infra_disturbed)
    )
    reporter = asyncio.create_task(_report_progress(injector, schedule, load, poisoner, progress))
    try:
        await asyncio.gather(*faults)
        load.faults_ended = time.time()
        await injector.ensure_running()
        progress("last fault done; finishing the cases under way")
        await asyncio.to_thread(load.finish)
        await poisoner.top_up(tap, options.poisons_each)
        stop.set()
        await timing
    finally:
        stop.set()
        reporter.cancel()
        timing.cancel()
        for task in [*background, timing]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return sampler, rejoins


async def _report_progress(
    injector: Injector, schedule: Schedule, load: Load, poisoner: Poisoner, progress: Progress
) -> None:
    while True:
        await asyncio.sleep(15)
        restarts = injector.restarts
        progress(
            f"kills {len(injector.kills)}/{schedule.total_kills}, "
            f"broker {sum(r.what.startswith('broker') for r in restarts)}/{len(schedule.broker)}, "
            f"postgres {sum(r.what == 'postgres-immediate' for r in restarts)}/"
            f"{len(schedule.postgres)}, down at a start {len(injector.postgres_down_starts)}/"
            f"{schedule.postgres_down}, locks {sum(lock.held for lock in injector.locks)}/"
            f"{len(schedule.locks)}, oversized {len(injector.oversized)}, "
            f"commands {len(load.sent)}, poisons {len(poisoner.sent)}"
        )


async def _settle(
    infra: FaultInfra,
    tap: Tap,
    deployment: str,
    poisoner: Poisoner,
    options: Options,
    progress: Progress,
) -> tuple[float, str | None]:
    """Poll until every outbox is published and recorded, the tap has read to the end of every
    topic, every inbox holds every event it handles and every poison is dead-lettered by every
    consumer of its topic; then once more, to be sure nothing was still on its way. Returns the
    seconds it took, and what never settled: what it was still waiting for when that had not
    changed for `stalled_after` seconds (something is stuck), or at `settle_within`."""
    began = time.monotonic()
    deadline, told = began + options.settle_within, began
    quiet_checks = 0
    last, changed = None, began
    while quiet_checks < 2:
        try:
            waiting = await _waiting_for(infra, tap, deployment, poisoner)
        except (OSError, KafkaError, asyncpg.PostgresError) as error:
            waiting = repr(error)
        quiet_checks = quiet_checks + 1 if waiting is None else 0
        now = time.monotonic()
        if waiting != last:
            last, changed = waiting, now
        if waiting is not None and (now > deadline or now - changed > options.stalled_after):
            return now - began, f"{waiting}, unchanged for {now - changed:.0f} s"
        if waiting is not None and now - told > 15:
            progress(f"settling: waiting for {waiting}")
            told = now
        await asyncio.sleep(0.5)
    return time.monotonic() - began, None


async def _waiting_for(
    infra: FaultInfra, tap: Tap, deployment: str, poisoner: Poisoner
) -> str | None:
    """What has not settled yet, or None."""
    for service in PRODUCERS:
        stored = await read_stored(infra.admin_dsn, service)
        if len(stored.delivered) < len(stored.outbox):
            return f"{service}'s relay ({len(stored.outbox) - len(stored.delivered)} to publish)"
    behind = tap.behind(await end_offsets(infra.kafka))
    if behind:
        return f"the tap to read to the end of the log: {behind}"
    oracle = Oracle(deployment, tap.all(), {}, [], poisoner.sent, {})
    letters = oracle.letters()
    for service in HANDLED:
        inbox = (await read_stored(infra.admin_dsn, service)).inbox
        group = consumer_group(deployment, service)
        # An event its consumer dead-lettered will never be taken: the oracle names it lost.
        untaken = sum(
            1
            for event_id, copies in oracle.copies.items()
            if handles(service, deployment, copies[0].record)
            and event_id not in inbox
            and not any(
                (c.record.topic, c.record.partition, c.record.offset, group) in letters
                for c in copies
            )
        )
        if untaken:
            return f"{service}'s inbox ({untaken} events to take)"
    if oracle.poisons_outstanding():
        return f"dead letters: {oracle.verdict.poison_not_dead_lettered[:3]}"
    return None


async def _judge(
    infra: FaultInfra,
    tap: Tap,
    deployment: str,
    load: Load,
    poisoner: Poisoner,
    injector: Injector,
    keys: Path,
    options: Options,
) -> tuple[Verdict, list[dict[str, Any]], dict[str, Any]]:
    sampler = OffsetSampler(infra.kafka, infra.admin_dsn, deployment, tap)
    committed = {service: await sampler.committed(service) for service in HANDLED}
    stored = {service: await read_stored(infra.admin_dsn, service) for service in SERVICES}
    oversized = [*injector.oversized, *injector.interrupted]
    oracle = Oracle(deployment, tap.all(), stored, load.sent, poisoner.sent, committed, oversized)
    verdict = oracle.judge()
    verdict.during_faults += injector.violations
    audit = await asyncio.to_thread(_audit, infra.kafka, deployment, keys, options.workdir)
    return verdict, oracle.stalls, audit


def _audit(kafka: KafkaSettings, deployment: str, keys: Path, workdir: Path) -> dict[str, Any]:
    """`inclusion audit verify` on the campaign's log, as an auditor would run it."""
    command = [
        str(Path(sys.prefix) / "bin" / "inclusion"), "audit", "verify",
        "--deployment", deployment, "--keys", str(keys), "--json",
    ]  # fmt: skip
    finished = subprocess.run(
        command,
        env=kafka_environment(kafka),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    (workdir / "audit.json").write_text(finished.stdout)
    try:
        report: dict[str, Any] = json.loads(finished.stdout)
    except ValueError:
        report = {"passed": False, "error": finished.stderr[-2000:]}
    report["exit_code"] = finished.returncode
    return report


async def _resume(infra: FaultInfra, injector: Injector) -> dict[str, list[float]]:
    """Seconds from each kill to the service answering again, and, for the consuming services,
    to its inbox taking an event again (counted only if before the service's next death). The
    `quiet` figures leave out kills whose recovery overlapped a broker or database restart."""
    found: dict[str, list[float]] = {
        "http_ready": [],
        "consuming": [],
        "http_ready_quiet": [],
        "consuming_quiet": [],
    }
    for kill in injector.kills:
        if kill.ready_at is not None:
            found["http_ready"].append(kill.ready_at - kill.died_at)
            if not injector.infra_disturbed(kill.died_at, kill.ready_at):
                found["http_ready_quiet"].append(kill.ready_at - kill.died_at)
    for service in CONSUMERS:
        kills = sorted((k for k in injector.kills if k.service == service), key=lambda k: k.died_at)
        moments = [k.died_at for k in kills]
        resumed = await first_received_after(infra.admin_dsn, service, moments)
        following = [*moments[1:], float("inf")]
        for moment, at, next_death in zip(moments, resumed, following, strict=True):
            if at < next_death:
                found["consuming"].append(at - moment)
                if not injector.infra_disturbed(moment, at):
                    found["consuming_quiet"].append(at - moment)
    return found


def _dead_lettered_after(stops: list[RestartRecord], stalls: list[dict[str, Any]]) -> int:
    """Of the poisons produced just before a broker stop, the dead letters written after the
    stop began (their dead-lettering was in flight as the broker went)."""
    found = 0
    for stop in stops:
        for poison in stop.poisons:
            named = f"{poison.kind} {poison.topic}[{poison.partition}]@{poison.offset} ("
            found += sum(
                stall["poison"].startswith(named) and stall["dead_lettered_at"] > stop.began
                for stall in stalls
            )
    return found


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "median": None, "p95": None, "max": None}
    ordered = sorted(values)
    return {
        "count": len(values),
        "median": round(statistics.median(ordered), 3),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
        "max": round(ordered[-1], 3),
    }


def _result(
    options: Options,
    schedule: Schedule,
    deployment: str,
    injector: Injector,
    verdict: Verdict,
    stalls: list[dict[str, Any]],
    audit: dict[str, Any],
    resume: dict[str, list[float]],
    rejoins: RawRejoins,
    sampler: OffsetSampler,
    campaign_seconds: float,
    settled: float,
    load: Load,
) -> dict[str, Any]:
    outages = injector.outages()
    quiet_stalls: list[float] = []
    noisy_stalls: list[float] = []
    for stall in stalls:
        window = (stall["produced_at"] - 10.0, stall["dead_lettered_at"])
        noisy = any(
            what in (stall["service"], "broker", "postgres")
            and start < window[1]
            and end > window[0]
            for what, start, end in outages
        )
        seconds = stall["dead_lettered_at"] - stall["produced_at"]
        (noisy_stalls if noisy else quiet_stalls).append(seconds)
    kills: dict[str, int] = {}
    for kill in injector.kills:
        name = (
            kill.point
            if kill.fired and kill.point
            else "sigkill"
            if kill.fired
            else "sigkill (point not reached)"
        )
        kills[name] = kills.get(name, 0) + 1
    restarts: dict[str, int] = {}
    for restart in injector.restarts:
        restarts[restart.what] = restarts.get(restart.what, 0) + 1
    took: Counter[str] = Counter()
    statement_timeouts: dict[str, int] = {}
    for name, process in injector.processes.items():
        found = process.took()
        took.update(found)
        statement_timeouts[name] = found["statement timeouts"]
    verdict.figures["offset_samples"] = sampler.samples
    verdict.figures["offset_sampled_events"] = sampler.events_checked
    verdict.offsets_ahead += [json.dumps(v) for v in sampler.violations]
    failures = verdict.failures
    audit_passed = bool(audit.get("passed"))
    lost = (
        len(verdict.lost) + len(verdict.unpublished) + verdict.figures.get("commands_unanswered", 0)
    )
    down = injector.postgres_down_starts
    answers_while_down: Counter[str] = Counter()
    for start in down:
        answers_while_down.update(start.answers)
    held = [lock for lock in injector.locks if lock.held]
    oversized = injector.oversized
    stops = [r for r in injector.restarts if r.poisons]
    return {
        "seed": options.seed,
        "deployment": deployment,
        "passed": not failures and audit_passed and max(quiet_stalls, default=0.0) <= 1.0,
        "faults": {
            "kills": kills,
            "kills_total": len(injector.kills),
            "broker_restarts": restarts.get("broker-sigkill", 0) + restarts.get("broker-clean", 0),
            "postgres_restarts": restarts.get("postgres-immediate", 0),
            "restarts_by_kind": restarts,
            "startup_failures_during_outages": sum(k.startup_failures for k in injector.kills),
            "unexpected_exits": injector.unexpected_exits,
            "poison_messages": verdict.figures.get("poison_messages"),
            "raised": {
                point: {
                    "armed": sum(r.point == point for r in schedule.raises),
                    "raised": took[f"raised at {point}"],
                }
                for point in RAISES
            },
            "tasks_restarted_by_their_supervisor": took["task restarted by its supervisor"],
            "consumed_records_tried_again": took["consumed record tried again"],
            "broker_stops_with_poisons_in_flight": {
                "stops": len(stops),
                "poisons": sum(len(r.poisons) for r in stops),
                "dead_lettered_after_the_stop": _dead_lettered_after(stops, stalls),
            },
            "postgres_down_at_start": {
                "count": len(down),
                "held_seconds": _summary([start.held for start in down]),
                "answers_while_down": dict(answers_while_down),
                "exited_while_down": sum(start.exited for start in down),
                "ready_after_postgres_seconds": _summary(
                    [start.ready_after for start in down if start.ready_after is not None]
                ),
            },
            "slow_database": {
                "statement_timeout_seconds": options.statement_timeout,
                "locks_held": len(held),
                "locks_not_taken": [lock.error for lock in injector.locks if not lock.held],
                "by_table": dict(Counter(f"{lock.service}.{lock.table}" for lock in held)),
                "held_seconds": _summary([lock.ended - lock.began for lock in held]),
                "statement_timeouts_logged": statement_timeouts,
            },
            "oversized_requests": {
                "bursts": len(schedule.bursts),
                "sent": len(oversized) + len(injector.interrupted),
                "refused_413": sum(request.refused for request in oversized),
                "streamed": sum(request.streamed for request in oversized),
                "announced": sum(not request.streamed for request in oversized),
                "cut_off_by_a_kill": len(injector.interrupted),
            },
        },
        "commands_sent": verdict.figures.get("commands_sent"),
        "commands_sent_during_faults": sum(c.first_sent < load.faults_ended for c in load.sent),
        "lost": lost,
        "doubled": len(verdict.doubled),
        "out_of_order": len(verdict.out_of_order),
        "skipped": len(verdict.skipped),
        "figures": verdict.figures,
        "failures": {name: found[:20] for name, found in failures.items()},
        "failure_counts": {name: len(found) for name, found in failures.items()},
        "stalls": {
            "quiet": _summary(quiet_stalls),
            "during_faults": _summary(noisy_stalls),
            "longest_quiet_seconds": max(quiet_stalls, default=None),
        },
        "resume_seconds": {
            "service_http_ready_after_kill": _summary(resume["http_ready_quiet"]),
            "service_consuming_after_kill": _summary(resume["consuming_quiet"]),
            "raw_aiokafka_group_rejoin": _summary(rejoins.seconds),
            "service_http_ready_after_kill_any": _summary(resume["http_ready"]),
            "service_consuming_after_kill_any": _summary(resume["consuming"]),
        },
        "audit": {
            "passed": audit_passed,
            "records_read": audit.get("records_read"),
            "first_divergence": audit.get("first_divergence"),
        },
        "load_errors": load.errors[:20],
        "campaign_seconds": round(campaign_seconds, 1),
        "settle_seconds": round(settled, 1),
        "poison_kinds": list(POISON_KINDS),
        "durability": (
            "One broker with no replication: a SIGKILL or clean restart loses nothing "
            "acknowledged (acks=all reaches the page cache), but a power loss can lose what was "
            "not yet flushed to disk. Production manifests run three brokers with "
            "replication factor 3 and min.insync.replicas 2."
        ),
    }
