"""Every operation, role, scope and place, through the real HTTP app: what monitoring.access
allows answers (200, or the home page's 303), what it denies is a 403 problem — never a 404 for
a place out of scope. The operations are read from the app (its OpenAPI document and the pages
it keeps out of it), so a new endpoint without an entry here fails. A place's figures are the
records: a table is for the place asked for (or the caller's own), and every row it drills down
to is a place the caller reaches — an East Kent member sees Thanet's nine applications, never
Dover's six beside them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from inclusion_shared.access import ACTION_MARK
from inclusion_shared.auth import Principal, principal_from_claims
from inclusion_shared.identifiers import person_id_for
from monitoring.access import (
    FIGURES_DOWNLOAD,
    FIGURES_READ,
    METHODS_READ,
    POLICY,
    home,
    place_record,
)
from monitoring.adapters.tallies import communities
from monitoring.domain.places import Scope

from .conftest import Monitoring

NOT_OPERATIONS = ("/health/", "/openapi.json", "/asyncapi.json", "/docs", "/redoc")
YEAR = {"year": "2026-27"}
FIGURE = "funding-applications"


@dataclass(frozen=True)
class Entry:
    action: str
    path: str
    """A concrete path for the operation, on the scenario's figures."""
    takes_a_place: bool = True
    """Whether the call is about a place (``?scope=``); if not, only the role is checked."""
    ok: int = 200


ENTRIES: dict[tuple[str, str], Entry] = {
    ("GET", "/"): Entry(FIGURES_READ, "/", takes_a_place=False, ok=303),
    ("GET", "/dashboard"): Entry(FIGURES_READ, "/dashboard"),
    ("GET", "/figures/{figure_id}"): Entry(FIGURES_READ, f"/figures/{FIGURE}"),
    ("GET", "/figures/{figure_id}/{which}.csv"): Entry(
        FIGURES_DOWNLOAD, f"/figures/{FIGURE}/table.csv"
    ),
    ("GET", "/figures/{figure_id}/{which}.json"): Entry(
        FIGURES_DOWNLOAD, f"/figures/{FIGURE}/table.json"
    ),
    ("GET", "/charts/{chart_id}.csv"): Entry(FIGURES_DOWNLOAD, "/charts/twenty-week-plans.csv"),
    ("GET", "/methods/{figure_id}"): Entry(METHODS_READ, f"/methods/{FIGURE}", takes_a_place=False),
}

# The places asked for: None is the caller's own (no ?scope=). Thanet (East Kent) and Dover
# (South Kent) hold the scenario's applications; cos-nowhere is a community the model lacks.
PLACES = (
    None,
    "kent",
    "area:east-kent",
    "district:thanet",
    "community:cos-thanet-1",
    "district:dover",
    "area:west-kent",
    "community:cos-nowhere",
)

# (name, claims): in scope for Thanet (Kent-wide, East Kent, Thanet), out of scope (West Kent,
# Dover, no places), the auditor, and the roles monitoring is not for (each with a scope of its
# own that would reach Thanet if scope were all that counted).
VIEWER_SCOPES: dict[str, dict[str, Any]] = {
    "kent-wide": {"areas": ("kent",)},
    "east-kent": {"areas": ("east-kent",)},
    "thanet": {"districts": ("thanet",)},
    "west-kent": {"areas": ("west-kent",)},
    "dover": {"districts": ("dover",)},
    "no places": {},
}
CALLERS: dict[str, dict[str, Any]] = {
    **{
        f"{role} {name}": {"role": role, **scope}
        for role in ("area-board", "kcc-officer")
        for name, scope in VIEWER_SCOPES.items()
    },
    "auditor": {"role": "auditor"},
    "senco of a Thanet school": {"role": "senco", "settings": ("school-t1",)},
    "parent": {"role": "parent", "child": "child-1ae80cfbd8c8ca02806d"},
    "young person": {"role": "young-person", "child": "child-1ae80cfbd8c8ca02806d"},
    "panel member": {"role": "panel-member", "panels": ("panel-east",)},
    "platform admin": {"role": "platform-admin", "areas": ("kent",)},
}


def principal(name: str) -> Principal:
    claims = {"sub": person_id_for(name.replace(" ", "-")), **CALLERS[name]}
    return principal_from_claims({key: _listed(value) for key, value in claims.items()})


