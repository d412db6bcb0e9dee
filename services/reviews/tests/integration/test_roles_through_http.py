"""Who may do what in reviews, deny by default: each endpoint admits its roles only, and none
answers without a token."""

from __future__ import annotations

import pytest

from inclusion_shared.web.app import PUBLIC_PATHS

from .conftest import Reviews

ROLES = [
    "senco",
    "kcc-officer",
    "panel-member",
    "parent",
    "young-person",
    "area-board",
    "auditor",
    "platform-admin",
]
SCRUTINY = {"area-board", "kcc-officer", "auditor"}
WHO_MAY = [
    ("POST", "/cycles", {"kcc-officer"}),
    ("GET", "/cycles/x", {"kcc-officer", "auditor"}),
    ("GET", "/cycles/x/themes", SCRUTINY),
    ("GET", "/themes?area=east-kent", SCRUTINY),
    ("GET", "/reviews/x", set(ROLES)),
    ("POST", "/reviews/x/reviewers", {"kcc-officer"}),
    ("POST", "/reviews/x/self-evaluation", {"senco"}),
    ("POST", "/reviews/x/stage", {"kcc-officer", "senco"}),
    ("PUT", "/reviews/x/report", {"senco"}),
    ("GET", "/reviews/x/report", set(ROLES)),
    ("GET", "/reviews/x/grants", {"senco"}),
    ("POST", "/reviews/x/grants", {"senco"}),
    ("POST", "/reviews/x/grants/g/revocation", {"senco"}),
    ("POST", "/reviews/x/action-plan", {"senco"}),
    ("POST", "/reviews/x/actions/a/completion", {"senco"}),
    ("POST", "/actions/overdue-sweep", {"kcc-officer"}),
    ("POST", "/reviews/x/follow-up", {"kcc-officer", "senco"}),
]


@pytest.mark.parametrize(("method", "path", "allowed"), WHO_MAY, ids=lambda v: str(v))
async def test_each_role_is_refused_where_it_has_no_part(
    reviews: Reviews, method: str, path: str, allowed: set[str]
) -> None:
    for role in ROLES:
        response = reviews.client.request(method, path, headers=reviews.as_(role))
        assert (response.status_code == 403) == (role not in allowed), (role, response.text)


async def test_without_a_token_every_reviews_endpoint_answers_401(reviews: Reviews) -> None:
    for method, path, _ in WHO_MAY:
        response = reviews.client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"


async def test_every_route_of_the_service_is_in_the_role_matrix(reviews: Reviews) -> None:
    """So the matrix above proves each route checks the caller's role (the kit's start-up check
    sees only routes added to the app itself, not those of included routers)."""
    placeholders = {"{review_id}": "x", "{cycle_id}": "x", "{grant_id}": "g", "{item_id}": "a"}

    def in_matrix_form(path: str) -> str:
        for parameter, placeholder in placeholders.items():
            path = path.replace(parameter, placeholder)
        return path

    paths = reviews.client.get("/openapi.json").json()["paths"]
    served = {
        (method.upper(), in_matrix_form(path))
        for path, operations in paths.items()
        if path not in PUBLIC_PATHS
        for method in operations
    }

    assert served == {(method, path.split("?")[0]) for method, path, _ in WHO_MAY}


@pytest.mark.parametrize(
    ("method", "path", "allowed"), [row for row in WHO_MAY if "/x" in row[1]], ids=str
)
async def test_an_id_no_record_can_carry_is_refused_by_its_shape_never_a_500(
    reviews: Reviews, method: str, path: str, allowed: set[str]
) -> None:
    """PostgreSQL cannot compare a NUL, so an id that is not a pseudonymous id is a 422."""
    role = sorted(allowed)[0]
    for bad in ("a%00b", "x" * 81, "St%20Mary%27s"):
        segments = [bad if part in ("x", "g", "a") else part for part in path.split("/")]
        response = reviews.client.request(method, "/".join(segments), headers=reviews.as_(role))
        assert response.status_code == 422, (path, bad, response.text)
        assert any(error["location"][0] == "path" for error in response.json()["errors"])
