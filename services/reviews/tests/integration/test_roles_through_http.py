"""Who may do what in reviews, deny by default: each endpoint admits only the roles the policy
grants its action, and none answers without a token. (Which records each caller reaches is the
access matrix's, test_access_matrix.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from inclusion_shared.auth import Role
from reviews.access import POLICY

from .conftest import Reviews
from .test_access_matrix import TABLE

# A token for each role, in scope everywhere it can be: the role check comes before the record's.
SCOPED: dict[Role, dict[str, Any]] = {
    Role.SENCO: {"setting": "school-a"},
    Role.KCC_OFFICER: {"areas": ("kent",)},
    Role.AREA_BOARD: {"areas": ("kent",)},
    Role.PANEL_MEMBER: {"panels": ("panel-east",)},
    Role.PARENT: {"child": "child-1ae80cfbd8c8ca02806d"},
    Role.YOUNG_PERSON: {"child": "child-1ae80cfbd8c8ca02806d"},
}
PLACEHOLDERS = {"{review_id}": "x", "{cycle_id}": "x", "{grant_id}": "g", "{item_id}": "a"}
WHO_MAY = [(method, path, entry.action) for (method, path), entry in sorted(TABLE.items())]


def on_no_record(path: str) -> str:
    for parameter, placeholder in PLACEHOLDERS.items():
        path = path.replace(parameter, placeholder)
    return path + ("?area=east-kent" if path == "/themes" else "")


@pytest.mark.parametrize(("method", "path", "action"), WHO_MAY, ids=str)
async def test_each_role_is_refused_where_the_policy_grants_it_nothing(
    reviews: Reviews, method: str, path: str, action: str
) -> None:
    for role in Role:
        headers = reviews.as_(role.value, **SCOPED.get(role, {}))
        response = reviews.client.request(method, on_no_record(path), headers=headers)
        refused = role not in POLICY.roles(action)
        assert (response.status_code == 403) == refused, (role, response.text)


async def test_without_a_token_every_reviews_endpoint_answers_401(reviews: Reviews) -> None:
    for method, path, _ in WHO_MAY:
        response = reviews.client.request(method, on_no_record(path))
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "action"), [row for row in WHO_MAY if "{" in row[1]], ids=str
)
async def test_an_id_no_record_can_carry_is_refused_by_its_shape_never_a_500(
    reviews: Reviews, method: str, path: str, action: str
) -> None:
    """PostgreSQL cannot compare a NUL, so an id that is not a pseudonymous id is a 422."""
    role = sorted(POLICY.roles(action))[0]
    headers = reviews.as_(role.value, **SCOPED.get(role, {}))
    for bad in ("a%00b", "x" * 81, "St%20Mary%27s"):
        segments = [
            bad if part in ("x", "g", "a") else part for part in on_no_record(path).split("/")
        ]
        response = reviews.client.request(method, "/".join(segments), headers=headers)
        assert response.status_code == 422, (path, bad, response.text)
        assert any(error["location"][0] == "path" for error in response.json()["errors"])
