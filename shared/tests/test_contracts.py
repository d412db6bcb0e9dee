"""The committed JSON Schemas are the public contract: they match the models, and a change
that would break an existing subscriber fails here."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import Field

from inclusion_shared.contracts.export import SCHEMA_FOLDER, generated_schemas, render
from inclusion_shared.events.catalogue import CATALOGUE, SERVICES
from inclusion_shared.events.compatibility import breaking_changes
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.kent import District


def committed() -> dict[str, dict[str, object]]:
    return {path.name: json.loads(path.read_text()) for path in SCHEMA_FOLDER.glob("*.json")}


@pytest.mark.parametrize("name", sorted(generated_schemas()))
def test_the_committed_schema_is_the_generated_one(name: str) -> None:
    """Run `make contracts` and commit when this fails."""
    assert (SCHEMA_FOLDER / name).exists(), f"{name} is not committed"
    assert (SCHEMA_FOLDER / name).read_text() == render(generated_schemas()[name])


@pytest.mark.parametrize("name", sorted(committed()))
def test_no_committed_contract_is_broken_or_dropped(name: str) -> None:
    current = generated_schemas()
    assert name in current, f"{name} was published and must keep being produced in this major"
    assert breaking_changes(committed()[name], current[name]) == []


class DecisionV1(EventData):
    application: str
    band: int
    note_code: str | None = None


def schema_of(model: type[EventData]) -> dict[str, object]:
    return model.model_json_schema()


def test_adding_an_optional_field_is_compatible() -> None:
    class DecisionV1b(DecisionV1):
        review_weeks: int | None = None

    assert breaking_changes(schema_of(DecisionV1), schema_of(DecisionV1b)) == []


def test_removing_a_field_changing_a_type_or_requiring_a_new_field_breaks_subscribers() -> None:
    class Broken(EventData):
        application: int
        outcome: str

    problems = breaking_changes(schema_of(DecisionV1), schema_of(Broken))

    assert "application: type changed from string: to integer:" in problems
    assert "band: removed" in problems
    assert "outcome: newly required" in problems


def test_every_topic_follows_the_naming_rule_and_has_a_dead_letter_topic() -> None:
    for topic in CATALOGUE:
        assert topic.name == f"{topic.service}.{topic.aggregate}.v{topic.major}"
        assert topic.dead_letters == topic.name + ".dlq"
        assert topic.service in (*SERVICES, "audit")


def test_every_event_type_is_named_after_its_topics_service() -> None:
    for contract in CONTRACTS:
        assert contract.type.startswith(f"{contract.topic.service}.{contract.topic.aggregate}.")


def test_narrowing_what_an_event_may_carry_breaks_the_replay_of_events_already_kept() -> None:
    class Wide(EventData):
        need: Literal["ASD", "SLCN", "SEMH"]
        district: District
        weeks: int = Field(ge=0, le=52)
        note_code: str | None = Field(None, max_length=80)

    class Narrow(EventData):
        need: Literal["ASD", "SLCN"]
        district: District
        weeks: int = Field(ge=1, le=52)
        note_code: str | None = Field(None, max_length=40)

    problems = breaking_changes(schema_of(Wide), schema_of(Narrow))

    assert "need: enum narrowed (no longer ['SEMH'])" in problems
    assert "weeks: minimum raised to 1" in problems
    assert "note_code: maxLength lowered to 40" in problems
    assert breaking_changes(schema_of(Narrow), schema_of(Wide)) == []  # widening is allowed


def test_a_place_removed_from_kents_districts_breaks_every_event_naming_it() -> None:
    class Event(EventData):
        district: District

    old = schema_of(Event)
    new = json.loads(json.dumps(old))
    new["$defs"]["District"]["enum"].remove("dover")

    assert breaking_changes(old, new) == ["$defs.District: enum narrowed (no longer ['dover'])"]
