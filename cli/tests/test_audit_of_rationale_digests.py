"""`inclusion audit rationales` against funding and placements running for real, as `inclusion
up` runs them (their console scripts, on Kafka and PostgreSQL): each decision's rationale digest
in the log is checked with the service that keeps the text. A rationale kept intact matches; one
sealed anew with other words, or whose ciphertext was edited, differs and fails the audit; an
erased child's is reported as erased, not failed; and the service tells a caller without the
decision in scope nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner

from inclusion_cli.audit.rationales import (
    RecordedDigest,
    Verdict,
    check_all,
    recorded_digest,
    recorded_digests,
    render_text,
)
from inclusion_cli.demo import cases
from inclusion_cli.demo.cases import PlacementCase, academic_year_of, officer
from inclusion_cli.demo.data import DemoSetting, KentDemo, kent_demo
from inclusion_cli.demo.suite import Suite
from inclusion_cli.keys import ensure_audit_keys, ensure_dev_signing_key, ensure_personal_data_key
from inclusion_cli.main import app
from inclusion_cli.paths import StateDir
from inclusion_cli.services import (
    ServiceSpec,
    default_specs,
    log_file,
    service_env,
    start_services,
    stop_services,
)
from inclusion_cli.sync import run_sync
from inclusion_cli.tokens import mint_dev_token
from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.identifiers import child_id_for
from inclusion_shared.kent import District
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import consumer_group
from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.testing import eventually, join_at_the_end

from .conftest import free_port

SERVICES = ("funding", "placements")
TODAY = datetime.now(UTC).date()
DECLINE_ON_MERIT = {
    "kind": "decline",
    "merit_reasons": ["needs_met_from_normally_available_resources"],
}
runner = CliRunner()


@dataclass(frozen=True)
class Decided:
    funding: dict[str, tuple[str, str]]  # the case's name → its child and decision
    placements: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Live:
    """Funding and placements as processes: where they answer, their stores, their keys."""

    urls: dict[str, str]
    databases: dict[str, str]
    keys: Path
    deployment: str
    kafka: str

    def token(self, role: str, **scope: Any) -> str:
        return mint_dev_token(self.keys, role=role, **scope)

    def audit(self, token: str | None = None) -> tuple[int, dict[str, Any]]:
        result = runner.invoke(
            app,
            [
                "audit",
                "rationales",
                "--bootstrap",
                self.kafka,
                "--deployment",
                self.deployment,
                "--funding",
                self.urls["funding"],
                "--placements",
                self.urls["placements"],
                "--token",
                token or self.token("auditor"),
                "--json",
            ],
        )
        assert result.exit_code in (0, 1), result.output
        return result.exit_code, json.loads(result.output)

    def in_the_store(self, service: str, query: str, *args: Any) -> None:
        async def run() -> None:
            connection = await asyncpg.connect(
                self.databases[service], server_settings={"search_path": service}
            )
            try:
                await connection.execute(query, *args)
            finally:
                await connection.close()

        run_sync(run)

    def with_vault(self, service: str, change: Any) -> None:
        vault = PersonalDataVault.from_setting(
            (self.keys / "personal-data.key").read_text().strip()
        )

        async def run() -> None:
            connection = await asyncpg.connect(
                self.databases[service], server_settings={"search_path": service}
            )
            try:
                await change(connection, vault)
            finally:
                await connection.close()

        run_sync(run)


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


@pytest.fixture(scope="module")
def live(
    kafka_bootstrap: str, admin_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    state = StateDir(tmp_path_factory.mktemp("rationales")).ensure()
    specs = [
        ServiceSpec(spec.name, free_port(), spec.command)
        for spec in default_specs()
        if spec.name in SERVICES
    ]
    key = ensure_dev_signing_key(state.keys)
    personal_data_key = ensure_personal_data_key(state.keys)
    audit_keys = ensure_audit_keys(state.keys, SERVICES)
    deployment = f"rationales-{uuid4().hex[:8]}"
    names = {service: f"rationales_{service}_{uuid4().hex[:8]}" for service in SERVICES}
    databases = {
        service: run_sync(lambda n=name: _database(admin_dsn, n)) for service, name in names.items()
    }
    for service in SERVICES:
        run_sync(
            lambda s=service: join_at_the_end(
                kafka_bootstrap, consumer_group(deployment, s), [t.name for t in CATALOGUE]
            )
        )
    envs = {
        spec.name: {
            **service_env(
                spec,
                kafka=kafka_bootstrap,
                database_url=databases[spec.name],
                public_key=key.public,
                personal_data_key=personal_data_key,
                audit_key=audit_keys[spec.name],
            ),
            "RELAY_POLL_INTERVAL_SECONDS": "0.2",
            "DEPLOYMENT": deployment,
        }
        for spec in specs
    }
    try:
        outcomes = start_services(state, specs, envs, timeout=120.0)
        failed = [o.spec for o in outcomes if not o.ready]
        if failed:
            logs = {s.name: log_file(state, s).read_text()[-3000:] for s in failed}
            pytest.fail(f"the services did not start: {logs}")
        yield Live(
            {spec.name: spec.url for spec in specs},
            databases,
            state.keys,
            deployment,
            kafka_bootstrap,
        )
    finally:
        stop_services(state, specs)
        for name in names.values():
            run_sync(lambda n=name: _database(admin_dsn, n, drop=True))


def _placement(kent: KentDemo, key: str, child_id: str, school: DemoSetting) -> PlacementCase:
    return PlacementCase(
        key=key,
        child_id=child_id,
        district=school.district.value,
        need_type="ASD",
        has_ehcp=True,
        academic_year=academic_year_of(TODAY),
        year_group=3,
        provision_sought=school.provision,
        preferences=(school.setting_id,),
        nearest_mainstream=school.setting_id,
        named_setting=school.setting_id,
        received_on=TODAY,
        panel=kent.panels[school.area],
    )


@pytest.fixture(scope="module")
def decided(live: Live) -> Decided:
    """Two HNF decisions and three placement decisions, each for a child of its own, at a
    Thanet school, their events in the log."""
    kent = kent_demo(seed=7, children=0, prefix=f"rat{uuid4().hex[:6]}")
    school = kent.of_kind("mainstream", District.THANET)[0]
    by = officer(kent.officers[0])
    found = Decided({}, {})
    with Suite(live.urls, live.keys, f"{kent.prefix}-steps", strict=True) as suite:
        cases.register(suite, school, by)
        cases.set_capacity(suite, school, academic_year_of(TODAY), by)
        term = (TODAY - timedelta(30), TODAY + timedelta(730))
        cases.keep_hnf_panel(suite, kent.panels[school.area], *term, by)
        cases.keep_placement_panel(suite, kent.panels[school.area], *term, by)
        for name in ("kept", "erased"):
            child = child_id_for(f"{kent.prefix}-hnf-{name}")
            application = cases.hnf_application(f"hnf-{child}", child, school, 3, on=TODAY)
            cases.submit_hnf(suite, name, application)
            decision_id = cases.decide_hnf(
                suite,
                name,
                application["application_id"],
                school.setting_id,
                kent.panels[school.area],
                DECLINE_ON_MERIT,
                "Needs met from the school's own resources, as its plan shows.",
                by,
            )
            assert decision_id is not None
            found.funding[name] = (child, decision_id)
        for name in ("kept", "reworded", "edited"):
            child = child_id_for(f"{kent.prefix}-placed-{name}")
            offered = cases.offer_place(suite, _placement(kent, name, child, school), by)
            assert offered is not None
            found.placements[name] = (child, offered.decision_id)

    async def in_the_log() -> bool:
        kafka = KafkaSettings(bootstrap_servers=live.kafka)
        return len(await recorded_digests(kafka, live.deployment)) == 5

    run_sync(lambda: eventually(in_the_log, within=60.0, every=0.5))
    return found


def verdicts(report: dict[str, Any]) -> dict[str, str]:
    return {d["decision_id"]: d["verdict"] for d in report["decisions"]}


def child_named(ids: dict[str, tuple[str, str]], name: str) -> tuple[str, str]:
    """The child and decision of the case of that name."""
    return ids[name.removeprefix("-")]


def test_kept_rationales_match_and_an_erased_childs_is_reported_not_failed(
    live: Live, decided: Decided
) -> None:
    erased_child, erased = child_named(decided.funding, "-erased")
    live.with_vault("funding", lambda connection, vault: vault.shred(connection, erased_child))

    exit_code, report = live.audit()

    assert exit_code == 0, report
    assert report["passed"] is True
    each = [*decided.funding.values(), *decided.placements.values()]
    expected = {decision: "matches" for _, decision in each}
    assert verdicts(report) == expected | {erased: "erased"}
    assert report["counts"]["erased"] == 1


def test_a_rationale_changed_where_it_is_kept_differs_and_fails_the_audit(
    live: Live, decided: Decided
) -> None:
    reworded_child, reworded = child_named(decided.placements, "-reworded")
    _, edited = child_named(decided.placements, "-edited")

    async def reword(connection: asyncpg.Connection, vault: PersonalDataVault) -> None:
        record_id = f"rationale:{reworded}"
        await connection.execute("DELETE FROM personal_records WHERE record_id = $1", record_id)
        await vault.seal(
            connection, reworded_child, record_id, "decision-rationale", {"rationale": "Other."}
        )

    live.with_vault("placements", reword)
    live.in_the_store(
        "placements",
        """UPDATE personal_records
           SET ciphertext = overlay(ciphertext PLACING '\\x00'::bytea FROM 20 FOR 1)
           WHERE record_id = $1""",
        f"rationale:{edited}",
    )

    exit_code, report = live.audit()

    assert exit_code == 1
    assert report["passed"] is False
    found = verdicts(report)
    assert (found[reworded], found[edited]) == ("differs", "differs")
    details = {d["decision_id"]: d["detail"] for d in report["decisions"]}
    assert "altered" in details[edited]
    _, kept = child_named(decided.placements, "-kept")
    assert found[kept] == "matches"


def test_a_caller_without_the_decision_in_scope_is_refused_and_the_audit_fails(
    live: Live, decided: Decided
) -> None:
    west = live.token("kcc-officer", areas=("west-kent",))
    _, kept = child_named(decided.funding, "-kept")

    refused = {
        service: httpx.get(
            f"{live.urls[service]}/decisions/{decision_id}/rationale-digest",
            headers={"Authorization": f"Bearer {west}"},
        )
        for service, decision_id in (
            ("funding", kept),
            ("placements", child_named(decided.placements, "-kept")[1]),
        )
    }
    exit_code, report = live.audit(token=west)

    assert {service: r.status_code for service, r in refused.items()} == {
        "funding": 403,
        "placements": 403,
    }
    assert {r.headers["content-type"] for r in refused.values()} == {"application/problem+json"}
    assert exit_code == 1
    assert set(verdicts(report).values()) == {"unverified"}


def _event(source: str, **data: Any) -> bytes:
    return json.dumps(
        {"type": "placements.placement.decided", "source": source, "data": data}
    ).encode()


def test_only_the_audited_deployments_decisions_with_a_rationale_are_read() -> None:
    ours, theirs = "/inclusion/kent/placements", "/inclusion/other/placements"
    senif = json.dumps(
        {
            "type": "funding.decision.recorded",
            "source": "/inclusion/kent/funding",
            "data": {"decision_id": "senif-1", "rationale_digest": None},
        }
    ).encode()

    read = [
        recorded_digest(value, "/inclusion/kent/")
        for value in (
            _event(ours, decision_id="pdec-1", rationale_digest="ab" * 32),
            _event(theirs, decision_id="pdec-2", rationale_digest="ab" * 32),
            senif,
            b"not json",
        )
    ]

    assert read == [RecordedDigest("placements", "pdec-1", "ab" * 32), None, None, None]


def test_a_decision_recorded_before_digests_were_keyed_is_reported_not_asked() -> None:
    before = recorded_digest(
        _event("/inclusion/kent/placements", decision_id="pdec-1", rationale_sha256="cd" * 32),
        "/inclusion/kent/",
    )
    assert before == RecordedDigest("placements", "pdec-1", None)

    def nobody(request: httpx.Request) -> httpx.Response:
        raise AssertionError("a decision with no keyed digest is not asked about")

    with httpx.Client(transport=httpx.MockTransport(nobody), base_url="http://x") as client:
        found = check_all({"placements": client}, "kent", [before])

    assert [c.verdict for c in found.checks] == [Verdict.NOT_KEYED]
    assert found.passed
    assert "1 not keyed" in render_text(found)
