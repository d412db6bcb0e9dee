"""`inclusion-monitoring-replay`: rebuild the whole monitoring model from offset 0 of the topics
it consumes, into fresh tables (a schema of their own), through the very handlers the running
service uses, then compare every figure's tallies, and every table row, with the live model's.

    inclusion-monitoring-replay [--schema monitoring_replay]

It reads the same settings as the service (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, DEPLOYMENT)
and counts only that deployment's events ("ignored" in the report: another deployment's, or
a type monitoring does not count). It prints a JSON report and exits 0 when the rebuilt
model publishes the same figures as the live one, 1 when any figure differs (the report names
which). Events the live service has not consumed yet show as differences: run it when the
service has caught up. The live model is never changed; the rebuilt one is left for inspection
and replaced by the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from inclusion_shared import replay as kit
from inclusion_shared.persistence.pool import create_pool
from monitoring.read_models import REPLAYABLE
from monitoring.reports import digest
from monitoring.settings import Settings


async def rebuild(settings: Settings, schema: str) -> kit.Rebuilt:
    """A fresh model in ``schema`` from every consumed topic's offset 0: the kit's replay of
    the service's own handlers (``inclusion audit replay`` runs the same for every service)."""
    return await kit.rebuild(REPLAYABLE, settings, schema)


async def compare(settings: Settings, schema: str) -> dict[str, bool]:
    """For each figure's tallies: whether the live model and the one in ``schema`` agree."""
    digests = []
    for name in (settings.service_name, schema):
        pool = await create_pool(settings.database_url, name)
        try:
            async with pool.acquire() as connection:
                digests.append(await digest(connection))
        finally:
            await pool.close()
    live, rebuilt = digests
    return {source: live[source] == rebuilt[source] for source in sorted(live)}


async def replay(settings: Settings, schema: str) -> dict[str, Any]:
    rebuilt = await rebuild(settings, schema)
    same = await compare(settings, schema)
    tables = await kit.compare(REPLAYABLE, settings, schema)
    return {
        "deployment": settings.deployment,
        "schema": schema,
        "events": dict(rebuilt.outcomes),
        "figures": {source: "same" if agree else "DIFFERENT" for source, agree in same.items()},
        "tables": {table.table: "same" if table.same else "DIFFERENT" for table in tables},
        "first_difference": next((t.first_difference for t in tables if not t.same), None),
        "identical": all(same.values()) and all(table.same for table in tables),
    }


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default="monitoring_replay", help="where to rebuild")
    args = parser.parse_args(argv)
    report = asyncio.run(replay(Settings(), args.schema))
    print(json.dumps(report, indent=2))
    sys.exit(0 if report["identical"] else 1)
