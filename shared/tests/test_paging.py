"""Every list pages by a cursor that clients cannot forge into something else."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter

from inclusion_shared.web.paging import PageRequest, next_cursor
from inclusion_shared.web.problems import Problem


def test_a_full_page_points_at_the_next_and_the_last_page_points_nowhere() -> None:
    rows = [("a", 1), ("b", 2), ("c", 3)]
    page, cursor = PageRequest(limit=2, after=None).of(rows, lambda row: row)
    assert page == rows[:2]
    assert cursor is not None and PageRequest(2, cursor).after_key(2) == ("b", 2)
    assert PageRequest(limit=3, after=None).of(rows, lambda row: row) == (rows, None)
    assert PageRequest(limit=3, after=None).of([], lambda row: row) == ([], None)


@pytest.mark.parametrize("after", ["not base64!", next_cursor(("a",)), "W3RydWUsIDFd", "e30="])
def test_a_cursor_not_made_for_this_list_is_a_bad_request(after: str) -> None:
    with pytest.raises(Problem) as refused:
        PageRequest(limit=10, after=after).after_key(2)
    assert refused.value.status == 400 and refused.value.kind == "bad-cursor"


def test_a_cursor_is_read_as_the_lists_own_types_or_refused() -> None:
    key = TypeAdapter(tuple[date, str])
    cursor = next_cursor(("2026-09-01", "case-1"))
    assert PageRequest(10, cursor).after_as(key) == (date(2026, 9, 1), "case-1")
    assert PageRequest(10, None).after_as(key) is None
    with pytest.raises(Problem) as refused:
        PageRequest(10, next_cursor(("not a day", "case-1"))).after_as(key)
    assert refused.value.kind == "bad-cursor"
