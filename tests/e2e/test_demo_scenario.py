"""The Kent demo scenario, and its year of assessments and HNF applications, against the real
suite: every step completes, running it again changes nothing (each step replays or finds its
record there), and the log it leaves verifies."""

from __future__ import annotations

from collections import Counter

import pytest

from inclusion_cli.demo.data import kent_demo
from inclusion_cli.demo.report import read_the_log
from inclusion_cli.demo.scenario import Calendar, Scenario
from inclusion_cli.demo.suite import DONE, EXISTS, FAILED, REFUSED, REPLAYED, SKIPPED, Suite
from inclusion_cli.demo.volume import VOLUMES, Year, assessments
from inclusion_cli.keys import audit_public_keys
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.connection import KafkaSettings

from .conftest import TODAY, RunningSuite


def run(running_suite: RunningSuite, seed: int, prefix: str) -> tuple[Counter[str], Counter[str]]:
    """How many steps ended in each status (with each failed or skipped step and what the
    service answered, so a failure names its cause), and how many of each kind completed."""
    demo = kent_demo(seed, prefix=prefix)
    with Suite(running_suite.urls, running_suite.keys, key_prefix=prefix) as suite:
        Scenario(suite, demo, Calendar(TODAY)).run()
        Year(suite, demo, TODAY).run()
    statuses: Counter[str] = Counter(outcome.status for outcome in suite.outcomes)
    for outcome in suite.outcomes:
        if outcome.status in (FAILED, SKIPPED):
            statuses[f"{outcome.status} {outcome.step}: {outcome.body}"] += 1
    return statuses, Counter(outcome.kind for outcome in suite.outcomes if outcome.completed)


async def test_the_demo_runs_across_all_services_then_again_without_changing_anything(
    running_suite: RunningSuite, unique: str
) -> None:
    if not running_suite.started_here:
        pytest.skip("the suite was already running: `make up` and `make demo` run the demo there")
    prefix = f"e2edemo{unique}"
    seed = int(unique, 16) % 100_000

    first, completed = run(running_suite, seed, prefix)
    second, _ = run(running_suite, seed, prefix)

    assert (first[FAILED], first[SKIPPED]) == (0, 0), first
    assert first[DONE] > 400 and first[REFUSED] >= 3
    # Whatever the seed, a pupil not placed by another case moves school.
    assert completed["placement.moved"] == 1, completed
    # The year's volume: every assessment requested over thirty months, walked as far as it
    # has gone by today; each HNF application decided by its panel.
    year = assessments(kent_demo(seed, prefix=prefix), TODAY, VOLUMES["demo"].assessments)
    assert completed["assessment.request"] == len(year) > 200
    issued = [a for a in year if a.final_on is not None and a.final_on <= TODAY]
    assert completed["assessment.final_plan_issued"] == len(issued) > 100
    assert completed["hnf.application"] >= VOLUMES["demo"].hnf_applications
    assert (second[DONE], second[FAILED], second[SKIPPED]) == (0, 0, 0), second
    assert second[REPLAYED] + second[EXISTS] == first[DONE]
    assert running_suite.deployment is not None
    reading = await read_the_log(
        KafkaSettings(bootstrap_servers=running_suite.kafka),
        running_suite.deployment,
        audit_public_keys(running_suite.keys, SERVICES),
        kent_demo(seed, prefix=prefix),
    )
    assert reading.report.failures == [], reading.render(running_suite.deployment)
    assert reading.consequences["funding.application.reapplication-opened"] == 5
    assert reading.consequences["funding.allocation.award-ended"] == 2
    assert reading.consequences["feedback.invitation.issued"] >= 20
