"""`inclusion demo`: run the Kent demo scenario against the running suite, then show where the
suite is, what happened, and what the auditor's tool says of the decision log."""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx

from inclusion_cli.connection import kafka_for
from inclusion_cli.demo.data import Scale, kent_demo
from inclusion_cli.demo.report import read_the_log, summary, where
from inclusion_cli.demo.scenario import Calendar, Scenario
from inclusion_cli.demo.suite import FAILED, Suite, local_urls
from inclusion_cli.demo.volume import Year
from inclusion_cli.keys import audit_public_keys
from inclusion_cli.paths import StateDir
from inclusion_cli.stack import external_kafka
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.acls import AUDITOR

# Consequences are drawn a moment after their causes; the log is read once they have landed.
SETTLE_SECONDS = 5.0


class SuiteNotReady(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoResult:
    text: str
    failed_steps: int
    audit_passed: bool | None


def day_one(state: StateDir, seed: int, scale: Scale = "demo") -> date:
    """The day the scenario for this seed and size first ran here (today, the first time).
    Kept in `.local/`, so running it again sends the very same requests; `make purge` forgets
    it with the data it describes."""
    name = f"seed-{seed}" if scale == "demo" else f"{scale}-seed-{seed}"
    path = state.root / "demo" / f"{name}.json"
    if path.is_file():
        return date.fromisoformat(json.loads(path.read_text())["day_one"])
    today = datetime.now(UTC).date()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"seed": seed, "day_one": today.isoformat()}) + "\n")
    return today


def check_ready(urls: dict[str, str], within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    waiting = dict(urls)
    while waiting:
        for name, url in list(waiting.items()):
            try:
                if httpx.get(f"{url}/health/ready", timeout=2.0).status_code == 200:
                    del waiting[name]
            except httpx.HTTPError:
                pass
        if waiting and time.monotonic() > deadline:
            raise SuiteNotReady(
                f"not ready: {', '.join(sorted(waiting))}; start the suite with `inclusion up`"
            )
        if waiting:
            time.sleep(0.5)


def run_demo(
    state: StateDir, *, seed: int, deployment: str, audit: bool = True, scale: Scale = "demo"
) -> DemoResult:
    """The scenario's cases, then a year's volume of assessments and HNF applications, at the
    size asked for (`kent`: Kent as it is)."""
    urls = local_urls()
    check_ready(urls)
    calendar = Calendar(day_one(state, seed, scale))
    started = time.monotonic()
    demo = kent_demo(seed, scale=scale)
    with Suite(urls, state.keys, key_prefix=demo.prefix) as suite:
        Scenario(suite, demo, calendar).run()
        Year(suite, demo, calendar.day_one).run()
    took = time.monotonic() - started
    outcomes = suite.outcomes
    failed = sum(o.status == FAILED for o in outcomes)
    parts = [where(urls), "", summary(demo, calendar, outcomes, took)]
    passed = None
    if audit:
        time.sleep(SETTLE_SECONDS)
        # As the auditor: over the secure stack when it runs, else the local or given broker.
        kafka = kafka_for(AUDITOR, bootstrap_servers=external_kafka(os.environ))
        keys = audit_public_keys(state.keys, SERVICES)
        reading = asyncio.run(read_the_log(kafka, deployment, keys, demo))
        parts += ["", reading.render(deployment)]
        passed = reading.report.passed
    return DemoResult("\n".join(parts), failed, passed)
