"""Browser sessions: a signed, short-lived session token in a cookie that is Secure, HttpOnly and
SameSite=Lax, read by the same checks as a bearer token.

The pages are guarded by the kit's ``permit()`` like every API route, and ``permit()`` reads the
``Authorization`` header. So the cookie is turned into that header, for GET and HEAD requests
only: a form posted from another site never carries a signed-in user's authority, and no page
that changes anything can be reached with the cookie alone. The session token is an HS256 JWT
under this service's own session key, with an issuer and audience no identity provider uses;
``SessionAwareVerifier`` accepts it beside the bearer tokens the kit's verifier accepts. A
session carries the whole principal — role and scope (areas, districts, settings, panels,
child), under the kit's default claim names — so the pages reached by the cookie are the
places the token or ID token that signed in reaches.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import jwt
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from inclusion_shared.auth import (
    INVALID_TOKEN,
    KENT_WIDE,
    Principal,
    TokenVerifier,
    principal_from_claims,
)
from inclusion_shared.web.problems import Unauthorised

SESSION_COOKIE = "monitoring_session"
ISSUER = "inclusion-monitoring"
SESSION_AUDIENCE = "inclusion-monitoring-session"
SAFE_METHODS = frozenset({"GET", "HEAD"})


class SessionKey:
    """Signs and reads this service's own short-lived tokens (sessions, sign-in state)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("a session key needs at least 32 bytes")
        self._key = key

    @classmethod
    def from_file(cls, path: Path | None) -> SessionKey:
        """The configured key, or a random one (sessions then end with the process)."""
        return cls(path.read_bytes().strip() if path else secrets.token_bytes(32))

    def sign(self, audience: str, claims: dict[str, Any], ttl_seconds: int) -> str:
        now = int(time.time())
        body = {**claims, "iss": ISSUER, "aud": audience, "iat": now, "exp": now + ttl_seconds}
        return jwt.encode(body, self._key, algorithm="HS256")

    def read(self, audience: str, token: str) -> dict[str, Any]:
        """The claims of a token this key signed for ``audience``; raises jwt.PyJWTError."""
        claims: dict[str, Any] = jwt.decode(
            token,
            self._key,
            algorithms=["HS256"],
            audience=audience,
            issuer=ISSUER,
            options={"require": ["exp", "iat"]},
        )
        return claims

    def session(self, principal: Principal, ttl_seconds: int) -> str:
        """A session token for someone signed in: who, their role and their scope."""
        return self.sign(SESSION_AUDIENCE, session_claims(principal), ttl_seconds)


def session_claims(principal: Principal) -> dict[str, Any]:
    """The principal as claims ``principal_from_claims`` reads back (default claim names)."""
    areas = sorted(principal.areas) + ([KENT_WIDE] if principal.kent_wide else [])
    claims: dict[str, Any] = {
        "sub": principal.subject,
        "role": principal.role.value,
        "sid": secrets.token_hex(8),
        "areas": areas,
        "districts": sorted(principal.districts),
        "settings": sorted(principal.settings),
        "panels": sorted(principal.panels),
    }
    if principal.setting is not None:
        claims["setting"] = principal.setting
    if principal.child is not None:
        claims["child"] = principal.child
    return claims


class SessionAwareVerifier:
    """Verifies a bearer token as the kit does, or as a session this service issued."""

    def __init__(self, tokens: TokenVerifier, sessions: SessionKey) -> None:
        self.tokens = tokens
        self.sessions = sessions

    async def verify(self, token: str) -> Principal:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError:
            raise Unauthorised(INVALID_TOKEN) from None
        if algorithm != "HS256":
            return await self.tokens.verify(token)
        try:
            return principal_from_claims(self.sessions.read(SESSION_AUDIENCE, token))
        except (jwt.PyJWTError, KeyError, ValueError):
            raise Unauthorised("the session has ended: sign in again") from None


class SessionCookieAuth:
    """ASGI middleware: a GET or HEAD request with the session cookie and no Authorization
    header is checked as if the cookie's token had come as a bearer token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in SAFE_METHODS:
            headers: list[tuple[bytes, bytes]] = list(scope["headers"])
            names = {name for name, _ in headers}
            cookie = next((value for name, value in headers if name == b"cookie"), None)
            if b"authorization" not in names and cookie is not None:
                token = cookie_parser(cookie.decode("latin-1")).get(SESSION_COOKIE)
                if token:
                    headers.append((b"authorization", f"Bearer {token}".encode("latin-1")))
                    scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)
