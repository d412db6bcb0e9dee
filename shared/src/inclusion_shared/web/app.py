"""The FastAPI application every service builds on: problem responses, health, and a check
that no route is left open by accident (deny by default)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from inclusion_shared.auth import ROLE_CHECK_MARK
from inclusion_shared.web import health
from inclusion_shared.web.problems import install_problem_handlers
from inclusion_shared.web.tracing import TraceRequests

# Probes and published contracts carry no case data and are read by machines without tokens.
PUBLIC_PATHS = frozenset(
    {
        "/health/live",
        "/health/ready",
        "/openapi.json",
        "/asyncapi.json",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
    }
)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


class UnguardedRoute(RuntimeError):
    """A route that would answer without checking who is calling."""


def http_app(title: str, version: str, lifespan: Lifespan | None = None) -> FastAPI:
    app = FastAPI(title=title, version=version, lifespan=lifespan)
    app.add_middleware(TraceRequests)
    install_problem_handlers(app)
    app.include_router(health.router)
    return app


def assert_every_route_guarded(app: FastAPI) -> None:
    """Refuse to start if a non-public route lacks an ``allow(...)`` role check."""
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.path in PUBLIC_PATHS:
            continue
        if not any(getattr(dep.call, ROLE_CHECK_MARK, False) for dep in _all_dependencies(route)):
            raise UnguardedRoute(f"{sorted(route.methods or ())} {route.path} has no role check")


def _all_dependencies(route: APIRoute) -> list[Dependant]:
    found: list[Dependant] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        found.append(dependant)
        pending.extend(dependant.dependencies)
    return found
