"""Signing in from a browser. These are the only routes without a role check (like the health
probes): someone who is not signed in must be able to reach them. Each is a plain Starlette
route, and the app refuses to start if any other route lacks ``permit()``.

- Production: OpenID Connect, authorization-code flow with PKCE, against the deployment's
  identity provider. The role is read from the ID token (``OIDC_ROLE_CLAIM``), and the scope
  (areas, districts, …) from the claims the bearer tokens use (``AUTH_CLAIM_*``).
- Development (``DEV_SIGN_IN=true`` only): a role token from ``inclusion token`` is checked as
  any bearer token is, and exchanged for a session.

Either way the browser ends up with the session cookie (see ``sessions``), carrying the role
and the scope signed in with. The sign-in state
(state, nonce, PKCE verifier, where to go next) travels in a short-lived cookie signed with the
session key, scoped to /auth.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from inclusion_shared.auth import ClaimNames, Principal, principal_from_claims
from inclusion_shared.web.problems import Unauthorised
from monitoring.access import VIEWERS
from monitoring.adapters.identity_provider import Attempt, OpenIdProvider, SignInFailed
from monitoring.api.sessions import SESSION_COOKIE, SessionKey
from monitoring.api.views import page, security_headers
from monitoring.settings import Settings

ATTEMPT_COOKIE = "monitoring_sign_in"
ATTEMPT_AUDIENCE = "inclusion-monitoring-sign-in"
ATTEMPT_SECONDS = 600
MAX_FORM_BYTES = 16 * 1024
HOME = "/dashboard"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return HOME
    return target


def _settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def _sessions(request: Request) -> SessionKey:
    found: SessionKey = request.app.state.sessions
    return found


def _provider(request: Request) -> OpenIdProvider | None:
    found: OpenIdProvider | None = request.app.state.identity_provider
    return found


def _same_site(request: Request) -> bool:
    """A form posted from this site, not another (browsers send Origin and Sec-Fetch-Site)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _signed_in(request: Request, principal: Principal, target: str) -> Response:
    settings = _settings(request)
    seconds = int(settings.session_hours * 3600)
    response = RedirectResponse(safe_next(target), status_code=303, headers=security_headers())
    response.set_cookie(
        SESSION_COOKIE,
        _sessions(request).session(principal, seconds),
        max_age=seconds,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    response.delete_cookie(ATTEMPT_COOKIE, path="/auth", secure=True, httponly=True)
    return response


def _refused(request: Request, message: str, status: int, target: str = HOME) -> Response:
    return _sign_in_page(request, status, error=message, target=target)


def _sign_in_page(
    request: Request, status: int = 200, *, error: str | None = None, target: str | None = None
) -> Response:
    settings = _settings(request)
    return page(
        request,
        "sign_in.html",
        status,
        next=safe_next(target or request.query_params.get("next")),
        oidc=_provider(request) is not None,
        dev=settings.dev_sign_in,
        error=error,
    )


def viewer_of(claims: dict[str, Any], settings: Settings) -> Principal | None:
    """Who an ID token's claims describe, if they may see the pages: the role under
    ``OIDC_ROLE_CLAIM``, the scope under the ``AUTH_CLAIM_*`` names."""
    names = ClaimNames.of(settings).model_copy(update={"role": settings.oidc_role_claim})
    try:
        principal = principal_from_claims(claims, names)
    except (KeyError, TypeError, ValueError):
        return None
    return principal if principal.role in VIEWERS else None


async def sign_in(request: Request) -> Response:
    return _sign_in_page(request)


async def dev_sign_in(request: Request) -> Response:
    if not _settings(request).dev_sign_in:
        return page(request, "error.html", 404, title="Not found", detail="No such page.")
    if not _same_site(request):
        return _refused(request, "Sign in from this site's own form.", 403)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _refused(request, "That is too long to be a token.", 413)
    form = parse_qs(body.decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    target = (form.get("next") or [HOME])[0]
    try:
        principal = await request.app.state.token_verifier.verify(token)
    except Unauthorised:
        return _refused(request, "That token is not valid (or has expired).", 401, target)
    if principal.role not in VIEWERS:
        return _refused(
            request,
            f"The role {principal.role.value} may not see the monitoring pages: "
            "they are for Area Board members, KCC officers and auditors.",
            403,
            target,
        )
    return _signed_in(request, principal, target)


async def oidc_start(request: Request) -> Response:
    provider = _provider(request)
    if provider is None:
        return page(request, "error.html", 404, title="Not found", detail="No such page.")
    attempt = Attempt.new()
    try:
        url = await provider.authorization_url(attempt)
    except SignInFailed as error:
        return _refused(request, f"Signing in is not possible now: {error}", 502)
    remembered = _sessions(request).sign(
        ATTEMPT_AUDIENCE,
        {
            "state": attempt.state,
            "nonce": attempt.nonce,
            "verifier": attempt.verifier,
            "next": safe_next(request.query_params.get("next")),
        },
        ATTEMPT_SECONDS,
    )
    response = RedirectResponse(url, status_code=303, headers=security_headers())
    response.set_cookie(
        ATTEMPT_COOKIE,
        remembered,
        max_age=ATTEMPT_SECONDS,
        path="/auth",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    return response


async def oidc_callback(request: Request) -> Response:
    provider = _provider(request)
    if provider is None:
        return page(request, "error.html", 404, title="Not found", detail="No such page.")
    query = request.query_params
    if "error" in query:
        return _refused(request, f"The identity provider said: {query['error'][:100]}", 401)
    try:
        remembered = _sessions(request).read(
            ATTEMPT_AUDIENCE, request.cookies.get(ATTEMPT_COOKIE, "")
        )
    except jwt.PyJWTError:
        return _refused(request, "The sign-in took too long or was started elsewhere.", 400)
    if not secrets.compare_digest(query.get("state", ""), str(remembered.get("state"))):
        return _refused(request, "The sign-in does not match the one started here.", 400)
    attempt = Attempt(remembered["state"], remembered["nonce"], remembered["verifier"])
    try:
        claims = await provider.sign_in(query.get("code", ""), attempt)
    except SignInFailed as error:
        return _refused(request, f"Signing in failed: {error}", 401)
    principal = viewer_of(claims, _settings(request))
    if principal is None:
        return _refused(
            request,
            "Your account has no role that may see the monitoring pages "
            "(Area Board members, KCC officers and auditors), or its places are not Kent's.",
            403,
        )
    return _signed_in(request, principal, str(remembered.get("next", HOME)))


async def sign_out(request: Request) -> Response:
    if not _same_site(request):
        return _refused(request, "Sign out from this site's own button.", 403)
    response = RedirectResponse("/auth/sign-in", status_code=303, headers=security_headers())
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


ROUTES = (
    Route("/auth/sign-in", sign_in, methods=["GET"]),
    Route("/auth/dev", dev_sign_in, methods=["POST"]),
    Route("/auth/oidc", oidc_start, methods=["GET"]),
    Route("/auth/callback", oidc_callback, methods=["GET"]),
    Route("/auth/sign-out", sign_out, methods=["POST"]),
)
SIGN_IN_PATHS = frozenset(route.path for route in ROUTES)
