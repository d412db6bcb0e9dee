"""The deployment's identity provider, spoken to by OpenID Connect (authorization-code flow with
PKCE): its discovery document, the authorization URL, the code exchanged for tokens at its token
endpoint, and the ID token checked against its published keys."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jwt

ALGORITHMS = ("RS256", "ES256")
TIMEOUT = httpx.Timeout(10.0)


class SignInFailed(Exception):
    """The identity provider's answer cannot be trusted or used; the reason is safe to show."""


@dataclass(frozen=True)
class Attempt:
    """What a sign-in must remember between leaving for the provider and coming back."""

    state: str
    nonce: str
    verifier: str

    @classmethod
    def new(cls) -> Attempt:
        return cls(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48))

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OpenIdProvider:
    """One relying-party registration at one issuer."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        scopes: str = "openid",
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scopes = scopes
        self._discovery: dict[str, Any] | None = None

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=TIMEOUT)

    async def discovery(self) -> dict[str, Any]:
        """The provider's discovery document (read once; it must name this issuer)."""
        if self._discovery is None:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = await self._get_json(url)
            if document.get("issuer") != self.issuer:
                raise SignInFailed("the discovery document names another issuer")
            for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(document.get(needed), str):
                    raise SignInFailed(f"the discovery document has no {needed}")
            self._discovery = document
        return self._discovery

    async def authorization_url(self, attempt: Attempt) -> str:
        endpoint = (await self.discovery())["authorization_endpoint"]
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": self.scopes,
                "state": attempt.state,
                "nonce": attempt.nonce,
                "code_challenge": attempt.challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def sign_in(self, code: str, attempt: Attempt) -> dict[str, Any]:
        """Exchange the authorization code for tokens; return the checked ID token's claims."""
        discovery = await self.discovery()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": attempt.verifier,
        }
        methods = discovery.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
        headers = {}
        if "client_secret_basic" in methods:
            headers["Authorization"] = self._basic_credentials()
        else:
            form |= {"client_id": self.client_id, "client_secret": self._client_secret}
        async with self._client() as client:
            try:
                answer = await client.post(discovery["token_endpoint"], data=form, headers=headers)
            except httpx.HTTPError as error:
                raise SignInFailed(f"the identity provider did not answer: {error}") from None
        if answer.status_code != 200:
            raise SignInFailed(f"the identity provider refused the code ({answer.status_code})")
        id_token = answer.json().get("id_token")
        if not isinstance(id_token, str):
            raise SignInFailed("the identity provider returned no ID token")
        return await self.check_id_token(id_token, attempt.nonce)

    def _basic_credentials(self) -> str:
        """HTTP Basic with the client id and secret form-encoded first (RFC 6749, 2.3.1)."""
        pair = f"{quote(self.client_id, safe='')}:{quote(self._client_secret, safe='')}"
        return "Basic " + base64.b64encode(pair.encode()).decode("ascii")

    async def check_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
        discovery = await self.discovery()
        try:
            header = jwt.get_unverified_header(id_token)
            keys = jwt.PyJWKSet.from_dict(await self._get_json(discovery["jwks_uri"]))
            key = next((k for k in keys.keys if header.get("kid") in (None, k.key_id)), None)
            if key is None:
                raise SignInFailed(
                    "the ID token is signed with a key the provider does not publish"
                )
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key.key,
                algorithms=list(ALGORITHMS),
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.PyJWTError as error:
            raise SignInFailed(f"the ID token is not valid: {error}") from None
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInFailed("the ID token is not for this sign-in (nonce)")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise SignInFailed("the ID token was issued to another party (azp)")
        return claims

    async def _get_json(self, url: str) -> dict[str, Any]:
        async with self._client() as client:
            try:
                answer = await client.get(url)
                answer.raise_for_status()
                found = answer.json()
            except (httpx.HTTPError, ValueError) as error:
                raise SignInFailed(f"could not read {url}: {error}") from None
        if not isinstance(found, dict):
            raise SignInFailed(f"{url} is not a JSON object")
        return found
