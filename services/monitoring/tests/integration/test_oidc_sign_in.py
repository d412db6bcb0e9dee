"""Signing in through the deployment's identity provider (OpenID Connect, authorization code
with PKCE), against a fake provider on 127.0.0.1: the session comes only from an ID token that
the provider signed, for this client, for this sign-in, with a role that may see the pages, and
it reaches the places the ID token names."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from monitoring.api.sessions import SESSION_COOKIE
from monitoring.app import create_app

from .conftest import join_at_the_topics_end, monitoring_settings
from .fake_identity_provider import FakeIdentityProvider

CLIENT_ID, CLIENT_SECRET = "inclusion-monitoring", "s3cret:with/odd&chars"
REDIRECT = "https://testserver/auth/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeIdentityProvider]:
    fake = FakeIdentityProvider(CLIENT_ID, CLIENT_SECRET)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
async def client(
    module_database: str,
    kafka_bootstrap: str,
    keys: tuple[bytes, Path],
    provider: FakeIdentityProvider,
) -> AsyncIterator[TestClient]:
    settings = monitoring_settings(
        module_database,
        kafka_bootstrap,
        keys[1],
        f"monitoring-{uuid4().hex[:10]}",
        dev_sign_in=False,
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_redirect_uri=REDIRECT,
    )
    await join_at_the_topics_end(kafka_bootstrap, settings)
    with TestClient(create_app(settings), base_url="https://testserver") as started:
        yield started


@pytest.fixture
def browser(client: TestClient, provider: FakeIdentityProvider) -> Iterator[TestClient]:
    client.cookies.clear()
    yield client
    client.cookies.clear()
    provider.role, provider.wrong_nonce, provider.unknown_key = "area-board", False, False
    provider.areas = ["east-kent"]


def at_the_provider(authorize_url: str) -> str:
    """The user signs in at the provider, which sends them back to the callback."""
    answer = httpx.get(authorize_url, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def start(browser: TestClient, next_page: str = "/dashboard?scope=area:east-kent") -> str:
    answer = browser.get("/auth/oidc", params={"next": next_page}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def test_the_sign_in_page_offers_the_identity_provider_and_no_development_sign_in(
    browser: TestClient,
) -> None:
    page = browser.get("/auth/sign-in").text
    assert 'href="/auth/oidc?next=' in page
    assert "Development sign-in" not in page
    assert browser.post("/auth/dev", data={"token": "x"}).status_code == 404


def test_an_area_board_member_signs_in_through_the_identity_provider(
    browser: TestClient, provider: FakeIdentityProvider
) -> None:
    authorize = start(browser)
    sent = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    assert sent["client_id"] == [CLIENT_ID] and sent["redirect_uri"] == [REDIRECT]
    assert sent["code_challenge_method"] == ["S256"] and sent["scope"] == ["openid"]

    callback = at_the_provider(authorize)
    answer = browser.get(callback, follow_redirects=False)

    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/dashboard?scope=area:east-kent"
    assert f"{SESSION_COOKIE}=" in answer.headers["set-cookie"]
    assert "code_verifier" in provider.token_requests[-1]
    page = browser.get("/dashboard?scope=area:east-kent")
    assert page.status_code == 200
    assert "Signed in as area-board" in page.text
    assert browser.get("/dashboard?scope=district:thanet").status_code == 200
    assert browser.get("/dashboard?scope=kent").status_code == 403
    assert browser.get("/dashboard?scope=area:west-kent").status_code == 403


def test_a_kent_wide_id_token_signs_in_to_a_kent_wide_session(
    browser: TestClient, provider: FakeIdentityProvider
) -> None:
    provider.areas = ["kent"]
    assert browser.get(at_the_provider(start(browser)), follow_redirects=False).status_code == 303
    assert browser.get("/dashboard?scope=kent").status_code == 200


def test_an_id_token_naming_a_place_kent_does_not_have_gets_no_session(
    browser: TestClient, provider: FakeIdentityProvider
) -> None:
    provider.areas = ["atlantis"]
    answer = browser.get(at_the_provider(start(browser)), follow_redirects=False)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_a_role_that_may_not_see_the_pages_gets_no_session(
    browser: TestClient, provider: FakeIdentityProvider
) -> None:
    provider.role = "senco"
    answer = browser.get(at_the_provider(start(browser)), follow_redirects=False)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_an_id_token_for_another_sign_in_is_refused(
    browser: TestClient, provider: FakeIdentityProvider
) -> None:
    provider.wrong_nonce = True
    answer = browser.get(at_the_provider(start(browser)), follow_redirects=False)
    assert answer.status_code == 401
    assert "nonce" in answer.text


def test_an_id_token_the_provider_did_not_sign_is_refused(
    browser: TestClient, provider: FakeIdentityProvider
) -> None:
    provider.unknown_key = True
    answer = browser.get(at_the_provider(start(browser)), follow_redirects=False)
    assert answer.status_code == 401
    assert "not valid" in answer.text


def test_a_callback_with_a_state_of_its_own_is_refused(browser: TestClient) -> None:
    callback = at_the_provider(start(browser))
    forged = callback.replace("state=", "state=forged")
    assert browser.get(forged, follow_redirects=False).status_code == 400


def test_a_callback_without_the_sign_in_started_here_is_refused(
    browser: TestClient, client: TestClient
) -> None:
    callback = at_the_provider(start(browser))
    browser.cookies.clear()  # another browser: it never started this sign-in
    assert browser.get(callback, follow_redirects=False).status_code == 400
