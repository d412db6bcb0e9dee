"""Bearer-token authentication and role-based authorisation, deny by default.

Production checks tokens against the identity provider's JWKS URL; development uses a local
ES256 key (``inclusion token`` mints tokens with it). Roles are those of domain.md. A token also
carries its scope: the areas or districts an officer or Area Board works in (``kent`` for all of
Kent), the settings a SENCO works for, the panels a member sits on, the child of a parent or
young person. The person is named by their minted id (``person-`` and 20 hex digits, see
``identifiers``), in the subject claim or another the identity provider fills from the account's
attributes. The claims' names are settings (``AUTH_CLAIM_*``), so an identity provider's own
names can be used; a token lives at most ``AUTH_MAX_TOKEN_LIFETIME_SECONDS`` and must say when
it was issued.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any
from uuid import uuid4

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Request
from pydantic import BaseModel, ConfigDict, model_validator

from inclusion_shared.identifiers import PersonId, is_child_id, is_person_id
from inclusion_shared.kent import AREA_OF, Area, District
from inclusion_shared.settings import ServiceSettings
from inclusion_shared.web.problems import Forbidden, Unauthorised

log = logging.getLogger(__name__)

ALGORITHMS = ["ES256", "RS256"]
ROLE_CHECK_MARK = "inclusion_role_check"


class Role(StrEnum):
    SENCO = "senco"
    KCC_OFFICER = "kcc-officer"
    PANEL_MEMBER = "panel-member"
    PARENT = "parent"
    YOUNG_PERSON = "young-person"
    AREA_BOARD = "area-board"
    AUDITOR = "auditor"
    PLATFORM_ADMIN = "platform-admin"


KENT_WIDE = "kent"  # in the areas claim: every area and district
CLOCK_SKEW_SECONDS = 60
# A token already verified is believed again for this long at most, and never past its expiry:
# a client sends one token with many requests, and checking its signature each time was an
# eighth of a command's CPU. A signing key the identity provider withdraws stops working here
# within this time.
VERIFIED_FOR_SECONDS = 30
VERIFIED_TOKENS_HELD = 10_000


class Principal(BaseModel):
    """Who is calling: a person's minted id (``subject``), a role, and the records the token
    limits them to. ``setting`` is the SENCO's setting when there is one (the first of
    ``settings``)."""

    model_config = ConfigDict(frozen=True)

    subject: PersonId
    role: Role
    setting: str | None = None
    child: str | None = None
    settings: frozenset[str] = frozenset()
    areas: frozenset[Area] = frozenset()
    districts: frozenset[District] = frozenset()
    panels: frozenset[str] = frozenset()
    kent_wide: bool = False

    @model_validator(mode="after")
    def _one_setting_is_among_the_settings(self) -> Principal:
        if self.setting is not None and self.setting not in self.settings:
            object.__setattr__(self, "settings", self.settings | {self.setting})
        if self.setting is None and self.settings:
            object.__setattr__(self, "setting", min(self.settings))
        return self

    def covers_area(self, area: Area | str) -> bool:
        """Whether the principal's places include all of this area."""
        return self.kent_wide or Area(area) in self.areas

    def covers_district(self, district: District | str) -> bool:
        """Whether the principal's places include this district (or its whole area)."""
        district = District(district)
        return self.kent_wide or district in self.districts or AREA_OF[district] in self.areas

    def works_for(self, setting_id: str) -> bool:
        return setting_id in self.settings

    def sits_on(self, panel_id: str) -> bool:
        return panel_id in self.panels


class ClaimNames(BaseModel):
    """Where a token carries each part of the principal (the identity provider's names)."""

    person: str = "sub"
    role: str = "role"
    areas: str = "areas"
    districts: str = "districts"
    settings: str = "settings"
    setting: str = "setting"  # a single setting, as earlier tokens carried it
    panels: str = "panels"
    child: str = "child"

    @classmethod
    def of(cls, settings: ServiceSettings) -> ClaimNames:
        return cls(
            person=settings.auth_claim_person,
            role=settings.auth_claim_role,
            areas=settings.auth_claim_areas,
            districts=settings.auth_claim_districts,
            settings=settings.auth_claim_settings,
            panels=settings.auth_claim_panels,
            child=settings.auth_claim_child,
        )


