"""Command to decision event: PUT /budgets against the real funding service (its own process,
served by uvicorn on 127.0.0.1, as `make up` runs it), until a read_committed consumer sees the
``funding.budget.set`` event it caused. The peak is found closed-loop; latency is then measured
open-loop, each request sent at its scheduled time whether or not earlier ones were answered,
and each latency counted from that scheduled time, so queueing shows instead of hiding."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import aiohttp
import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.stats import clock
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.contracts.funding import BUDGET_SET
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area
from inclusion_shared.messaging.connection import KafkaSettings, without_kafka_settings

BUDGET_TOPIC = BUDGET_SET.topic.name
# Settings that would send anything off this machine, or write into catalogue topics other than
# the service's own (signed checkpoints), are removed from the service's environment.
DROPPED_ENV = ("OTEL_EXPORTER_OTLP_ENDPOINT", "AUDIT_SIGNING_KEY_FILE", "AUTH_JWKS_URL")
# The production manifests sample one trace in ten (OTEL_TRACES_SAMPLER_ARG in deploy/k8s/base):
# the service is measured sampling as it is deployed, and the relay makes a span for each event
# of a sampled trace only.
PRODUCTION_SAMPLED_EVERY = 10
PRODUCTION_SAMPLER = {
    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
    "OTEL_TRACES_SAMPLER_ARG": str(1 / PRODUCTION_SAMPLED_EVERY),
}


@dataclass
class FundingService:
    """The funding service's replicas (processes of one deployment sharing its database and
    consumer group, as Kubernetes runs them behind a Service) and a token all accept."""

    base_urls: list[str]
    token: str
    processes: list[asyncio.subprocess.Process]
    signing_key: bytes
    """Tokens for other roles are minted with it (``token`` is a Kent-wide officer's)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(
    kafka: KafkaSettings, database_url: str, deployment: str, workdir: Path
) -> tuple[bytes, dict[str, str]]:
    """A token key and a personal-data key of the bench's own, and the service's settings."""
    workdir.mkdir(parents=True, exist_ok=True)
    signing_key = generate_signing_key()
    (workdir / "dev.pub.pem").write_bytes(public_key_pem(signing_key))
    (workdir / "personal-data.key").write_bytes(base64.b64encode(os.urandom(32)))
    # The service connects exactly as the bench does: its KAFKA_* come from the bench's
    # settings only, none from the caller's environment.
    env = {
        name: value
        for name, value in without_kafka_settings(os.environ).items()
        if name not in DROPPED_ENV
    }
    env.update(kafka.environment())
    env.update(PRODUCTION_SAMPLER)
    env.update(
        DATABASE_URL=database_url,
        HTTP_HOST="127.0.0.1",
        AUTH_PUBLIC_KEY_FILE=str(workdir / "dev.pub.pem"),
        PERSONAL_DATA_KEY_FILE=str(workdir / "personal-data.key"),
        DEPLOYMENT=deployment,
    )
    return signing_key, env


@contextlib.asynccontextmanager
async def funding_service(
    kafka: KafkaSettings, database_url: str, deployment: str, workdir: Path, replicas: int = 1
) -> AsyncIterator[FundingService]:
    """The funding service in ``replicas`` processes of its own, each on its own port, stopped
    (and killed if need be) on exit."""
    signing_key, env = _environment(kafka, database_url, deployment, workdir)
    ports = [_free_port() for _ in range(replicas)]
    processes: list[asyncio.subprocess.Process] = []
    try:
        for number, port in enumerate(ports):
            with (workdir / f"funding-{number}.log").open("ab") as output:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-c",
                        "from funding.main import run; run()",
                        env={**env, "HTTP_PORT": str(port)},
                        stdout=output,
                        stderr=asyncio.subprocess.STDOUT,
                    )
                )
        service = FundingService(
            [f"http://127.0.0.1:{port}" for port in ports],
            mint_token(
                signing_key,
                role="kcc-officer",
                subject=person_id_for("officer-bench"),
                areas=("kent",),
            ),
            processes,
            signing_key,
        )
        await asyncio.gather(
            *(
                _until_ready(url, process, workdir / f"funding-{number}.log")
                for number, (url, process) in enumerate(
                    zip(service.base_urls, processes, strict=True)
                )
            )
        )
        yield service
    finally:
        await asyncio.gather(*(_stop(process) for process in processes))
        for key in ("dev.pub.pem", "personal-data.key"):
            (workdir / key).unlink(missing_ok=True)


