"""The event catalogue another team reads (docs/events/index.html): made from the AsyncAPI
documents by `make contracts`, committed as made, and readable in a real browser — every event
type there, its topic, producer and fields, an example that is a CloudEvent of its type, and
how to subscribe."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from inclusion_cli.contracts import CATALOGUE_PAGE, generated_documents
from inclusion_cli.event_catalogue import render_catalogue
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import CONTRACTS

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "browser" / "catalogue.mjs"
CHROMIUM = Path("/usr/bin/chromium")


def test_the_committed_catalogue_is_what_the_documents_make() -> None:
    assert CATALOGUE_PAGE.is_file(), "run `make contracts`"
    assert CATALOGUE_PAGE.read_text() == render_catalogue(generated_documents())


def test_a_person_finds_an_event_its_fields_and_an_example_in_the_browser() -> None:
    node = shutil.which("node")
    if node is None or not CHROMIUM.exists():
        pytest.fail("needs Node.js and Debian's chromium (make install installs both)")
    event = "placements.placement.offer-made.v1"
    run = subprocess.run(
        [node, str(SCRIPT)],
        cwd=REPO,
        env={"CATALOGUE": str(CATALOGUE_PAGE), "EVENT": event, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)

    assert seen["problems"] == []
    assert seen["heading"] == "The event catalogue"
    assert seen["events"] == len(list(CONTRACTS))
    assert seen["subscribeSteps"] >= 5
    assert seen["hash"] == f"#{event}" and seen["visible"]
    assert (seen["publishedBy"], seen["topic"]) == ("placements", "placements.placement.v1")
    fields = CONTRACTS["placements.placement.offer-made"].data_model.model_fields
    assert seen["fields"] == len(fields)
    example = CloudEvent.model_validate(seen["example"])
    assert example.type == "placements.placement.offer-made"
    assert seen["firstFocus"]  # the keyboard reaches the page's links
