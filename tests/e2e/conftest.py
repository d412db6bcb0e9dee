"""The real suite, end to end: the four services as `inclusion up` runs them, spoken to over
HTTP with tokens from the development key, and their events read back from Kafka.

If the suite already answers on ports 8001-8004 (after `make up`), the tests use it, with the
key in `.local/keys`. Otherwise they start the four service processes the way `inclusion up`
does (the same console scripts, the same environment), on free ports, against fresh databases
and under a DEPLOYMENT of their own, and stop them afterwards. Either way every id a
test uses is new (`e2e<unique>-…`), so tests never meet each other's, or the demo's, records.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from inclusion_cli.demo import cases
from inclusion_cli.demo.cases import PlacementCase, academic_year_of, next_academic_year, officer
from inclusion_cli.demo.data import KentDemo, kent_demo
from inclusion_cli.demo.suite import Caller, Suite, local_urls, parent
from inclusion_cli.keys import ensure_audit_keys, ensure_dev_signing_key, ensure_personal_data_key
from inclusion_cli.paths import StateDir, state_dir
from inclusion_cli.services import (
    ServiceSpec,
    default_specs,
    log_file,
    service_env,
    start_services,
    stop_services,
)
from inclusion_cli.sync import run_sync
from inclusion_shared.events.catalogue import CATALOGUE, SERVICES
from inclusion_shared.identifiers import child_id_for
from inclusion_shared.testing import eventually, read_topic


@dataclass(frozen=True)
class RunningSuite:
    urls: dict[str, str]
    keys: Path
    kafka: str
    started_here: bool
    deployment: str | None = None  # known when started here; a running suite's is its own


def _ready(urls: dict[str, str]) -> bool:
    try:
        return all(
            httpx.get(f"{url}/health/ready", timeout=2.0).status_code == 200
            for url in urls.values()
        )
    except httpx.HTTPError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _database(admin_dsn: str, name: str, *, drop: bool = False) -> str:
    admin = await asyncpg.connect(admin_dsn)
    try:
        if drop:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{admin_dsn.rpartition('/')[0]}/{name}"


@pytest.fixture(scope="session")
def running_suite(
    kafka_bootstrap: str, admin_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSuite]:
    urls = local_urls()
    if _ready(urls):
        yield RunningSuite(urls, state_dir().keys, kafka_bootstrap, started_here=False)
        return
    state = StateDir(tmp_path_factory.mktemp("e2e-suite")).ensure()
    specs = [ServiceSpec(spec.name, _free_port(), spec.command) for spec in default_specs()]
    key = ensure_dev_signing_key(state.keys)
    personal_data_key = ensure_personal_data_key(state.keys)
    audit_keys = ensure_audit_keys(state.keys, [spec.name for spec in specs])
    databases = {spec.name: f"e2e_{spec.name}_{uuid4().hex[:8]}" for spec in specs}
    deployment = f"e2e-{uuid4().hex[:8]}"
    envs = {
        spec.name: {
            **service_env(
                spec,
                kafka=kafka_bootstrap,
                database_url=run_sync(lambda n=databases[spec.name]: _database(admin_dsn, n)),
                public_key=key.public,
                personal_data_key=personal_data_key,
                audit_key=audit_keys[spec.name],
            ),
            "RELAY_POLL_INTERVAL_SECONDS": "0.2",
            # A deployment of its own: other tests in this session start services under the
            # session's deployment with fresh databases, whose chains would collide with these.
            "DEPLOYMENT": deployment,
        }
        for spec in specs
    }
    run_sync(lambda: _start_at_the_end(kafka_bootstrap, deployment))
    try:
        outcomes = start_services(state, specs, envs, timeout=120.0)
        failed = [o.spec.name for o in outcomes if not o.ready]
        if failed:
            logs = {
                name: log_file(state, s).read_text()[-3000:]
                for s in specs
                for name in failed
                if s.name == name
            }
            pytest.fail(f"the suite did not start: {failed}\n{logs}")
        started = RunningSuite(
            {spec.name: spec.url for spec in specs},
            state.keys,
            kafka_bootstrap,
            started_here=True,
            deployment=deployment,
        )
        run_sync(lambda: _caught_up(started))
        yield started
    finally:
        stop_services(state, specs)
        for name in databases.values():
            run_sync(lambda n=name: _database(admin_dsn, n, drop=True))


async def _start_at_the_end(kafka: str, deployment: str) -> None:
    """A new deployment has nothing in the log before it: its consumers may start at the end of
    every topic instead of passing over everyone else's history (done only where each
    deployment has consumer groups of its own; the canary below covers the rest)."""
    try:
        from inclusion_shared.messaging.consumer import consumer_group
    except ImportError:
        return
    for service in SERVICES:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka,
            group_id=consumer_group(deployment, service),
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            cluster = await consumer._client.fetch_all_metadata()
            partitions = [
                TopicPartition(topic.name, number)
                for topic in CATALOGUE
                for number in sorted(cluster.partitions_for_topic(topic.name) or ())
            ]
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            await consumer.commit({tp: offset for tp, offset in ends.items()})
        finally:
            await consumer.stop()


async def _caught_up(suite: RunningSuite, within: float = 600.0) -> None:
    """A new deployment's consumers start from the beginning of every topic they read, where
    other deployments' events wait to be passed over. Once a canary placement has reached
    funding (a setting it knows) and feedback (an invitation), they have caught up."""
    tag = uuid4().hex[:10]
    kent = kent_demo(seed=1, children=0, prefix=f"e2e{tag}")
    school = kent.of_kind("mainstream")[1]
    child = child_id_for(f"{kent.prefix}-canary")
    with Suite(suite.urls, suite.keys, f"e2e-canary-{tag}", strict=True, patience=within) as http:
        registered(http, kent, school.setting_id)
        cases.submit_hnf(
            http, "canary", cases.hnf_application(f"hnf-{child}", child, school, 3, on=TODAY)
        )
        placed = cases.place(
            http,
            placement(kent, "canary", child, school.setting_id, 3, academic_year_of(TODAY)),
            TODAY,
            the_officer(kent),
        )
        assert placed is not None

        async def invited() -> bool:
            found = http.read("feedback", "/invitations", parent(child)) or {}
            return bool(found.get("invitations"))

        await eventually(invited, within=within, every=2.0)


@pytest.fixture
def suite(running_suite: RunningSuite, unique: str) -> Iterator[Suite]:
    """The suite, as callers whose every failed step fails the test."""
    with Suite(running_suite.urls, running_suite.keys, f"e2e-{unique}", strict=True) as client:
        yield client


@pytest.fixture
def kent(unique: str) -> KentDemo:
    """Demo data of this test's own: the same shape as the demo's, every id new."""
    return kent_demo(seed=int(unique, 16) % 100_000, children=60, prefix=f"e2e{unique}")


@pytest.fixture
def kafka(running_suite: RunningSuite) -> str:
    return running_suite.kafka


def academic_years(today: Any) -> tuple[str, str]:
    this = academic_year_of(today)
    return this, next_academic_year(this)


async def event_on(
    kafka: str, topic: str, event_type: str, *, within: float = 120.0, **data: Any
) -> dict[str, Any]:
    """The event of this type on the topic whose data has the given values, once it is there
    (delivery is at least once: a redelivered copy is the same event)."""

    async def find() -> dict[str, Any] | None:
        for record in await read_topic(kafka, topic):
            event = json.loads(record.value)
            found = event.get("data") or {}
            if event["type"] == event_type and all(found.get(k) == v for k, v in data.items()):
                return dict(event)
        return None

    found: dict[str, Any] = await eventually(find, within=within, every=1.0)
    return found


# --- what the tests do over HTTP ---------------------------------------------------------

TODAY = datetime.now(UTC).date()


def the_officer(kent: KentDemo) -> Caller:
    return officer(kent.officers[0])


def placement(
    kent: KentDemo,
    key: str,
    child_id: str,
    setting_id: str,
    year_group: int,
    academic_year: str,
    nearest: str | None = None,
    need_type: str = "ASD",
    has_ehcp: bool = True,
) -> PlacementCase:
    setting = kent.setting(setting_id)
    return PlacementCase(
        key=key,
        child_id=child_id,
        district=setting.district.value,
        need_type=need_type,
        has_ehcp=has_ehcp,
        academic_year=academic_year,
        year_group=year_group,
        provision_sought=setting.provision,
        preferences=(setting_id,),
        nearest_mainstream=nearest or setting_id,
        named_setting=setting_id,
        received_on=TODAY,
        panel=kent.panels[setting.area],
    )


def registered(suite: Suite, kent: KentDemo, *setting_ids: str) -> None:
    """The settings registered with places for this year and next, and the rosters kept of
    their areas' panels."""
    this_year, next_year = academic_years(TODAY)
    for setting_id in setting_ids:
        setting = kent.setting(setting_id)
        cases.register(suite, setting, the_officer(kent))
        for year in (this_year, next_year):
            cases.set_capacity(suite, setting, year, the_officer(kent))
    term = (TODAY - timedelta(30), TODAY + timedelta(730))
    for area in dict.fromkeys(kent.setting(setting_id).area for setting_id in setting_ids):
        cases.keep_hnf_panel(suite, kent.panels[area], *term, the_officer(kent))
        cases.keep_placement_panel(suite, kent.panels[area], *term, the_officer(kent))


def assert_caused_by(consequence: dict[str, object], cause: dict[str, object]) -> None:
    assert consequence["causationid"] == cause["id"]
    assert consequence["correlationid"] == cause["correlationid"]
