"""Backward compatibility of event schemas within a major version: a subscriber coded against
an older schema must still read newer events. So, within a major: no property removed, no
property's type changed, no new required property. Anything else needs a new major (a new
topic)."""

from __future__ import annotations

from typing import Any


def breaking_changes(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """What in ``new`` would break a reader of ``old``; empty when compatible."""
    problems: list[str] = []
    old_properties = old.get("properties", {})
    new_properties = new.get("properties", {})
    for name, old_property in old_properties.items():
        where = f"{path}.{name}" if path else name
        if name not in new_properties:
            problems.append(f"{where}: removed")
            continue
        new_property = new_properties[name]
        if _shape(old_property) != _shape(new_property):
            problems.append(
                f"{where}: type changed from {_shape(old_property)} to {_shape(new_property)}"
            )
        problems.extend(breaking_changes(old_property, new_property, where))
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        where = f"{path}.{name}" if path else name
        problems.append(f"{where}: newly required")
    for name in set(old.get("$defs", {})) & set(new.get("$defs", {})):
        problems.extend(breaking_changes(old["$defs"][name], new["$defs"][name], f"$defs.{name}"))
    return problems


def _shape(schema: dict[str, Any]) -> str:
    """A property's type as a comparable string (type, format, reference or union)."""
    if "$ref" in schema:
        return str(schema["$ref"])
    if "anyOf" in schema:
        return "|".join(sorted(_shape(option) for option in schema["anyOf"]))
    return f"{schema.get('type', 'any')}:{schema.get('format', '')}"
