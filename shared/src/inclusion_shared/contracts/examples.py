"""An example of every event's data, made from its model: the first of each enum, the lowest
allowed number, a pseudonymous id named after its field, a date in the school year. The same
model gives the same example, and it is checked against the model, so an example in a contract
document can never be one the suite would refuse."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from inclusion_shared.identifiers import (
    CHILD_ID_PATTERN,
    PERSON_ID_PATTERN,
    child_id_for,
    person_id_for,
)

SAMPLES_BY_FORMAT = {
    "date": "2026-09-01",
    "date-time": "2026-09-01T09:30:00Z",
    "uuid": "4d6f8a2c-1b3e-4f5a-9c7d-8e0f1a2b3c4d",
    "duration": "P1D",
}
SAMPLES_BY_PATTERN = {
    "^[0-9a-f]{64}$": "3" * 64,
    CHILD_ID_PATTERN: child_id_for("example"),
    PERSON_ID_PATTERN: person_id_for("example"),
}


def example_of(model: type[BaseModel]) -> dict[str, Any]:
    """A valid example of the model, as it is on the wire."""
    schema = model.model_json_schema()
    made = _example(schema, schema.get("$defs", {}), "")
    return model.model_validate(made).model_dump(mode="json")


def _example(node: dict[str, Any], definitions: dict[str, Any], name: str) -> Any:
    if "$ref" in node:
        return _example(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions, name)
    for key in ("const", "examples", "enum"):
        if key in node:
            return node[key] if key == "const" else node[key][0]
    if node.get("default") is not None:
        return node["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [option for option in node.get(key, []) if option.get("type") != "null"]
        if options:
            return _example(options[0], definitions, name)
    kind = node.get("type")
    if kind == "object":
        return {
            field: _example(schema, definitions, field)
            for field, schema in node.get("properties", {}).items()
        }
    if kind == "array":
        item = node.get("items", {})
        return [_example(item, definitions, name) for _ in range(max(1, node.get("minItems", 1)))]
    if kind == "integer":
        return int(node.get("minimum", node.get("exclusiveMinimum", 0) + 1))
    if kind == "number":
        return float(node.get("minimum", node.get("exclusiveMinimum", 0) + 1))
    if kind == "boolean":
        return True
    if kind == "string":
        return _string(node, name)
    return None


def _string(node: dict[str, Any], name: str) -> str:
    if node.get("format") in SAMPLES_BY_FORMAT:
        return SAMPLES_BY_FORMAT[node["format"]]
    if node.get("pattern") in SAMPLES_BY_PATTERN:
        return SAMPLES_BY_PATTERN[node["pattern"]]
    if name.endswith("_id") or name == "id":
        return f"{name.removesuffix('_id').replace('_', '-') or 'id'}-1"
    sample = name.replace("_", "-") or "code"
    return sample.ljust(int(node.get("minLength", 0)), "x")
