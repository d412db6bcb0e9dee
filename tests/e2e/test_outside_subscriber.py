"""examples/placements-subscriber, another team's service that imports nothing of ours, run as
that team would run it (its own project, its own lock) against the suite's real broker after a
placement: it counts the place offered and accepted at the school, skips an event type it has
no schema for, and applies a redelivered event once."""

from __future__ import annotations

import ast
import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from aiokafka import AIOKafkaProducer

from inclusion_cli.demo import cases
from inclusion_cli.demo.data import KentDemo
from inclusion_cli.demo.suite import Suite
from inclusion_cli.paths import find_repo_root
from inclusion_shared.identifiers import child_id_for

from .conftest import TODAY, event_on, placement, registered, the_officer

TOPIC = "placements.placement.v1"
EXAMPLE = find_repo_root() / "examples" / "placements-subscriber"
ALLOWED_IMPORTS = {"aiokafka", "cloudevents", "jsonschema"} | set(sys.stdlib_module_names)


def _uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".cache/inclusion/tools/bin/uv")
    assert Path(found).is_file(), "make install installs uv"
    return found


def test_the_example_imports_nothing_of_the_suites() -> None:
    tree = ast.parse((EXAMPLE / "subscriber.py").read_text())
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - {"__future__"} <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS


async def test_an_outside_subscriber_keeps_places_offered_and_accepted_per_setting(
    suite: Suite, kent: KentDemo, kafka: str, unique: str, tmp_path: Path
) -> None:
    school = kent.of_kind("mainstream")[1]  # a primary: it takes year 2
    child = child_id_for(f"{kent.prefix}-child-outside")
    registered(suite, kent, school.setting_id)
    placed = cases.place(
        suite,
        placement(kent, "outside", child, school.setting_id, 2, cases.academic_year_of(TODAY)),
        TODAY + timedelta(7),
        the_officer(kent),
    )
    assert placed is not None
    offer = await event_on(
        kafka, "placements.placement.v1", "placements.placement.offer-made", child_id=child
    )
    await _publish(kafka, json.dumps(offer).encode(), child)  # the same event, delivered again
    future = {**offer, "id": str(uuid4()), "type": "placements.placement.teleported"}
    future["dataschema"] = "urn:inclusion:schema:placements.placement.teleported:v1"
    future["source"] = "/inclusion/outside-subscriber-test/placements"  # no deployment's
    await _publish(kafka, json.dumps(future).encode(), child)

    command = [_uv(), "run", "--locked", "--project", str(EXAMPLE), "python", "subscriber.py"]
    run = await asyncio.to_thread(
        subprocess.run,
        [*command, "--until-caught-up"],
        cwd=EXAMPLE,
        env={
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "GROUP_ID": f"outside-{unique}",
            "READ_MODEL": str(tmp_path / "places.sqlite3"),
            "VIRTUAL_ENV": "",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])

    assert summary["places"][school.setting_id] == {"offered": 1, "accepted": 1}
    assert summary["invalid"] == 0
    assert summary["unknown_types"] >= 1 and summary["duplicates"] >= 1


async def _publish(kafka: str, value: bytes, key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka)
    await producer.start()
    try:
        headers = [("content-type", b"application/cloudevents+json")]
        await producer.send_and_wait(TOPIC, value, key=key.encode(), headers=headers)
    finally:
        await producer.stop()
