"""Compatibility of event schemas within a major version, both ways the log is read: a
subscriber coded against an older schema must still read newer events, and today's code (the
auditor's replay, a rebuilt read model) must still accept every event the log kept. So, within
a major: no property removed, no property's type changed, no new required property, and
nothing narrowed — an enum losing a value, a const changed, a string's or number's bounds
tightened, a pattern changed. Anything else needs a new major (a new topic).

No JSON Schema diff library judges this: the maintained ones report differences, not which
break a reader or a replay, so the rules are here, small and tested."""

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
        problems.extend(narrowed(old_property, new_property, where))
        problems.extend(breaking_changes(old_property, new_property, where))
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        where = f"{path}.{name}" if path else name
        problems.append(f"{where}: newly required")
    for name in sorted(set(old.get("$defs", {})) & set(new.get("$defs", {}))):
        old_definition, new_definition = old["$defs"][name], new["$defs"][name]
        problems.extend(narrowed(old_definition, new_definition, f"$defs.{name}"))
        problems.extend(breaking_changes(old_definition, new_definition, f"$defs.{name}"))
    return problems


BOUNDS_THAT_NARROW_UPWARDS = ("minLength", "minimum", "exclusiveMinimum", "minItems")
BOUNDS_THAT_NARROW_DOWNWARDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")


def narrowed(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    """What a value valid under ``old`` may no longer be under ``new`` (one level)."""
    problems = []
    for option_old, option_new in _paired_options(old, new):
        if "enum" in option_old or "enum" in option_new:
            lost = sorted(set(option_old.get("enum", [])) - set(option_new.get("enum", [])))
            if "enum" not in option_old or lost:
                problems.append(f"{where}: enum narrowed (no longer {lost or 'any value'})")
        if "const" in option_new and option_old.get("const") != option_new["const"]:
            problems.append(f"{where}: const changed to {option_new['const']!r}")
        for bound in BOUNDS_THAT_NARROW_UPWARDS:
            if bound in option_new and option_new[bound] > option_old.get(bound, -float("inf")):
                problems.append(f"{where}: {bound} raised to {option_new[bound]}")
        for bound in BOUNDS_THAT_NARROW_DOWNWARDS:
            if bound in option_new and option_new[bound] < option_old.get(bound, float("inf")):
                problems.append(f"{where}: {bound} lowered to {option_new[bound]}")
        if "pattern" in option_new and option_new["pattern"] != option_old.get("pattern"):
            if "pattern" in option_old:
                problems.append(
                    f"{where}: pattern changed from {option_old['pattern']!r} "
                    f"to {option_new['pattern']!r}"
                )
            else:
                problems.append(f"{where}: pattern added: {option_new['pattern']!r}")
    return problems


def _paired_options(
    old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The schema itself, or its union's options paired by shape (`str | None` and the like)."""
    if "anyOf" not in old and "anyOf" not in new:
        return [(old, new)]
    olds = {_shape(option): option for option in old.get("anyOf", [old])}
    news = {_shape(option): option for option in new.get("anyOf", [new])}
    return [(olds[shape], news[shape]) for shape in olds.keys() & news.keys()]


def _shape(schema: dict[str, Any]) -> str:
    """A property's type as a comparable string (type, format, reference or union)."""
    if "$ref" in schema:
        return str(schema["$ref"])
    if "anyOf" in schema:
        return "|".join(sorted(_shape(option) for option in schema["anyOf"]))
    return f"{schema.get('type', 'any')}:{schema.get('format', '')}"