async def _until_ready(
    base_url: str, process: asyncio.subprocess.Process, log: Path, within: float = 90
) -> None:
    deadline = clock() + within
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as client:
        while clock() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"funding exited; see {log}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/health/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise TimeoutError(f"funding was not ready within {within}s; see {log}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


def budget_keys() -> Iterator[tuple[str, str, int]]:
    """(area, financial year, amount): the 400 budgets of 2000-01 to 2099-00 in turn, so two
    commands in flight seldom wait on one budget's lock, each time with a new amount, so every
    command changes the budget and publishes its event."""
    for turn in itertools.count():
        for year in range(2000, 2100):
            for area in Area:
                yield area.value, f"{year}-{(year + 1) % 100:02d}", 80_000_000 + turn


@dataclass
class Load:
    """The commands sent in one phase: when each was due, and how each was answered."""

    due: dict[str, float] = field(default_factory=dict)
    answered: dict[str, float] = field(default_factory=dict)
    visible: dict[str, float] = field(default_factory=dict)
    failed: int = 0
    sender_late: list[float] = field(default_factory=list)
    seen_more: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def awaited(self) -> set[str]:
        """Answered commands whose event has not been seen yet."""
        return set(self.answered) - set(self.visible)


async def closed_loop(
    send: Callable[[], Awaitable[None]], load: Load, concurrency: int, seconds: float
) -> float:
    """Commands ``send`` has answered per second, ``concurrency`` of them always in flight,
    for ``seconds`` (or until ``send`` raises ``Exhausted``)."""
    deadline = clock() + seconds

    async def worker() -> None:
        with contextlib.suppress(Exhausted):
            while clock() < deadline:
                await send()

    begun = clock()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(load.answered) / (clock() - begun)


class Exhausted(Exception):
    """Nothing is left to send."""


class Commander:
    """Sends PUT /budgets commands, each with a correlation id its event carries back, to the
    service's replicas in turn."""

    def __init__(
        self, kafka: KafkaSettings, service: FundingService, connections: int = 512
    ) -> None:
        self.kafka = kafka
        self.client = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {service.token}"},
            timeout=aiohttp.ClientTimeout(total=60),
            connector=aiohttp.TCPConnector(limit=connections),
        )
        self.keys = budget_keys()
        self.replicas = itertools.cycle(service.base_urls)

    async def close(self) -> None:
        await self.client.close()

    async def put_budget(self, load: Load, due: float) -> None:
        area, year, amount = next(self.keys)
        correlation = str(uuid4())
        load.due[correlation] = due
        try:
            async with self.client.put(
                f"{next(self.replicas)}/budgets/{area}/{year}",
                json={"annual_amount_pence": amount},
                headers={"x-correlation-id": correlation},
            ) as response:
                await response.read()
                answered = response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            load.failed += 1
            return
        if answered:
            load.answered[correlation] = clock()
        else:
            load.failed += 1

    async def closed_loop(self, concurrency: int, seconds: float) -> float:
        """Commands answered per second with ``concurrency`` always in flight."""
        load = Load()
        return await closed_loop(lambda: self.put_budget(load, clock()), load, concurrency, seconds)

    async def open_loop(self, rate: float, seconds: float, settle: float) -> Load:
        """Commands at a fixed rate, with their events watched for; waits up to ``settle``
        seconds after the last answer for the events still to come."""
        load = Load()
        watcher = await _watch(self.kafka, load)
        try:
            count = max(1, round(rate * seconds))
            start = clock() + 0.05
            sending: list[asyncio.Task[None]] = []
            for i in range(count):
                due = start + i / rate
                delay = due - clock()
                if delay > 0:
                    await asyncio.sleep(delay)
                load.sender_late.append(max(0.0, clock() - due))
                sending.append(asyncio.create_task(self.put_budget(load, due)))
            await asyncio.gather(*sending)
            deadline = clock() + settle
            while load.awaited and clock() < deadline:
                load.seen_more.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(load.seen_more.wait(), deadline - clock())
            return load
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


