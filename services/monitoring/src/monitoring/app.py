"""Builds the monitoring service: settings, its model's migrations, subscriptions to the four
services' events, the pages and downloads, and signing in from a browser."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from inclusion_shared.bootstrap import Service
from inclusion_shared.web.app import PUBLIC_PATHS, UnguardedRoute
from inclusion_shared.web.problems import Problem, problem_response
from monitoring import stream
from monitoring.adapters.identity_provider import OpenIdProvider
from monitoring.api import downloads, pages, sign_in
from monitoring.api.sessions import SessionAwareVerifier, SessionCookieAuth, SessionKey
from monitoring.api.views import page
from monitoring.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def identity_provider(settings: Settings) -> OpenIdProvider | None:
    if not settings.oidc_enabled:
        return None
    assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
    assert settings.oidc_redirect_uri
    return OpenIdProvider(
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret.get_secret_value(),
        settings.oidc_redirect_uri,
        settings.oidc_scopes,
    )


def wants_a_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    service = Service(settings, migrations=MIGRATIONS)
    stream.subscribe(service.consumer)
    app = service.http("Monitoring: figures for Area Boards")
    sessions = SessionKey.from_file(settings.session_key_file)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.identity_provider = identity_provider(settings)
    app.add_middleware(SessionCookieAuth)
    for router in (pages.router, downloads.router):
        app.include_router(router)
    for route in sign_in.ROUTES:
        app.router.routes.append(route)
    only_sign_in_is_open(app)

    async def accept_sessions(_: Service) -> None:
        # The kit's lifespan has made the bearer-token verifier by now; sessions join it.
        app.state.token_verifier = SessionAwareVerifier(app.state.token_verifier, sessions)

    service.on_started(accept_sessions)

    @app.exception_handler(Problem)
    async def on_problem(request: Request, error: Problem) -> Response:
        """A browser asking for a page is sent to sign in, or shown the problem as a page."""
        if not wants_a_page(request):
            return problem_response(error, request)
        if error.status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/auth/sign-in?next={quote(target)}", status_code=303)
        return page(request, "error.html", error.status, title=error.title, detail=error.detail)

    return app


def only_sign_in_is_open(app: FastAPI) -> None:
    """Deny by default: the kit checks that every API route has a role check (``permit()``);
    here, that every other route is one of the kit's public ones or a sign-in route."""
    open_paths = PUBLIC_PATHS | sign_in.SIGN_IN_PATHS

    def check(routes: Sequence[BaseRoute]) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                check(included.routes)
            elif not isinstance(route, APIRoute) and getattr(route, "path", "") not in open_paths:
                path = getattr(route, "path", route)
                raise UnguardedRoute(f"{path} is neither guarded by permit() nor a sign-in route")

    check(app.router.routes)
