"""`inclusion audit verify`: replay the decision log from offset 0 and prove every decision."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.log import audited_topics, read_log
from inclusion_cli.audit.report import render_text
from inclusion_cli.audit.verify import Verifier
from inclusion_cli.keys import audit_public_keys
from inclusion_cli.paths import state_dir
from inclusion_shared.events.catalogue import SERVICES

audit = typer.Typer(help="The auditor's tool: replay the decision log and prove every decision.")


@audit.command()
def verify(
    bootstrap: Annotated[str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS")] = "127.0.0.1:9092",
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
) -> None:
    """Read every audited topic from offset 0; exit 1 naming the first divergence."""
    public_keys = audit_public_keys(keys or state_dir().keys, SERVICES)
    show = progress if progress is not None else sys.stderr.isatty()
    report = asyncio.run(_verify(bootstrap, deployment, public_keys, show))
    if require_signed:
        report.failures += [w for w in report.warnings if w.kind == "unsigned tail"]
    typer.echo(
        json.dumps(report.as_json(), indent=2) if as_json else render_text(report, deployment)
    )
    raise typer.Exit(0 if report.passed else 1)


async def _verify(
    bootstrap: str, deployment: str, public_keys: dict[str, bytes], show: bool
) -> AuditReport:
    verifier = Verifier(public_keys, deployment=deployment)

    def tick(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} records")
        sys.stderr.flush()

    async for record in read_log(bootstrap, audited_topics(), tick if show else None):
        verifier.read(record)
    if show:
        sys.stderr.write("\n")
    return verifier.finish()
