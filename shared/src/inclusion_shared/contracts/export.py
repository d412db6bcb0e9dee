"""Writes the JSON Schemas of the envelope and every event type to ``shared/schemas``.

Run ``make contracts`` after changing a contract, and commit the result: subscribers code
against these files, and a test fails when they disagree with the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import inclusion_shared.contracts  # noqa: F401  (registers every contract)
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import CONTRACTS

SCHEMA_FOLDER = Path(__file__).resolve().parents[3] / "schemas"


def generated_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for the envelope and each registered event type."""
    envelope = CloudEvent.model_json_schema()
    envelope["$id"] = "urn:inclusion:schema:cloudevent:v1"
    schemas = {"cloudevent.v1.json": envelope}
    for contract in CONTRACTS:
        schemas[f"{contract.type}.v{contract.version}.json"] = contract.json_schema()
    return schemas


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_FOLDER.mkdir(exist_ok=True)
    for name, schema in generated_schemas().items():
        (SCHEMA_FOLDER / name).write_text(render(schema))
        print(f"wrote {SCHEMA_FOLDER / name}")


if __name__ == "__main__":
    main()
