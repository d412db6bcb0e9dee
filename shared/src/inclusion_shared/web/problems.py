"""RFC 9457 problem responses: every error a client sees is a machine-readable 4xx or 5xx body
of type ``application/problem+json``, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://inclusion.example/problems/"
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the client can act on. Subclasses fix the status and the problem type."""

    status = 400
    kind = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        kind: str | None = None,
        title: str | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status or self.status
        self.kind = kind or self.kind
        self.title = title or self.title
        self.extensions = extensions

    def body(self, instance: str) -> dict[str, Any]:
        return {
            "type": PROBLEM_TYPE_BASE + self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            **self.extensions,
        }


class Unauthorised(Problem):
    status, kind, title = 401, "unauthorised", "Authentication required"


class Forbidden(Problem):
    status, kind, title = 403, "forbidden", "Not allowed"


class NotFound(Problem):
    status, kind, title = 404, "not-found", "Not found"


class Conflict(Problem):
    status, kind, title = 409, "conflict", "Conflict"


class Gone(Problem):
    """What was asked for existed and was erased for good (a person's key crypto-shredded)."""

    status, kind, title = 410, "gone", "Gone"


class Unprocessable(Problem):
    status, kind, title = 422, "unprocessable", "The request breaks a rule"


class Unavailable(Problem, RuntimeError):
    """The service cannot answer yet (starting while its database or Kafka is away); the
    client may try again after ``retry_after`` seconds. A RuntimeError too, as a service that
    is not started has always said."""

    status, kind, title = 503, "unavailable", "Service unavailable"

    def __init__(self, detail: str, *, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
    if isinstance(problem, Unavailable):
        headers = {"Retry-After": str(problem.retry_after)}
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Turn every error into a problem response."""

    @app.exception_handler(Problem)
    async def on_problem(request: Request, error: Problem) -> JSONResponse:
        return problem_response(error, request)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": [str(part) for part in item["loc"]], "message": item["msg"]}
            for item in error.errors()
        ]
        problem = Problem(
            "the request does not match the schema",
            status=422,
            kind="invalid-request",
            title="Invalid request",
            errors=errors,
        )
        return problem_response(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        problem = Problem(
            str(error.detail), status=error.status_code, kind="http-error", title=str(error.detail)
        )
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", extra={"path": request.url.path})
        problem = Problem(
            "an unexpected error occurred; nothing was changed",
            status=500,
            kind="internal",
            title="Internal error",
        )
        return problem_response(problem, request)