def _strings(claims: dict[str, Any], name: str) -> frozenset[str]:
    """A claim holding one string or a list of strings (identity providers do both)."""
    value = claims.get(name)
    if value is None:
        return frozenset()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"the {name} claim is not a string or a list of strings")
    return frozenset(values)


def principal_from_claims(claims: dict[str, Any], names: ClaimNames | None = None) -> Principal:
    """The principal a verified token's claims describe; ValueError for a role domain.md lacks,
    a place Kent does not have, or a person or child named other than by a minted id."""
    names = names or ClaimNames()
    areas = _strings(claims, names.areas)
    person = claims.get(names.person)
    if not is_person_id(person):
        raise ValueError(
            f"the {names.person} claim is not a person's id (person- and 20 hex digits)"
        )
    child = claims.get(names.child)
    if child is not None and not is_child_id(child):
        raise ValueError(f"the {names.child} claim is not a child's id (child- and 20 hex digits)")
    single = claims.get(names.setting)
    return Principal(
        subject=person,
        role=Role(claims[names.role]),
        setting=single if isinstance(single, str) else None,
        child=child if isinstance(child, str) else None,
        settings=_strings(claims, names.settings),
        areas=frozenset(Area(area) for area in areas - {KENT_WIDE}),
        districts=frozenset(District(d) for d in _strings(claims, names.districts)),
        panels=_strings(claims, names.panels),
        kent_wide=KENT_WIDE in areas,
    )


def generate_signing_key() -> bytes:
    """A new ES256 private key, PEM-encoded, for local development tokens."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(private_pem: bytes) -> bytes:
    """The public half of a PEM private key, PEM-encoded."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def mint_token(
    private_key_pem: bytes,
    *,
    role: str,
    subject: str,
    setting: str | None = None,
    child: str | None = None,
    settings: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    panels: tuple[str, ...] = (),
    ttl_seconds: int = 3600,
    issuer: str = "inclusion-local",
    audience: str = "inclusion",
) -> str:
    """A signed bearer token for local use, with the default claim names; raises ValueError
    for a role domain.md lacks, a place Kent does not have (``kent``: all of Kent), or a subject
    or child that is not a minted id."""
    for area in areas:
        if area != KENT_WIDE:
            Area(area)
    for district in districts:
        District(district)
    if not is_person_id(subject):
        raise ValueError(f"{subject!r} is not a person's id: person- and 20 lowercase hex digits")
    if child and not is_child_id(child):
        raise ValueError(f"{child!r} is not a child's id: child- and 20 lowercase hex digits")
    claims: dict[str, object] = {
        "sub": subject,
        "role": Role(role).value,
        "iss": issuer,
        "aud": audience,
        "iat": int(time.time()),
        "exp": int(time.time()) + ttl_seconds,
        "jti": str(uuid4()),
    }
    if setting:
        claims["setting"] = setting
    if child:
        claims["child"] = child
    for name, values in (
        ("settings", settings),
        ("areas", areas),
        ("districts", districts),
        ("panels", panels),
    ):
        if values:
            claims[name] = list(values)
    return jwt.encode(claims, private_key_pem, algorithm="ES256")


INVALID_TOKEN = "the bearer token is not valid"


