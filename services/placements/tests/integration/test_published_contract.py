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
    assert {name: channel["address"] for name, channel in document["channels"].items()} == published
    started = document["components"]["schemas"]["PlacementStarted"]
    assert {"transfer", "previous_setting_id", "move_reason"} <= started["properties"].keys()
