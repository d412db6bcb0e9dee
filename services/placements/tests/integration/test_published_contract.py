"""Subscribers code against the AsyncAPI document: it names every event placements publishes,
on its topic, with its payload."""

from __future__ import annotations

from inclusion_shared.events.registry import CONTRACTS

from .conftest import Placements


async def test_the_asyncapi_document_shows_every_event_placements_publishes(
    placements: Placements,
) -> None:
    document = placements.client.get("/asyncapi.json").json()

    published = {
        contract.type: contract.topic.name
        for contract in CONTRACTS
        if contract.topic.service == "placements"
    }
    assert document["asyncapi"].startswith("3.")
    on_the_wire = {
        message["title"]: address
        for address, channel in document["channels"].items()
        for message in (
            document["components"]["messages"][reference["$ref"].rsplit("/", 1)[-1]]
            for reference in channel["messages"].values()
        )
        if "." in message["title"] and not address.startswith("audit.")
    }
    assert on_the_wire == published
    started = document["components"]["schemas"]["placements.placement.started.v1"]
    assert {"transfer", "previous_setting_id", "move_reason"} <= started["properties"].keys()