class SigningKeys:
    """The identity provider's signing keys (its JWKS), fetched without blocking a request,
    kept, and fetched again every ``max_age`` seconds or when a token names a key not held —
    but never more often than every ``min_refresh`` seconds, so tokens naming unknown keys
    cannot make the service hammer the identity provider. A failed fetch keeps the keys held."""

    def __init__(
        self, url: str, *, min_refresh: float = 30.0, max_age: float = 600.0, timeout: float = 5.0
    ) -> None:
        self.url = url
        self.min_refresh = min_refresh
        self.max_age = max_age
        self.timeout = timeout
        self._keys: dict[str, Any] = {}
        self._fetched = -math.inf  # time.monotonic() of the last attempt
        self._lock = asyncio.Lock()

    async def key(self, key_id: str | None) -> Any | None:
        """The key with this id (the only key, for a token naming none), or None."""
        if key_id not in self._keys or time.monotonic() - self._fetched >= self.max_age:
            async with self._lock:
                if time.monotonic() - self._fetched >= self.min_refresh:
                    await self._fetch()
        if key_id is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(key_id) if key_id is not None else None

    async def _fetch(self) -> None:
        self._fetched = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(self.url)
                response.raise_for_status()
            found = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            log.warning(
                "cannot fetch the signing keys", extra={"url": self.url, "error": repr(error)}
            )
            return
        self._keys = {jwk.key_id or "": jwk.key for jwk in found.keys}


class TokenVerifier:
    """Checks a bearer token's signature, expiry, issuer and audience, and reads its claims.
    A token that fails gets a plain 401: why is logged, never told to the caller."""

    def __init__(self, settings: ServiceSettings, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        # token -> (believed until, principal); the oldest is dropped when full.
        self._verified: dict[str, tuple[float, Principal]] = {}
        self.issuer = settings.auth_issuer
        self.audience = settings.auth_audience
        self.claims = ClaimNames.of(settings)
        self.max_lifetime = settings.auth_max_token_lifetime_seconds
        self._jwks = SigningKeys(settings.auth_jwks_url) if settings.auth_jwks_url else None
        self._local_key = (
            settings.auth_public_key_file.read_bytes() if settings.auth_public_key_file else None
        )
        if self._jwks is None and self._local_key is None:
            raise ValueError("set AUTH_JWKS_URL (production) or AUTH_PUBLIC_KEY_FILE (development)")

    async def verify(self, token: str) -> Principal:
        now = self.clock()
        believed = self._verified.get(token)
        if believed is not None:
            if now < believed[0]:
                return believed[1]
            del self._verified[token]
        principal, expires = await self._check(token)
        if len(self._verified) >= VERIFIED_TOKENS_HELD:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (
            min(now + VERIFIED_FOR_SECONDS, expires + CLOCK_SKEW_SECONDS),
            principal,
        )
        return principal

    async def _check(self, token: str) -> tuple[Principal, float]:
        """The token's principal and expiry, its signature and claims checked."""
        try:
            key: Any = self._local_key
            if self._jwks is not None:
                key = await self._jwks.key(jwt.get_unverified_header(token).get("kid"))
            if key is None:
                raise jwt.InvalidKeyError("no key known for the token")
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub"]},
                leeway=CLOCK_SKEW_SECONDS,
            )
            self._check_lifetime(claims)
            return principal_from_claims(claims, self.claims), claims["exp"]
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as error:
            log.info("bearer token refused", extra={"reason": type(error).__name__})
            raise Unauthorised(INVALID_TOKEN) from None

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        issued, expires = claims["iat"], claims["exp"]
        if not all(isinstance(t, int | float) for t in (issued, expires)):
            raise jwt.InvalidTokenError("iat and exp must be numbers")
        if expires - issued > self.max_lifetime:
            raise jwt.InvalidTokenError("the token lives longer than AUTH_MAX_TOKEN_LIFETIME")


async def authenticate(request: Request) -> Principal:
    """The caller, from the ``Authorization: Bearer`` header; 401 without a valid token."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorised("this endpoint needs a bearer token")
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(token.strip())


def allow(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency admitting only the given roles: everyone else gets 403."""

    async def dependency(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal.role not in roles:
            raise Forbidden(f"the role {principal.role} may not do this")
        return principal

    setattr(dependency, ROLE_CHECK_MARK, True)
    return dependency
