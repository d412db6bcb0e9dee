"""Pages for every list: `?limit=` (at most ``MAX_PAGE``) and `?after=` (the `next` of the page
before), keyset-paged in SQL so no request reads more than a page of rows.

A handler takes a ``PageRequest`` as a dependency, asks its store for ``page.limit + 1`` rows
ordered by a unique key and after ``page.after_key()``, and answers with ``page.of(rows, key)``:
the rows of the page and the cursor of the next one (`null` on the last page). The cursor is
opaque to clients: the sort key of the page's last row, as URL-safe base64 of JSON, so it
carries no names and never needs escaping in a URL.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import TypeAdapter, ValidationError

from inclusion_shared.web.problems import Problem

T = TypeVar("T")
K = TypeVar("K")

DEFAULT_PAGE = 50
MAX_PAGE = 500
MAX_CURSOR = 512  # characters: a key of a few identifiers and dates

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: str | None

    def after_key(self, arity: int) -> Key | None:
        """The sort key the page starts after, or None for the first page; a cursor that was
        not made by ``next_cursor`` for a key of this arity is a 400 problem."""
        if self.after is None:
            return None
        try:
            key = json.loads(base64.urlsafe_b64decode(self.after.encode("ascii")))
        except (binascii.Error, UnicodeError, ValueError):
            key = None
        if (
            not isinstance(key, list)
            or len(key) != arity
            or not all(isinstance(part, str | int) and not isinstance(part, bool) for part in key)
        ):
            raise _not_a_cursor()
        return tuple(key)

    def after_as(self, key: TypeAdapter[K]) -> K | None:
        """The sort key the page starts after, read as the list's own types (``key`` adapts a
        tuple such as ``tuple[date, PseudonymousId]``), or None for the first page. A cursor
        whose parts are not of those types was not made by this list: a 400 problem, never a
        query the database refuses."""
        parts = self.after_key(len(key.json_schema().get("prefixItems", ())))
        if parts is None:
            return None
        try:
            return key.validate_python(parts)
        except ValidationError:
            raise _not_a_cursor() from None

    def of(self, rows: Sequence[T], key: Callable[[T], Key]) -> tuple[list[T], str | None]:
        """The page's rows (the store fetched one more than `limit`, to know if more follow)
        and the cursor of the next page."""
        page = list(rows[: self.limit])
        more = len(rows) > self.limit
        return page, next_cursor(key(page[-1])) if more and page else None

    @property
    def fetch(self) -> int:
        """How many rows to ask the store for: one more than the page."""
        return self.limit + 1


def _not_a_cursor() -> Problem:
    return Problem(
        "`after` must be the `next` value of a previous page of this list",
        kind="bad-cursor",
        title="Not a cursor",
    )


def next_cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode("ascii")


def page_request(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description=f"Items per page, at most {MAX_PAGE}.")
    ] = DEFAULT_PAGE,
    after: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR, description="The `next` value of the previous page."),
    ] = None,
) -> PageRequest:
    """The FastAPI dependency for a paged list: `Depends(page_request)`."""
    return PageRequest(limit=limit, after=after)


def paged(items: list[Any], cursor: str | None, name: str) -> dict[str, Any]:
    """A list's answer: its items under `name`, and `next`."""
    return {name: items, "next": cursor}