async def _watch(kafka: KafkaSettings, load: Load) -> asyncio.Task[None]:
    """A read_committed consumer at the end of the budget topic, noting when each event of this
    load becomes visible (other deployments' events on the topic are passed over)."""
    consumer = AIOKafkaConsumer(
        **kafka.client_options(), enable_auto_commit=False, isolation_level="read_committed"
    )
    await consumer.start()
    try:
        cluster = await consumer._client.fetch_all_metadata()
        partitions = [
            TopicPartition(BUDGET_TOPIC, number)
            for number in sorted(cluster.partitions_for_topic(BUDGET_TOPIC) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for partition in partitions:
            await consumer.position(partition)
    except BaseException:
        await consumer.stop()
        raise

    async def watch() -> None:
        try:
            while True:
                for records in (await consumer.getmany(timeout_ms=100)).values():
                    seen = clock()
                    for record in records:
                        correlation = json.loads(record.value or b"{}").get("correlationid")
                        if correlation in load.due and correlation not in load.visible:
                            load.visible[correlation] = seen
                    load.seen_more.set()
        finally:
            await consumer.stop()

    return asyncio.create_task(watch())


# An early years setting, known to funding as placements' setting.registered would make it.
NURSERY = "nursery-0001"
SECOND_OFFICER = person_id_for("officer-bench-quality")
SUBMITTED_PER_SECOND_AT_MOST = 1_500


class SenifDecider:
    """A decision path: SENIF applications a nursery's SENCO submitted beforehand, each then
    decided by a Kent-wide officer (the rules in force evaluated, decision and award stored,
    their events emitted), as fast as the service answers."""

    def __init__(self, service: FundingService, connections: int = 512) -> None:
        self.replicas = itertools.cycle(service.base_urls)
        self.officer = {"Authorization": f"Bearer {service.token}"}
        senco = mint_token(
            service.signing_key,
            role="senco",
            subject=person_id_for("senco-bench"),
            setting=NURSERY,
        )
        self.senco = {"Authorization": f"Bearer {senco}"}
        self.client = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=60),
            connector=aiohttp.TCPConnector(limit=connections),
        )
        self.undecided: list[str] = []

    async def close(self) -> None:
        await self.client.close()

    async def submit(self, count: int, concurrency: int) -> None:
        """``count`` applications meeting every rule, ``concurrency`` at a time."""
        remaining = iter(range(count))

        async def worker() -> None:
            for _ in remaining:
                async with self.client.post(
                    f"{next(self.replicas)}/senif/applications",
                    json=SENIF_APPLICATION,
                    headers=self.senco,
                ) as response:
                    body = await response.json()
                    if response.status != 201:
                        raise RuntimeError(f"a SENIF application was refused: {body}")
                    self.undecided.append(body["application_id"])

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    async def decide(self, load: Load) -> None:
        if not self.undecided:
            raise Exhausted
        application_id = self.undecided.pop()
        correlation = str(uuid4())
        load.due[correlation] = clock()
        try:
            async with self.client.post(
                f"{next(self.replicas)}/senif/applications/{application_id}/award",
                json={"quality_assured_by": SECOND_OFFICER, "start_on": date.today().isoformat()},
                headers={**self.officer, "x-correlation-id": correlation},
            ) as response:
                body = await response.json()
                decided = response.status == 201 and body["outcome"] == "awarded"
        except (aiohttp.ClientError, TimeoutError):
            load.failed += 1
            return
        if decided:
            load.answered[correlation] = clock()
        else:
            load.failed += 1

    async def closed_loop(self, concurrency: int, seconds: float) -> tuple[float, int]:
        """Decisions per second with ``concurrency`` always in flight, and how many failed."""
        await self.submit(round(SUBMITTED_PER_SECOND_AT_MOST * seconds), concurrency)
        load = Load()
        rate = await closed_loop(lambda: self.decide(load), load, concurrency, seconds)
        return rate, load.failed


async def know_the_nursery(database_url: str) -> None:
    """Funding learns of settings from placements' events; the bench, measuring decisions and
    not that, tells it of its nursery directly."""
    connection = await asyncpg.connect(database_url, server_settings={"search_path": "funding"})
    try:
        await connection.execute(
            """INSERT INTO known_settings (setting_id, setting_type, district, area)
               VALUES ($1, 'early-years', 'thanet', 'east-kent') ON CONFLICT DO NOTHING""",
            NURSERY,
        )
    finally:
        await connection.close()


# Meets every rule: a child minted by the service for each (no child_id given).
SENIF_APPLICATION = {
    "setting_id": NURSERY,
    "setting_type": "pvi",
    "route": "support-plan",
    "takes_up_funded_early_education": True,
    "has_ehcp": False,
    "eligible_two_year_old": False,
    "funded_hours_attended_per_week": 30,
    "hours_requested_per_week": 20,
    "for_one_to_one_support": False,
    "ordinarily_available_provision_in_place": True,
    "support_plan_id": "doc-support-plan-1",
    "support_plan_reviewed_on": (date.today() - timedelta(days=30)).isoformat(),
}
