"""`inclusion audit replay`: rebuild each service's read models from offset 0 of the topics it
consumes, into a scratch schema of its own database (``<service>_replay``), through its own
handlers, and compare them row by row with the live ones. What each service can replay is its
own declaration (``<service>.read_models``, on the kit's ``inclusion_shared.replay``)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inclusion_cli.infra.postgres import SERVICE_NAMES, dsn, local_cluster
from inclusion_cli.stack import external_databases
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.replay import Replayable, ServiceReplay, nothing_to_replay, replay

SERVICES = SERVICE_NAMES


def declaration_of(service: str) -> Replayable:
    """The service's own declaration of what a replay rebuilds."""
    module = importlib.import_module(f"{service}.read_models")
    found = module.REPLAYABLE
    assert isinstance(found, Replayable)
    return found


def database_url(service: str, environ: Mapping[str, str]) -> str | None:
    """Where the service keeps its tables, as `inclusion up` gave it: `<SERVICE>_DATABASE_URL`
    or DATABASE_URL, else its database in the machine's local cluster (None if the suite was
    never brought up here: no password was made for its role)."""
    external = external_databases(environ, [service])
    if external is not None:
        return external[service]
    cluster = local_cluster()
    if not (cluster.secrets_dir / f"postgres-{service}.password").is_file():
        return None
    return dsn(cluster, service, service)


@dataclass
class ReplayReport:
    deployment: str
    services: list[ServiceReplay]
    errors: dict[str, str]

    @property
    def passed(self) -> bool:
        return not self.errors and all(found.differences == 0 for found in self.services)

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "deployment": self.deployment,
            "services": {found.service: found.as_json() for found in self.services},
            "errors": self.errors,
        }


async def replay_services(
    services: Sequence[str],
    *,
    kafka: KafkaSettings,
    deployment: str,
    environ: Mapping[str, str] | None = None,
    databases: Mapping[str, str] | None = None,
) -> ReplayReport:
    """Replay each service in turn (one at a time: each reads its topics from offset 0)."""
    environ = os.environ if environ is None else environ
    report = ReplayReport(deployment, [], {})
    for service in services:
        declaration = declaration_of(service)
        if not declaration.read_models:
            report.services.append(nothing_to_replay(declaration))
            continue
        url = (databases or {}).get(service) or database_url(service, environ)
        if url is None:
            report.errors[service] = "no database known for it: is the suite up here?"
            continue
        settings = declaration.settings(
            service_name=service,
            database_url=url,
            kafka=kafka,
            deployment=deployment,
        )
        try:
            report.services.append(await replay(declaration, settings))
        except (OSError, ValueError) as error:
            report.errors[service] = f"could not replay: {error}"
        except Exception as error:  # a database refusing us, say: report it, go on
            report.errors[service] = f"could not replay: {type(error).__name__}: {error}"
    return report


def render_text(report: ReplayReport) -> str:
    lines = [f"Read models of deployment '{report.deployment}' rebuilt from the log", ""]
    lines.append(f"{'service':<12}{'tables':>7}{'live rows':>11}{'rebuilt':>9}{'differ':>8}")
    for found in report.services:
        live = sum(table.live_rows for table in found.tables)
        rebuilt = sum(table.rebuilt_rows for table in found.tables)
        lines.append(
            f"{found.service:<12}{len(found.tables):>7}{live:>11}{rebuilt:>9}{found.differences:>8}"
        )
    lines.append("")
    for found in report.services:
        if found.note:
            lines.append(f"{found.service}: {found.note}")
        elif found.state:
            lines.append(f"{found.service}: not compared (its own state): {', '.join(found.state)}")
    for service, error in sorted(report.errors.items()):
        lines.append(f"{service}: ERROR {error}")
    lines.append("")
    if report.passed:
        lines.append("PASSED: every read model rebuilt from the log equals the live one.")
    else:
        failing = [found for found in report.services if found.differences]
        lines.append(
            f"FAILED: {sum(f.differences for f in failing)} table(s) differ, "
            f"{len(report.errors)} service(s) could not be replayed"
        )
        for found in failing:
            for table in found.tables:
                if not table.same:
                    lines.append(
                        f"  {found.service}.{table.table}: {table.only_live} live row(s) not "
                        f"rebuilt, {table.only_rebuilt} rebuilt row(s) not live"
                    )
        first = next((found for found in failing), None)
        if first is not None:
            lines.append(f"first difference: {first.service}: {first.first_difference}")
    return "\n".join(lines)