def _listed(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def headers(monitoring: Monitoring, name: str) -> dict[str, str]:
    scope = dict(CALLERS[name])
    role = scope.pop("role")
    # No places at all means none: not the fixture's Kent-wide default.
    return monitoring.as_(role, person_id_for(name.replace(" ", "-")), **(scope or {"areas": ()}))


def operations(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers with a role check: its OpenAPI document's
    operations, and the pages it keeps out of the document."""
    found = {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }
    found |= {(method, route.path) for route in api_routes(app.routes) for method in methods(route)}
    return {(method, path) for method, path in found if not path.startswith(NOT_OPERATIONS)}


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route, however deeply routers are included (FastAPI keeps an included router
    as a node of its own; monitoring's have no prefix)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def methods(route: APIRoute) -> set[str]:
    return set(route.methods) - {"HEAD"}


def marked_actions(dependant: Dependant) -> Iterator[tuple[str, str]]:
    for dependency in dependant.dependencies:
        mark = getattr(dependency.call, ACTION_MARK, None)
        if mark is not None:
            yield mark
        yield from marked_actions(dependency)


@pytest.fixture(scope="module")
async def known(monitoring: Monitoring) -> dict[str, str]:
    """The Communities of Schools the model knows, and their districts."""
    connection = await asyncpg.connect(
        monitoring.settings.database_url, server_settings={"search_path": "monitoring"}
    )
    try:
        return await communities(connection)
    finally:
        await connection.close()


def test_every_operation_has_an_entry_and_every_entry_an_operation(
    monitoring: Monitoring,
) -> None:
    found = operations(monitoring.client.app)  # type: ignore[arg-type]
    assert found - ENTRIES.keys() == set(), "operations with no entry in the access matrix"
    assert ENTRIES.keys() - found == set(), "entries for operations the app no longer has"


def test_every_route_names_the_action_its_entry_says(monitoring: Monitoring) -> None:
    app: FastAPI = monitoring.client.app  # type: ignore[assignment]
    for route in api_routes(app.routes):
        if route.path.startswith(NOT_OPERATIONS):
            continue
        for method in methods(route):
            entry = ENTRIES[(method, route.path)]
            assert list(marked_actions(route.dependant)) == [("monitoring", entry.action)], (
                method,
                route.path,
            )
            assert entry.action in POLICY.permissions


def allowed(name: str, entry: Entry, place: str | None, known: dict[str, str]) -> bool:
    who = principal(name)
    if not entry.takes_a_place:
        return who.role in POLICY.roles(entry.action)
    chosen = Scope.parse(place) if place is not None else home(who)
    return POLICY.allows(who, entry.action, place_record(chosen, known))


def url(entry: Entry, place: str | None) -> str:
    if not entry.takes_a_place:
        return entry.path
    query = {**YEAR, **({"scope": place} if place is not None else {})}
    return f"{entry.path}?{urlencode(query)}"


@pytest.mark.parametrize("operation", sorted(ENTRIES), ids=" ".join)
def test_each_role_and_scope_is_allowed_or_refused_with_a_403_problem(
    monitoring: Monitoring, known: dict[str, str], operation: tuple[str, str]
) -> None:
    entry = ENTRIES[operation]
    places = PLACES if entry.takes_a_place else (None,)
    outcomes = set()
    for name in CALLERS:
        for place in places:
            answer = monitoring.client.request(
                operation[0],
                url(entry, place),
                headers=headers(monitoring, name),
                follow_redirects=False,
            )
            expected = allowed(name, entry, place, known)
            outcomes.add(expected)
            where = (name, place, answer.text[:300])
            if expected:
                assert answer.status_code == entry.ok, where
            else:
                assert answer.status_code == 403, where
                assert answer.headers["content-type"] == "application/problem+json", where
    assert outcomes == {True, False}, "every operation has callers it admits and callers it refuses"


def test_the_matrix_means_what_it_says_for_thanet(known: dict[str, str]) -> None:
    """The policy behind the matrix, by hand: who reaches Thanet's figures and Kent's."""
    thanet = ENTRIES[("GET", "/dashboard")]
    reach = {
        name: (
            allowed(name, thanet, "district:thanet", known),
            allowed(name, thanet, "kent", known),
        )
        for name in CALLERS
    }
    for role in ("area-board", "kcc-officer"):
        assert reach[f"{role} kent-wide"] == (True, True)
        assert reach[f"{role} east-kent"] == (True, False)
        assert reach[f"{role} thanet"] == (True, False)
        for outside in ("west-kent", "dover", "no places"):
            assert reach[f"{role} {outside}"] == (False, False)
    assert reach["auditor"] == (True, True)
    for other in ("senco of a Thanet school", "parent", "young person", "panel member"):
        assert reach[other] == (False, False)
    assert reach["platform admin"] == (False, False)


def applications(monitoring: Monitoring, name: str, place: str | None) -> dict[str, Any]:
    entry = ENTRIES[("GET", "/figures/{figure_id}/{which}.json")]
    answer = monitoring.client.get(url(entry, place), headers=headers(monitoring, name))
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


@pytest.mark.parametrize("name", sorted(CALLERS))
def test_a_table_holds_only_places_the_caller_reaches(
    monitoring: Monitoring, known: dict[str, str], name: str
) -> None:
    entry = ENTRIES[("GET", "/figures/{figure_id}/{which}.json")]
    who = principal(name)
    for place in PLACES:
        if not allowed(name, entry, place, known):
            continue
        table = applications(monitoring, name, place)
        assert table["scope"] == (place or str(home(who)))
        for row in table["rows"]:
            if row["drill"] is not None:
                drilled = place_record(Scope.parse(row["drill"]), known)
                assert POLICY.allows(who, FIGURES_DOWNLOAD, drilled), (name, place, row)


def test_each_caller_sees_their_own_places_applications_and_none_beside_them(
    monitoring: Monitoring,
) -> None:
    def total(name: str, place: str | None = None) -> int:
        found = applications(monitoring, name, place)["total"]["values"][-1]
        assert isinstance(found, int)
        return found

    assert total("area-board kent-wide") == 15  # Thanet's 9 and Dover's 6
    assert total("area-board east-kent") == 9  # East Kent's own: Thanet's, not Dover's
    assert total("kcc-officer thanet") == 9
    assert total("kcc-officer dover") == 6
    assert total("auditor") == 15
    east = applications(monitoring, "area-board east-kent", None)
    assert [row["key"] for row in east["rows"]] == ["canterbury", "swale", "thanet"]
