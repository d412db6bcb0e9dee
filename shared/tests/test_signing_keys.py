"""Tokens checked against the identity provider's JWKS: the keys are fetched without blocking
the event loop and kept, a token naming a key not held fetches them again at most once per
interval, and a token no key verifies gets a plain 401. The identity provider is a real HTTP
server on this machine, counting what it is asked."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from inclusion_shared.auth import INVALID_TOKEN, Role, SigningKeys, TokenVerifier
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.settings import ServiceSettings
from inclusion_shared.web.problems import Unauthorised

OFFICER = person_id_for("officer-1")


class IdentityProvider(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Jwks)
        self.keys: dict[str, ec.EllipticCurvePrivateKey] = {}
        self.fetches = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/jwks"

    def token(self, kid: str, **claims: Any) -> str:
        payload = {
            "sub": OFFICER,
            "role": "kcc-officer",
            "iss": "idp",
            "aud": "inclusion",
        }
        now = int(time.time())
        payload |= {"iat": now, "exp": now + 600, **claims}
        return jwt.encode(payload, self.keys[kid], algorithm="ES256", headers={"kid": kid})


class _Jwks(BaseHTTPRequestHandler):
    server: IdentityProvider

    def do_GET(self) -> None:
        self.server.fetches += 1
        keys = [
            {**ECAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid, "alg": "ES256"}
            for kid, key in self.server.keys.items()
        ]
        body = json.dumps({"keys": keys}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    server = IdentityProvider()
    server.keys["k1"] = ec.generate_private_key(ec.SECP256R1())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def verifier_for(provider: IdentityProvider) -> TokenVerifier:
    settings = ServiceSettings(service_name="test", auth_jwks_url=provider.url, auth_issuer="idp")
    return TokenVerifier(settings)


async def test_the_keys_are_fetched_once_and_kept(provider: IdentityProvider) -> None:
    verifier = verifier_for(provider)
    for _ in range(20):
        principal = await verifier.verify(provider.token("k1"))
        assert principal.role is Role.KCC_OFFICER
    assert provider.fetches == 1


async def test_a_key_not_held_is_fetched_again_but_not_more_often_than_the_interval(
    provider: IdentityProvider,
) -> None:
    verifier = verifier_for(provider)
    await verifier.verify(provider.token("k1"))
    provider.keys["k2"] = ec.generate_private_key(ec.SECP256R1())  # the provider rotates
    assert verifier._jwks is not None
    verifier._jwks._fetched -= verifier._jwks.min_refresh  # the interval has passed

    assert (await verifier.verify(provider.token("k2"))).subject == OFFICER
    assert provider.fetches == 2

    stranger = ec.generate_private_key(ec.SECP256R1())
    forged = jwt.encode(
        {
            "sub": person_id_for("x"),
            "role": "auditor",
            "iss": "idp",
            "aud": "inclusion",
            "exp": 4_000_000_000,
        },
        stranger,
        algorithm="ES256",
        headers={"kid": "unknown"},
    )
    for _ in range(10):
        with pytest.raises(Unauthorised) as refused:
            await verifier.verify(forged)
        assert refused.value.detail == INVALID_TOKEN
    assert provider.fetches == 2  # unknown keys do not make it hammer the provider


async def test_an_unreachable_provider_refuses_tokens_plainly() -> None:
    keys = SigningKeys("http://127.0.0.1:9/jwks", timeout=1.0)
    assert await keys.key("k1") is None
    verifier = TokenVerifier(
        ServiceSettings(service_name="test", auth_jwks_url="http://127.0.0.1:9/jwks")
    )
    with pytest.raises(Unauthorised) as refused:
        await verifier.verify(jwt.encode({"sub": "x"}, "secret", headers={"kid": "k1"}))
    assert refused.value.detail == INVALID_TOKEN
