"""Each service's AsyncAPI 3 document, generated from what the code runs on: the topic catalogue
(names, keys, partitions, retention), the contract registry (each event type's data schema,
the same as shared/schemas) and the service's own subscriptions.

A document lists every channel the service sends to — its own topics, the dead letters of what
it consumes, the audit checkpoints — and every channel it receives from, each with `address`
the real Kafka topic; one message per event type and version, carried as a structured
CloudEvent (`subject` = the Kafka key, `dataschema` naming the schema), with Kafka bindings and
an example. ``make contracts`` writes the documents beside the schemas, and a test compares
them with the code.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from inclusion_shared.audit.checkpoints import Checkpoint
from inclusion_shared.contracts.examples import example_of
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, Topic, topic_named, topics_of
from inclusion_shared.events.envelope import CONTENT_TYPE, CloudEvent
from inclusion_shared.events.registry import CONTRACTS, ContractRegistry, EventContract

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING = "0.5.0"
ENVELOPE = "CloudEvent"
DEAD_LETTER = "DeadLetter"
CHECKPOINT = "AuditCheckpoint"

Document = dict[str, Any]

DEAD_LETTER_HEADERS = {
    "dlq-origin-topic": "the topic the record was read from",
    "dlq-origin-partition": "its partition",
    "dlq-origin-offset": "its offset",
    "dlq-consumer": "the consumer that could not apply it",
    "dlq-error": "why, in at most 1,000 characters (no personal details)",
    "dlq-attempts": "how many times it was tried",
}


def service_document(
    service: str,
    consumed: Mapping[str, Iterable[str]],
    *,
    version: str = "1",
    contracts: ContractRegistry = CONTRACTS,
) -> Document:
    """The AsyncAPI document of ``service``, which consumes the event types ``consumed`` (topic
    name → types its handlers take) and publishes the contracts of its own topics."""
    published = [c for c in contracts if c.topic.service == service]
    received = {topic: sorted(types) for topic, types in sorted(consumed.items()) if list(types)}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {ENVELOPE: _envelope_schema()}

    def message_of(contract: EventContract) -> str:
        name = f"{contract.type}.v{contract.version}"
        if name not in messages:
            messages[name] = _message(contract, name)
            schemas[name] = _data_schema(contract)
        return name

    for topic in topics_of(service):
        names = [message_of(c) for c in published if c.topic == topic]
        if names:
            _channel(channels, topic.name, topic, names, f"{service} publishes {topic.name}.")
            _operation(operations, f"publish.{topic.name}", "send", topic.name, names)
    for name, types in received.items():
        topic = topic_named(name)
        names = [message_of(contracts[t]) for t in types]
        _channel(channels, name, topic, names, f"Published by {topic.service}.")
        _operation(operations, f"consume.{name}", "receive", name, names)
        dead = topic.dead_letters
        _channel(
            channels,
            dead,
            topic,
            [DEAD_LETTER],
            f"Records of {name} that {service} could not apply, with why.",
            partitions=1,
        )
        _operation(operations, f"dead-letter.{name}", "send", dead, [DEAD_LETTER])
    if published:
        _channel(
            channels,
            AUDIT_CHECKPOINTS.name,
            AUDIT_CHECKPOINTS,
            [CHECKPOINT],
            "Signed heads of every service's hash chain, for auditors.",
        )
        _operation(
            operations, f"checkpoint.{AUDIT_CHECKPOINTS.name}", "send", AUDIT_CHECKPOINTS.name,
            [CHECKPOINT],
        )  # fmt: skip
    if any(DEAD_LETTER in c["messages"] for c in channels.values()):
        messages[DEAD_LETTER] = _dead_letter_message()
    if published:
        messages[CHECKPOINT] = _checkpoint_message()
        schemas[CHECKPOINT] = _definitions_inlined(Checkpoint.model_json_schema())
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"inclusion-{service}",
            "version": version,
            "description": (
                f"The events inclusion's {service} service publishes and consumes on Kafka. "
                "Every event is a structured CloudEvent (JSON, content type "
                f"`{CONTENT_TYPE}`) whose Kafka key is its `subject`; events of one key keep "
                "their order within a partition. Subscribers read from offset 0 to replay, in "
                "a consumer group of their own, and apply each event id once."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render(document: Document) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _channel(
    channels: dict[str, Any],
    address: str,
    topic: Topic,
    names: list[str],
    description: str,
    *,
    partitions: int | None = None,
) -> None:
    configuration: dict[str, Any] = {"cleanup.policy": ["delete"]}
    if topic.keeps_forever:
        configuration["retention.ms"] = -1
    channels[address] = {
        "address": address,
        "description": description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names},
        "bindings": {
            "kafka": {
                "topic": address,
                "partitions": partitions or topic.partitions,
                "topicConfiguration": configuration,
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _operation(
    operations: dict[str, Any], name: str, action: str, channel: str, messages: list[str]
) -> None:
    operations[name] = {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages],
    }


def _key_binding(description: str) -> dict[str, Any]:
    return {
        "kafka": {
            "key": {"type": "string", "description": description},
            "bindingVersion": KAFKA_BINDING,
        }
    }


def _message(contract: EventContract, name: str) -> dict[str, Any]:
    data = example_of(contract.data_model)
    return {
        "name": name,
        "title": contract.type,
        "summary": (contract.data_model.__doc__ or contract.type).strip().splitlines()[0],
        "contentType": CONTENT_TYPE,
        "payload": {
            "allOf": [
                {"$ref": f"#/components/schemas/{ENVELOPE}"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": contract.type},
                        "dataschema": {"const": contract.dataschema},
                        "data": {"$ref": f"#/components/schemas/{name}"},
                    },
                },
            ]
        },
        "headers": {
            "type": "object",
            "properties": {
                "content-type": {"const": CONTENT_TYPE},
                "traceparent": {"type": "string", "description": "W3C trace context"},
            },
        },
        "bindings": _key_binding(contract.topic.key),
        "x-cloudevents": {
            "type": contract.type,
            "source": "/inclusion/{deployment}/" + contract.topic.service,
            "subject": contract.topic.key,
            "dataschema": contract.dataschema,
        },
        "examples": [{"name": "example", "payload": _example_event(contract, data)}],
    }


def _example_event(contract: EventContract, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "7f6c1f9e-3a4b-4c8d-9e2f-0a1b2c3d4e5f",
        "source": f"/inclusion/kent/{contract.topic.service}",
        "type": contract.type,
        "subject": "subject-1",
        "time": "2026-09-01T09:30:00Z",
        "datacontenttype": "application/json",
        "dataschema": contract.dataschema,
        "data": data,
        "correlationid": "2b1d0c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
        "actorrole": "kcc-officer",
        "actorid": "officer-1",
        "chainseq": 1,
        "chainprev": "0" * 64,
        "chainhash": "a" * 64,
    }


def _dead_letter_message() -> dict[str, Any]:
    return {
        "name": DEAD_LETTER,
        "title": "A record that could not be applied",
        "summary": "The original record's bytes (at most the largest event), as it was read.",
        "contentType": "application/octet-stream",
        "payload": {"type": "string", "format": "binary"},
        "headers": {
            "type": "object",
            "properties": {
                name: {"type": "string", "description": description}
                for name, description in DEAD_LETTER_HEADERS.items()
            },
            "required": sorted(DEAD_LETTER_HEADERS),
        },
        "bindings": _key_binding("the original record's key"),
    }


def _checkpoint_message() -> dict[str, Any]:
    return {
        "name": CHECKPOINT,
        "title": "A signed chain head",
        "summary": "A service's Ed25519 signature over its chain's sequence and hash.",
        "contentType": "application/json",
        "payload": {"$ref": f"#/components/schemas/{CHECKPOINT}"},
        "bindings": _key_binding(AUDIT_CHECKPOINTS.key),
    }


def _envelope_schema() -> dict[str, Any]:
    schema = _definitions_inlined(CloudEvent.model_json_schema())
    schema["description"] = (
        "The CloudEvents 1.0 envelope with the suite's extensions: correlation and causation "
        "ids, the actor's role and pseudonymous id, and the hash chain (chainseq, chainprev, "
        "chainhash) the auditor verifies."
    )
    return schema


def _data_schema(contract: EventContract) -> dict[str, Any]:
    schema = _definitions_inlined(contract.json_schema())
    schema.pop("$id", None)
    return schema


def _definitions_inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its local `$defs` references replaced by their definitions, so it can
    sit anywhere in a document (AsyncAPI resolves `$ref` from the document's root). A keyword
    beside a reference (a field's own description) is kept, over the definition's."""
    definitions = schema.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                definition = inline(copy.deepcopy(definitions[ref.removeprefix("#/$defs/")]))
                beside = {key: inline(value) for key, value in node.items() if key != "$ref"}
                return {**definition, **beside}
            return {key: inline(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined
