"""Every list pages by a cursor that clients cannot forge into something else."""

from __future__ import annotations

import pytest

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
