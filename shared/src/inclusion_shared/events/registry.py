"""The registry of event types: each type's topic, major version and data model.

Services declare their contracts in ``inclusion_shared.contracts``; other services and outside
subscribers depend on those models, and JSON Schemas generated from them are committed.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from inclusion_shared.events.catalogue import Topic


class EventData(BaseModel):
    """Base for event payloads: no personal details, only pseudonymous ids and coarse codes."""

    model_config = {"frozen": True, "extra": "forbid"}


@dataclass(frozen=True)
class EventContract:
    """An event type: ``<service>.<aggregate>.<verb>``, the topic it travels on, its data model."""

    type: str
    topic: Topic
    data_model: builtins.type[EventData]

    @property
    def version(self) -> int:
        return self.topic.major

    @property
    def dataschema(self) -> str:
        return f"urn:inclusion:schema:{self.type}:v{self.version}"

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = self.data_model.model_json_schema()
        schema["$id"] = self.dataschema
        return schema


class UnknownEventType(KeyError):
    """An event type no contract declares."""


class ContractRegistry:
    """Event types by name. One module-level instance, ``CONTRACTS``, is the source of truth."""

    def __init__(self) -> None:
        self._contracts: dict[str, EventContract] = {}

    def register(self, type_: str, topic: Topic, data_model: type[EventData]) -> EventContract:
        if type_ in self._contracts:
            raise ValueError(f"event type {type_!r} is declared twice")
        contract = EventContract(type_, topic, data_model)
        self._contracts[type_] = contract
        return contract

    def __getitem__(self, type_: str) -> EventContract:
        try:
            return self._contracts[type_]
        except KeyError:
            raise UnknownEventType(type_) from None

    def __contains__(self, type_: object) -> bool:
        return type_ in self._contracts

    def __iter__(self) -> Iterator[EventContract]:
        return iter(sorted(self._contracts.values(), key=lambda contract: contract.type))


CONTRACTS = ContractRegistry()
