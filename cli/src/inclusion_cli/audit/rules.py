"""What re-deriving one event of the log gives: a verdict on a decision, or on a commitment the
rules govern (money against a budget, a place against a setting's capacity)."""

from __future__ import annotations

import json
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel


class Verdict(NamedTuple):
    kind: Literal["decision", "commitment"]
    problem: str | None
    """None when the rules give what the log records; else what differs"""

    @classmethod
    def decision(cls, problem: str | None) -> Verdict:
        return cls("decision", problem)

    @classmethod
    def commitment(cls, problem: str | None) -> Verdict:
        return cls("commitment", problem)


def as_json(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return json.dumps(value, sort_keys=True, default=str)


def differs(expected: Any, recorded: Any) -> str:
    return f"expected {as_json(expected)}, recorded {as_json(recorded)}"


def headline_differs(data: dict[str, Any], **expected: Any) -> str | None:
    """The fields subscribers read must say what the re-derived record says."""
    for name, value in expected.items():
        if data.get(name) != value:
            return f"headline {name} {data.get(name)} differs from the record's {value}"
    return None
