"""A tiny OpenID Connect provider on 127.0.0.1, run in-process for the sign-in tests: discovery,
an authorization endpoint that signs the user straight in (as if they had entered their
password), a token endpoint that checks the client's secret, the code, the redirect and the PKCE
verifier, and the JWKS its RS256 ID tokens are signed with."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from inclusion_shared.identifiers import person_id_for


@dataclass
class Grant:
    redirect_uri: str
    nonce: str
    challenge: str


@dataclass
class FakeIdentityProvider:
    client_id: str
    client_secret: str
    role: str = "area-board"
    """The role the next ID token claims."""
    areas: list[str] = field(default_factory=lambda: ["east-kent"])
    """The areas the next ID token claims the user works in."""
    wrong_nonce: bool = False
    unknown_key: bool = False
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        routes = [
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"]),
            Route("/jwks", self.jwks),
        ]
        config = uvicorn.Config(Starlette(routes=routes), log_config=None)
        self.server = uvicorn.Server(config)
        # Listening before the server starts: a request queues until it is served, so nothing
        # waits for the server to come up.
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        if query.get("code_challenge_method") != "S256" or "openid" not in query.get("scope", ""):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(query["redirect_uri"], query["nonce"], query["code_challenge"])
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return RedirectResponse(target, status_code=302)

    async def token(self, request: Request) -> Response:
        form = {key: values[0] for key, values in parse_qs((await request.body()).decode()).items()}
        self.token_requests.append(form)
        if self.client_credentials(request) != (self.client_id, self.client_secret):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            return JSONResponse({"error": "invalid_grant", "detail": "pkce"}, status_code=400)
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": person_id_for("pairwise-7d1c"),
            "iat": now,
            "exp": now + 300,
            "nonce": "someone-elses" if self.wrong_nonce else grant.nonce,
            "role": self.role,
            "areas": self.areas,
        }
        key = self.stranger if self.unknown_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "fake-1"})
        return JSONResponse(
            {"access_token": "opaque", "token_type": "Bearer", "id_token": id_token}
        )

    @staticmethod
    def client_credentials(request: Request) -> tuple[str, str] | None:
        """HTTP Basic, each half form-decoded (RFC 6749, 2.3.1)."""
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme != "Basic":
            return None
        client, _, secret = base64.b64decode(encoded).decode().partition(":")
        return unquote_plus(client), unquote_plus(secret)

    async def jwks(self, request: Request) -> Response:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return JSONResponse({"keys": [{**public, "kid": "fake-1", "use": "sig", "alg": "RS256"}]})
