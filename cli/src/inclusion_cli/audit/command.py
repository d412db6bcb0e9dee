"""`inclusion audit verify`: replay the decision log from offset 0 and prove every decision;
`inclusion audit rationales`: check each decision's rationale digest with the service that keeps
the text; `inclusion audit replay`: rebuild the read models and compare them with the live ones."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer

from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.log import audited_topics
from inclusion_cli.audit.rationales import DECIDED_BY, check_all, recorded_digests
from inclusion_cli.audit.rationales import render_text as render_rationales
from inclusion_cli.audit.replay import SERVICES as REPLAYED
from inclusion_cli.audit.replay import render_text as render_replay
from inclusion_cli.audit.replay import replay_services
from inclusion_cli.audit.report import render_text
from inclusion_cli.audit.run import audit_log
from inclusion_cli.audit.verify import Verifier
from inclusion_cli.connection import PROPERTIES_VARIABLE, kafka_for
from inclusion_cli.keys import audit_public_keys
from inclusion_cli.paths import state_dir
from inclusion_cli.services import SERVICE_PORTS
from inclusion_cli.tokens import mint_dev_token
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.acls import AUDITOR
from inclusion_shared.messaging.connection import KafkaSettings

audit = typer.Typer(help="The auditor's tool: replay the decision log and prove every decision.")

# The options every audit command takes: where the log is, whose it is, and how to answer.
Bootstrap = Annotated[
    str | None, typer.Option(help="brokers (default: KAFKA_BOOTSTRAP_SERVERS, the local one)")
]
KafkaProperties = Annotated[
    Path | None,
    typer.Option(
        envvar=PROPERTIES_VARIABLE,
        help="a Kafka client properties file (default: the secure stack's auditor's, if up)",
    ),
]
Deployment = Annotated[str, typer.Option(envvar="DEPLOYMENT", help="whose log to audit")]
AsJson = Annotated[bool, typer.Option("--json", help="machine-readable report")]


@audit.command()
def verify(
    bootstrap: Bootstrap = None,
    kafka_properties: KafkaProperties = None,
    deployment: Deployment = "kent",
    keys: Annotated[Path | None, typer.Option(help="folder of audit-<service>.pub.pem")] = None,
    as_json: AsJson = False,
    require_signed: Annotated[
        bool, typer.Option(help="fail on events after the last checkpoint")
    ] = False,
    progress: Annotated[
        bool | None, typer.Option(help="progress on stderr (default: on a terminal)")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="processes verifying chains, one service each at a time"
            " (default: one per CPU on long logs; 0: none)"
        ),
    ] = None,
) -> None:
    """Read every audited topic from offset 0; exit 1 naming the first divergence."""
    public_keys = audit_public_keys(keys or state_dir().keys, SERVICES)
    show = progress if progress is not None else sys.stderr.isatty()
    kafka = kafka_for(AUDITOR, properties=kafka_properties, bootstrap_servers=bootstrap)
    report = asyncio.run(_verify(kafka, deployment, public_keys, show, workers))
    if require_signed:
        report.failures += [w for w in report.warnings if w.kind == "unsigned tail"]
    typer.echo(
        json.dumps(report.as_json(), indent=2) if as_json else render_text(report, deployment)
    )
    raise typer.Exit(0 if report.passed else 1)


async def _verify(
    kafka: KafkaSettings,
    deployment: str,
    public_keys: dict[str, bytes],
    show: bool,
    workers: int | None,
) -> AuditReport:
    verifier = Verifier(public_keys, deployment=deployment)

    def tick(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} records")
        sys.stderr.flush()

    report = await audit_log(
        kafka, audited_topics(), verifier, workers=workers, progress=tick if show else None
    )
    if show:
        sys.stderr.write("\n")
    return report


@audit.command()
def rationales(
    bootstrap: Bootstrap = None,
    kafka_properties: KafkaProperties = None,
    deployment: Deployment = "kent",
    funding: Annotated[
        str, typer.Option(help="the funding service's base URL")
    ] = f"http://127.0.0.1:{SERVICE_PORTS['funding']}",
    placements: Annotated[
        str, typer.Option(help="the placements service's base URL")
    ] = f"http://127.0.0.1:{SERVICE_PORTS['placements']}",
    token: Annotated[
        str | None,
        typer.Option(
            envvar="AUDITOR_TOKEN",
            help="the auditor's bearer token (default: one signed with the local development key)",
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Ask the service that keeps each decision's rationale for its keyed digest, recomputed
    from the text under the child's key, and compare it with the digest the decision's event
    carries; exit 1 if one differs or cannot be checked. An erased child's is reported, not
    failed: erasing their key leaves it unverifiable by design."""
    kafka = kafka_for(AUDITOR, properties=kafka_properties, bootstrap_servers=bootstrap)
    recorded = asyncio.run(recorded_digests(kafka, deployment))
    bearer = token or mint_dev_token(state_dir().keys, role="auditor")
    headers = {"Authorization": f"Bearer {bearer}"}
    urls = {"funding": funding, "placements": placements}
    clients = {
        service: httpx.Client(base_url=urls[service], headers=headers, timeout=30.0)
        for service in DECIDED_BY.values()
    }
    try:
        report = check_all(clients, deployment, recorded)
    finally:
        for client in clients.values():
            client.close()
    typer.echo(json.dumps(report.as_json(), indent=2) if as_json else render_rationales(report))
    raise typer.Exit(0 if report.passed else 1)


@audit.command()
def replay(
    service: Annotated[
        list[str] | None, typer.Option("--service", help="only this service (repeatable)")
    ] = None,
    bootstrap: Bootstrap = None,
    kafka_properties: KafkaProperties = None,
    deployment: Deployment = "kent",
    as_json: AsJson = False,
) -> None:
    """Rebuild each service's read models from offset 0 into a scratch schema and compare them
    with the live ones; exit 1 naming the first difference. The live tables are not touched."""
    unknown = sorted(set(service or ()) - set(REPLAYED))
    if unknown:
        raise typer.BadParameter(f"no such service: {', '.join(unknown)}", param_hint="--service")
    report = asyncio.run(
        replay_services(
            service or REPLAYED,
            kafka=kafka_for(AUDITOR, properties=kafka_properties, bootstrap_servers=bootstrap),
            deployment=deployment,
        )
    )
    typer.echo(json.dumps(report.as_json(), indent=2) if as_json else render_replay(report))
    raise typer.Exit(0 if report.passed else 1)
