"""Every endpoint authenticates and authorises, deny by default; errors are RFC 9457 problems."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from inclusion_shared.auth import (
    Principal,
    Role,
    TokenVerifier,
    allow,
    generate_signing_key,
    mint_token,
    public_key_pem,
)
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.settings import ServiceSettings
from inclusion_shared.web.app import UnguardedRoute, assert_every_route_guarded, http_app
from inclusion_shared.web.problems import Unprocessable


@pytest.fixture(scope="module")
def signing_key() -> bytes:
    return generate_signing_key()


@pytest.fixture(scope="module")
def client(signing_key: bytes, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    public_key = tmp_path_factory.mktemp("keys") / "dev.pub.pem"
    public_key.write_bytes(public_key_pem(signing_key))
    app = http_app("test", "0")
    app.state.token_verifier = TokenVerifier(
        ServiceSettings(service_name="test", auth_public_key_file=public_key)
    )

    @app.get("/applications")
    async def applications(
        who: Principal = Depends(allow(Role.SENCO, Role.AUDITOR)),
    ) -> dict[str, str | None]:
        return {"role": who.role, "setting": who.setting}

    @app.post("/refusal")
    async def refusal(_: Principal = Depends(allow(Role.KCC_OFFICER))) -> None:
        raise Unprocessable("the panel is not quorate", rule="quorum")

    @app.post("/notes")
    async def notes(
        body: dict[str, str], _: Principal = Depends(allow(Role.KCC_OFFICER))
    ) -> dict[str, int]:
        return {"fields": len(body)}

    assert_every_route_guarded(app)
    return TestClient(app)


def bearer(key: bytes, role: str, **claims: str) -> dict[str, str]:
    token = mint_token(key, role=role, subject=person_id_for("user-1"), **claims)
    return {"Authorization": f"Bearer {token}"}


def test_a_request_without_a_token_is_refused_with_401(client: TestClient) -> None:
    response = client.get("/applications")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/unauthorised")


def test_a_parent_cannot_read_the_school_applications_list(
    client: TestClient, signing_key: bytes
) -> None:
    response = client.get(
        "/applications", headers=bearer(signing_key, "parent", child="child-bbfbe3d2d2787a52a195")
    )

    assert response.status_code == 403
    assert response.json()["status"] == 403


def test_a_senco_token_carries_their_setting(client: TestClient, signing_key: bytes) -> None:
    response = client.get(
        "/applications", headers=bearer(signing_key, "senco", setting="setting-42")
    )

    assert response.status_code == 200
    assert response.json() == {"role": "senco", "setting": "setting-42"}


def test_a_token_signed_by_another_key_is_refused(client: TestClient) -> None:
    response = client.get("/applications", headers=bearer(generate_signing_key(), "auditor"))

    assert response.status_code == 401


def test_an_expired_token_is_refused(client: TestClient, signing_key: bytes) -> None:
    token = mint_token(signing_key, role="auditor", subject=person_id_for("a-1"), ttl_seconds=-60)

    response = client.get("/applications", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_a_broken_rule_is_a_problem_with_its_extension_members(
    client: TestClient, signing_key: bytes
) -> None:
    response = client.post("/refusal", headers=bearer(signing_key, "kcc-officer"))

    assert response.status_code == 422
    assert response.json()["detail"] == "the panel is not quorate"
    assert response.json()["rule"] == "quorum"


def test_minting_a_token_for_a_role_domain_md_lacks_fails(signing_key: bytes) -> None:
    with pytest.raises(ValueError):
        mint_token(signing_key, role="headteacher", subject=person_id_for("x"))


def test_an_app_with_an_unguarded_route_refuses_to_start() -> None:
    app: FastAPI = http_app("test", "0")

    @app.get("/open")
    async def open_route() -> None:
        return None

    with pytest.raises(UnguardedRoute):
        assert_every_route_guarded(app)


def test_health_and_contract_documents_are_the_only_public_paths() -> None:
    from inclusion_shared.web.app import PUBLIC_PATHS

    assert all(
        path.startswith(("/health/", "/openapi", "/asyncapi", "/docs", "/redoc"))
        for path in PUBLIC_PATHS
    )
    assert Path("/health/ready").as_posix() in PUBLIC_PATHS


def test_an_unguarded_route_in_an_included_router_refuses_to_start() -> None:
    app: FastAPI = http_app("test", "0")
    router = APIRouter(prefix="/cases")

    @router.get("/guarded")
    async def guarded(_: Principal = Depends(allow(Role.AUDITOR))) -> None:
        return None

    @router.get("/open")
    async def open_route() -> None:
        return None

    app.include_router(router, prefix="/v1")

    with pytest.raises(UnguardedRoute, match="/v1/cases/open"):
        assert_every_route_guarded(app)


def test_a_router_guarded_as_a_whole_counts_as_guarded() -> None:
    app: FastAPI = http_app("test", "0")
    router = APIRouter()

    @router.get("/figures")
    async def figures() -> None:
        return None

    app.include_router(router, dependencies=[Depends(allow(Role.AREA_BOARD))])

    assert_every_route_guarded(app)


def test_a_body_over_the_limit_is_refused_with_413_whether_announced_or_streamed(
    client: TestClient, signing_key: bytes
) -> None:
    officer = bearer(signing_key, "kcc-officer")
    small = client.post("/notes", json={"note": "x" * 1000}, headers=officer)
    announced = client.post("/notes", json={"note": "x" * (1024 * 1024)}, headers=officer)

    def chunks() -> Iterator[bytes]:
        yield b'{"note": "'
        for _ in range(20):
            yield b"x" * 64 * 1024
        yield b'"}'

    streamed = client.post(
        "/notes", content=chunks(), headers={**officer, "Content-Type": "application/json"}
    )

    assert small.status_code == 200, small.text
    for response in (announced, streamed):
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("too-large")


def test_a_refused_token_is_told_nothing_of_why(client: TestClient, signing_key: bytes) -> None:
    expired = mint_token(
        signing_key, role="senco", subject=person_id_for("user-1"), ttl_seconds=-60
    )
    garbage = "not-even-a-jwt"
    for token in (expired, garbage):
        response = client.get("/applications", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json()["detail"] == "the bearer token is not valid"
