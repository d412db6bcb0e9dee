"""The FastAPI application every service builds on: problem responses, health, and a check
that no route is left open by accident (deny by default)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.telemetry import TelemetryConfig
from starlette.routing import BaseRoute

from inclusion_shared.auth import ROLE_CHECK_MARK
from inclusion_shared.web import health
from inclusion_shared.web.limits import DEFAULT_MAX_BODY_BYTES, BodyLimit
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

# FastAPI's own OpenTelemetry (0.165 and later) is off: TraceRequests makes the one server span a
# request has, and FastAPI's logs would record a refused request's input values, which may be
# about a child.
NO_NATIVE_TELEMETRY = TelemetryConfig(
    tracing=False, metrics=False, logs=False, operation_spans=False
)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


class UnguardedRoute(RuntimeError):
    """A route that would answer without checking who is calling."""


def http_app(
    title: str,
    version: str,
    lifespan: Lifespan | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    app = FastAPI(title=title, version=version, lifespan=lifespan, telemetry=NO_NATIVE_TELEMETRY)
    app.add_middleware(TraceRequests)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    install_problem_handlers(app)
    app.include_router(health.router)
    return app


def assert_every_route_guarded(app: FastAPI, *, mark: str = ROLE_CHECK_MARK) -> None:
    """Refuse to start if a non-public route lacks a role check (``allow(...)``), or, with
    ``mark=ACTION_MARK``, the action of its service's access policy (``permit(...)``)."""
    for path, route, inherited in _api_routes(app.routes, "", ()):
        if path in PUBLIC_PATHS:
            continue
        calls = [dependency.call for dependency in _all_dependencies(route)] + [
            dependency.dependency for dependency in inherited
        ]
        if not any(getattr(call, mark, False) for call in calls):
            needs = "a role check" if mark == ROLE_CHECK_MARK else "an action of its policy"
            raise UnguardedRoute(f"{sorted(route.methods or ())} {path} has no {needs}")


def _api_routes(
    routes: Sequence[BaseRoute], prefix: str, inherited: tuple[Any, ...]
) -> Iterator[tuple[str, APIRoute, tuple[Any, ...]]]:
    """Every API route with its full path and the dependencies its routers add, however deeply
    routers are included (FastAPI keeps included routers as nodes of their own)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route, inherited
        router = getattr(route, "original_router", None)
        context = getattr(route, "include_context", None)
        if router is not None and context is not None:
            yield from _api_routes(
                router.routes, prefix + context.prefix, inherited + tuple(context.dependencies)
            )


def _all_dependencies(route: APIRoute) -> list[Dependant]:
    found: list[Dependant] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        found.append(dependant)
        pending.extend(dependant.dependencies)
    return found
