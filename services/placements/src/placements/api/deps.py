"""What every placements route needs: the service's vault, today's date as the service takes
it, and where a page of a list starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from inclusion_shared.persistence.personal_data import PersonalDataVault
from inclusion_shared.web.problems import Problem, Unprocessable

M = TypeVar("M", bound=BaseModel)
K = TypeVar("K")


class Calendar:
    """The service's today: the UTC date, unless pinned (rehearsals and tests move time so)."""

    def __init__(self, pinned: date | None = None) -> None:
        self._pinned = pinned

    def today(self) -> date:
        return self._pinned or datetime.now(UTC).date()

    def pin(self, day: date) -> None:
        self._pinned = day


def vault(request: Request) -> PersonalDataVault:
    found: PersonalDataVault = request.app.state.vault
    return found


def today(request: Request) -> date:
    calendar: Calendar = request.app.state.calendar
    return calendar.today()


def not_after_today(day: date, today: date, what: str) -> date:
    """A day something happened is never later than today."""
    if day > today:
        raise Unprocessable(f"{what} is after today", code="dated_in_the_future")
    return day


def validated(model: type[M], **fields: Any) -> M:
    """Build a domain model from request parts, refusing it as the schema check would: rules
    that span fields (one basis of capacity, an end to a lasting exception) are checked here."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise Problem(
            "the request does not match the schema",
            status=422,
            kind="invalid-request",
            title="Invalid request",
            errors=[
                {"location": [str(part) for part in item["loc"]], "message": item["msg"]}
                for item in error.errors()
            ],
        ) from None
