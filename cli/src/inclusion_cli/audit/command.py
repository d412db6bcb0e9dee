"""`inclusion audit verify`: replay the decision log from offset 0 and prove every decision."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.log import audited_topics
from inclusion_cli.audit.replay import SERVICES as REPLAYED
from inclusion_cli.audit.replay import render_text as render_replay
from inclusion_cli.audit.replay import replay_services
from inclusion_cli.audit.report import render_text
from inclusion_cli.audit.run import audit_log
from inclusion_cli.audit.verify import Verifier
from inclusion_cli.connection import PROPERTIES_VARIABLE, kafka_for
from inclusion_cli.keys import audit_public_keys
from inclusion_cli.paths import state_dir
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.acls import AUDITOR
from inclusion_shared.messaging.connection import KafkaSettings

audit = typer.Typer(help="The auditor's tool: replay the decision log and prove every decision.")


@audit.command()
def verify(
    bootstrap: Annotated[
        str | None, typer.Option(help="brokers (default: KAFKA_BOOTSTRAP_SERVERS, the local one)")
    ] = None,
    kafka_properties: Annotated[
        Path | None,
        typer.Option(
            envvar=PROPERTIES_VARIABLE,
            help="a Kafka client properties file (default: the secure stack's auditor's, if up)",
        ),
    ] = None,
    deployment: Annotated[
        str, typer.Option(envvar="DEPLOYMENT", help="whose log to audit")
    ] = "kent",
    keys: Annotated[Path | None, typer.Option(help="folder of audit-<service>.pub.pem")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable report")] = False,
    require_signed: Annotated[
        bool, typer.Option(help="fail on events after the last checkpoint")
    ] = False,
    progress: Annotated[
        bool | None, typer.Option(help="progress on stderr (default: on a terminal)")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="processes that parse and hash (default: one per CPU on long logs; 0: none)"
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
def replay(
    service: Annotated[
        list[str] | None, typer.Option("--service", help="only this service (repeatable)")
    ] = None,
    bootstrap: Annotated[
        str | None, typer.Option(help="brokers (default: KAFKA_BOOTSTRAP_SERVERS, the local one)")
    ] = None,
    kafka_properties: Annotated[
        Path | None,
        typer.Option(
            envvar=PROPERTIES_VARIABLE,
            help="a Kafka client properties file (default: the secure stack's auditor's, if up)",
        ),
    ] = None,
    deployment: Annotated[
        str, typer.Option(envvar="DEPLOYMENT", help="whose read models to replay")
    ] = "kent",
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable report")] = False,
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
