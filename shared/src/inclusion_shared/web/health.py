"""Liveness and readiness: live = the process answers; ready = PostgreSQL and Kafka answer and
no consumed record is stuck (inclusion_shared.bootstrap.Service.readiness)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live(request: Request) -> JSONResponse:
    """Live unless a supervised background task keeps dying (inclusion_shared.supervision)."""
    check: ReadinessCheck | None = getattr(request.app.state, "liveness", None)
    parts = await check() if check is not None else {}
    status = 200 if all(parts.values()) else 503
    return JSONResponse(
        {"status": "live" if status == 200 else "failing", **parts}, status_code=status
    )


@router.get("/ready")
async def ready(request: Request) -> JSONResponse:
    check: ReadinessCheck = request.app.state.readiness
    parts = await check()
    status = 200 if all(parts.values()) else 503
    return JSONResponse(
        {"status": "ready" if status == 200 else "not ready", **parts}, status_code=status
    )
