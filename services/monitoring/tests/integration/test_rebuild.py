"""The model is the log's: rebuilt from offset 0 into fresh tables it publishes the same
figures, whatever order the topics are read in; events delivered twice count once; another
deployment's events never count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import asyncpg
import pytest

from inclusion_shared.contracts import funding as fu
from inclusion_shared.testing import UpstreamService
from monitoring.domain.figures import CATALOGUE
from monitoring.replay import replay
from monitoring.reports import digest

from .conftest import Monitoring, rows

SCOPES = ("kent", "area:east-kent", "district:thanet", "community:cos-thanet-1")


def published(monitoring: Monitoring) -> dict[str, object]:
    """Every figure at every level of place, whole year and each term, as downloaded."""
    found: dict[str, object] = {}
    for figure in CATALOGUE:
        for scope in SCOPES:
            for term in ("", "summer", "autumn", "spring"):
                found[f"{figure} {scope} {term}"] = monitoring.table(figure, scope, term=term)
    return found


async def test_rebuilding_from_offset_0_into_fresh_tables_gives_identical_figures(
    monitoring: Monitoring,
) -> None:
    before = published(monitoring)

    report = await replay(monitoring.settings, "monitoring_rebuilt")

    assert report["identical"] is True, report
    assert set(report["figures"].values()) == {"same"}
    assert report["events"]["processed"] == len(monitoring.scenario.events)
    # The live model is left as it was, and the rebuilt tables hold the same rows.
    assert published(monitoring) == before
    live = await asyncpg.connect(
        monitoring.settings.database_url, server_settings={"search_path": "monitoring"}
    )
    rebuilt = await asyncpg.connect(
        monitoring.settings.database_url, server_settings={"search_path": "monitoring_rebuilt"}
    )
    try:
        assert await digest(rebuilt) == await digest(live)
        assert await rebuilt.fetchval("SELECT count(*) FROM inbox") == len(
            monitoring.scenario.events
        )
    finally:
        await live.close()
        await rebuilt.close()


@pytest.mark.timeout(300)
def test_the_replay_command_reports_the_same_figures(monitoring: Monitoring) -> None:
    settings = monitoring.settings
    command = Path(sys.executable).parent / "inclusion-monitoring-replay"
    environment = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
        "DEPLOYMENT": settings.deployment,
    }
    result = subprocess.run(
        [str(command), "--schema", "monitoring_replay_command"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["identical"] is True
    assert report["deployment"] == settings.deployment


def later_application(monitoring: Monitoring, key: str) -> fu.ApplicationSubmitted:
    """An application in 2031-32, outside every figure the tests look at."""
    return fu.ApplicationSubmitted(
        application_id=f"marker-{key}",
        scheme="daf",
        child_id="child-8bec06684862360cce76",
        setting_id="school-t1",
        district="thanet",
        area="east-kent",
        submitted_on=date(2031, 10, 5),
    )


async def test_an_event_delivered_twice_counts_once(monitoring: Monitoring) -> None:
    funding = monitoring.scenario.upstream["funding"]
    first = next(e for e in monitoring.scenario.events if e.type == fu.APPLICATION_SUBMITTED.type)
    await funding.redeliver(first)
    # Same key, same partition: once the marker is in, the redelivery has been handled.
    marker = await funding.publish(
        fu.APPLICATION_SUBMITTED.type, first.subject, later_application(monitoring, "twice")
    )
    await monitoring.consumed([marker])
    assert rows(monitoring.table("funding-applications"))["total"] == [9, 6, 0, 15]


async def test_another_deployments_events_never_count(monitoring: Monitoring) -> None:
    funding = monitoring.scenario.upstream["funding"]
    other = UpstreamService("funding", funding.producer, "another-installation")
    key = f"elsewhere-{monitoring.scenario.tag}"
    for number in range(6):
        await other.publish(
            fu.APPLICATION_SUBMITTED.type,
            key,
            fu.ApplicationSubmitted(
                application_id=f"{key}-{number}",
                scheme="daf",
                child_id="child-8c0462f0b666fd96f518",
                setting_id="school-t1",
                district="thanet",
                area="east-kent",
                submitted_on=date(2026, 10, 5),
            ),
        )
    marker = await funding.publish(
        fu.APPLICATION_SUBMITTED.type, key, later_application(monitoring, "elsewhere")
    )
    await monitoring.consumed([marker])
    assert rows(monitoring.table("funding-applications"))["total"] == [9, 6, 0, 15]
    assert (
        await monitoring.fetchval(
            "SELECT count(*) FROM funding_applications WHERE application_id LIKE $1", f"{key}-%"
        )
        == 0
    )
