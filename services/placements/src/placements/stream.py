"""The placements service's place on Kafka. It consumes nothing; everything it publishes leaves
through the outbox relay. The events are declared here so that its AsyncAPI document shows
subscribers every channel and payload they can code against."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

import inclusion_shared.contracts  # noqa: F401  (registers every contract)
from inclusion_shared.events.catalogue import topics_of
from inclusion_shared.events.registry import CONTRACTS

ENVELOPE = (
    "Sent as the `data` of a CloudEvents 1.0 envelope (structured mode, "
    "application/cloudevents+json) whose `type` is the channel's name."
)


def declare_publications(broker: KafkaBroker) -> None:
    """Declare each placements event type on its topic, for the AsyncAPI document only."""
    ours = set(topics_of("placements"))
    for contract in CONTRACTS:
        if contract.topic not in ours:
            continue
        summary = " ".join((contract.data_model.__doc__ or "").split())
        broker.publisher(
            contract.topic.name,
            title=contract.type,
            description=f"{summary} {ENVELOPE}".strip(),
            schema=contract.data_model,
        )
