"""Each service's AsyncAPI document, as another team reads it: generated from the code (the
committed file is what the code makes, and what the service serves), accepted by the official
AsyncAPI parser, and complete — every event type the service publishes or consumes is there,
on a channel whose address is the real Kafka topic, with its key, partitions and retention."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from inclusion_cli.contracts import ASYNCAPI_FOLDER, document_path, generated_documents
from inclusion_cli.subscriptions import DEPLOYED, services_of
from inclusion_shared.contracts.asyncapi import render
from inclusion_shared.contracts.examples import example_of
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, topic_named
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import CONTRACTS

REPO = Path(__file__).resolve().parents[2]
PARSE = Path(__file__).with_name("parse_asyncapi.mjs")


@pytest.fixture(scope="module")
def generated() -> dict[str, dict[str, Any]]:
    return generated_documents()


@pytest.mark.parametrize("service", DEPLOYED)
def test_the_committed_document_is_what_the_code_generates(
    service: str, generated: dict[str, dict[str, Any]]
) -> None:
    committed = document_path(service)
    assert committed.is_file(), f"run `make contracts` to write {committed}"
    assert committed.read_text() == render(generated[service]), "run `make contracts`"


def test_the_official_parser_accepts_every_document() -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed (make install installs the parser with npm ci)"
    paths = [str(document_path(service)) for service in DEPLOYED]
    parsed = subprocess.run(
        [node, str(PARSE), *paths], cwd=REPO, capture_output=True, text=True, check=True
    )
    problems = {
        Path(path).name: [d for d in found if d["severity"] in ("error", "warning")]
        for path, found in json.loads(parsed.stdout).items()
    }
    assert problems == {Path(path).name: [] for path in paths}


@pytest.mark.parametrize("service", DEPLOYED)
def test_every_event_the_service_publishes_and_consumes_is_in_its_document(
    service: str, generated: dict[str, dict[str, Any]]
) -> None:
    document = generated[service]
    consumer = services_of([service])[service].consumer
    sent = _messages(document, "send")
    received = _messages(document, "receive")

    assert sent.keys() >= {c.type for c in CONTRACTS if c.topic.service == service}
    assert received == {t: topic for topic, ts in consumer.handled.items() for t in ts}
    for event_type, topic in sent.items():
        if event_type not in ("DeadLetter", "AuditCheckpoint"):
            assert CONTRACTS[event_type].topic.name == topic
    for address, channel in document["channels"].items():
        assert channel["address"] == channel["bindings"]["kafka"]["topic"] == address
        origin = topic_named(address.removesuffix(".dlq"))
        assert channel["bindings"]["kafka"]["partitions"] == (
            1 if address.endswith(".dlq") else origin.partitions
        )
    publishes = any(c.topic.service == service for c in CONTRACTS)
    assert (AUDIT_CHECKPOINTS.name in document["channels"]) == publishes
    for dead in (f"{topic}.dlq" for topic in consumer.handled):
        assert dead in document["channels"], f"{service} dead-letters to {dead}"


def test_a_message_carries_the_cloudevents_attributes_key_and_a_valid_example(
    generated: dict[str, dict[str, Any]],
) -> None:
    messages = generated["placements"]["components"]["messages"]
    offered = messages["placements.placement.offer-made.v1"]
    contract = CONTRACTS["placements.placement.offer-made"]

    assert offered["x-cloudevents"]["subject"] == "the child's pseudonymous id"
    assert offered["x-cloudevents"]["dataschema"] == contract.dataschema
    assert offered["bindings"]["kafka"]["key"]["description"] == "the child's pseudonymous id"
    [example] = offered["examples"]
    event = CloudEvent.model_validate(example["payload"])
    assert event.type == contract.type and event.data == example_of(contract.data_model)
    contract.data_model.model_validate(event.data)


def test_each_service_serves_the_committed_document() -> None:
    for service, built in services_of(DEPLOYED).items():
        served = TestClient(built.http(f"inclusion-{service}")).get("/asyncapi.json")
        assert served.status_code == 200
        assert render(served.json()) == document_path(service).read_text()


def test_the_documents_folder_holds_only_the_deployed_services() -> None:
    assert sorted(p.name for p in ASYNCAPI_FOLDER.iterdir()) == sorted(
        document_path(service).name for service in DEPLOYED
    )


def _messages(document: dict[str, Any], action: str) -> dict[str, str]:
    """Event type → topic, over the document's operations of one action."""
    found = {}
    for operation in document["operations"].values():
        if operation["action"] != action:
            continue
        address = operation["channel"]["$ref"].rsplit("/", 1)[-1]
        for reference in operation["messages"]:
            name = reference["$ref"].rsplit("/", 1)[-1]
            message = document["components"]["messages"][name]
            found[message.get("title") if "." in name else name] = address
    return found
