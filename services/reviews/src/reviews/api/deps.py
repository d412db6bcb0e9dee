"""What every reviews route needs: today's date, fresh ids, and where a page of a list starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from pydantic import TypeAdapter, ValidationError

from inclusion_shared.web.paging import PageRequest
from inclusion_shared.web.problems import Problem


def today() -> date:
    """Reviews are dated in UTC, the same day everywhere the suite runs."""
    return datetime.now(UTC).date()


def new_id(kind: str) -> str:
    """A fresh pseudonymous id for something the service names, e.g. `review-…`."""
    return f"{kind}-{uuid4().hex[:20]}"


def start_after(page: PageRequest, *parts: TypeAdapter[Any]) -> tuple[Any, ...] | None:
    """The key a page starts after, each part read as the value it stands for (an id, a date,
    a place in a list): a cursor the kit accepts but the store could not compare with is a bad
    cursor too (400), never a query PostgreSQL refuses."""
    key = page.after_key(len(parts))
    if key is None:
        return None
    try:
        return tuple(part.validate_python(value) for part, value in zip(parts, key, strict=True))
    except ValidationError:
        raise Problem(
            "`after` must be the `next` value of a previous page of this list",
            kind="bad-cursor",
            title="Not a cursor",
        ) from None
