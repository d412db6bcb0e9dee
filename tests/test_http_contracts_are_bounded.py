"""No request reads without bound, and the OpenAPI documents say so: every list pages (`limit`
with a maximum, and `after`), and every collection and string a command carries has a maximum
length. Read from each service's own OpenAPI document, so a new endpoint cannot slip past."""

from __future__ import annotations

import base64
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inclusion_shared.identifiers import CHILD_ID_PATTERN, PERSON_ID_PATTERN
from inclusion_shared.web.paging import MAX_PAGE

SERVICES = ("funding", "placements", "reviews", "feedback", "monitoring")

# Every GET that answers a list of records. Aggregates bounded by Kent's places (12 districts,
# 4 areas, the Communities of Schools) and single records are not lists.
PAGED = {
    "funding": {"/policies", "/hnf/timeliness", "/panels"},
    "placements": {"/clocks", "/panels"},
    "reviews": {"/reviews/{review_id}/grants", "/reviewers"},
    "feedback": {
        "/surveys",
        "/responses/mine",
        "/moderation/queue",
        "/themes",
        "/actions",
        "/invitations",
    },
    "monitoring": set(),
}

Schema = dict[str, Any]


@pytest.fixture(scope="module", params=SERVICES)
def openapi(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Schema:
    key = tmp_path_factory.mktemp("keys") / "personal-data.key"
    key.write_text(base64.b64encode(bytes(32)).decode())
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PERSONAL_DATA_KEY_FILE", str(Path(key)))
        app = importlib.import_module(f"{request.param}.app").create_app()
    document: Schema = app.openapi()
    document["x-service"] = request.param
    return document


def unbounded(schema: Schema, schemas: Schema, where: str, seen: frozenset[str]) -> Iterator[str]:
    """Where a request body may grow without a limit: arrays without `maxItems`, maps without
    `maxProperties`, free strings without `maxLength`."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from unbounded(schemas[name], schemas, f"{where} ({name})", seen | {name})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from unbounded(option, schemas, where, seen)
    kind = schema.get("type")
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: a list without maxItems"
        for item in [schema.get("items", {}), *schema.get("prefixItems", [])]:
            yield from unbounded(item, schemas, f"{where}[]", seen)
    elif kind == "object":
        for name, field in schema.get("properties", {}).items():
            yield from unbounded(field, schemas, f"{where}.{name}", seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                yield f"{where}: a map without maxProperties"
            yield from unbounded(extra, schemas, f"{where}{{}}", seen)
    elif kind == "string" and not {"maxLength", "enum", "const", "format"} & schema.keys():
        yield f"{where}: a string without maxLength"


def operations(document: Schema) -> Iterator[tuple[str, str, Schema]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_every_command_bounds_its_collections_and_strings(openapi: Schema) -> None:
    schemas = openapi.get("components", {}).get("schemas", {})
    found = [
        problem
        for method, path, operation in operations(openapi)
        for media in operation.get("requestBody", {}).get("content", {}).values()
        for problem in unbounded(media["schema"], schemas, f"{method.upper()} {path}", frozenset())
    ]
    assert found == []


def test_every_list_pages_with_a_bounded_limit(openapi: Schema) -> None:
    lists = PAGED[openapi["x-service"]]
    for method, path, operation in operations(openapi):
        parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
        if method == "get" and path in lists:
            limit = parameters.get("limit", {}).get("schema", {})
            assert 1 <= limit.get("maximum", 0) <= MAX_PAGE, f"{path} does not bound `limit`"
            assert "after" in parameters, f"{path} takes no cursor"
        elif method == "get":
            assert "limit" not in parameters, f"{path} pages but is not in PAGED"


# Fields of a command (body, path or query) that name a person or a child: each takes only the
# minted shape, so no command can carry a name where an id belongs.
PERSON_FIELDS = {
    "member_id",
    "reviewer_id",
    "subject",
    "quality_assured_by",
    "decided_by",
    "proposed_by",
    "authorised_by",
    "override_by",
    "respondent_id",
}


def named_fields(
    schema: Schema, schemas: Schema, name: str, seen: frozenset[str]
) -> Iterator[tuple[str, Schema]]:
    """Every (field name, string schema) in a request schema, through references and unions."""
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        if ref not in seen:
            yield from named_fields(schemas[ref], schemas, name, seen | {ref})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from named_fields(option, schemas, name, seen)
    kind = schema.get("type")
    if kind == "array":
        for item in [schema.get("items", {}), *schema.get("prefixItems", [])]:
            yield from named_fields(item, schemas, name, seen)
    elif kind == "object":
        for field, inner in schema.get("properties", {}).items():
            yield from named_fields(inner, schemas, field, seen)
    elif kind == "string":
        yield name, schema


def test_every_person_and_child_a_command_names_takes_only_a_minted_id(openapi: Schema) -> None:
    schemas = openapi.get("components", {}).get("schemas", {})
    shapes = {**dict.fromkeys(PERSON_FIELDS, PERSON_ID_PATTERN), "child_id": CHILD_ID_PATTERN}
    checked, wrong = 0, []
    for method, path, operation in operations(openapi):
        where = f"{method.upper()} {path}"
        fields = [
            found
            for media in operation.get("requestBody", {}).get("content", {}).values()
            for found in named_fields(media["schema"], schemas, "", frozenset())
        ] + [
            found
            for parameter in operation.get("parameters", [])
            if parameter["in"] in ("path", "query")
            for found in named_fields(parameter["schema"], schemas, parameter["name"], frozenset())
        ]
        for name, schema in fields:
            if name in shapes:
                checked += 1
                if schema.get("pattern") != shapes[name]:
                    wrong.append(f"{where} {name}: {schema.get('pattern')!r}")
    assert wrong == []
    if openapi["x-service"] in ("funding", "placements", "reviews"):
        assert checked > 0, "no command names a person or a child: is the walk still right?"
