"""Invitations to give views: officers see those in their places, auditors all, a SENCO their
settings', a parent or young person their child's."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter, Depends

from feedback.access import PERMIT, reach
from feedback.adapters import FeedbackStore
from feedback.api.deps import BY_DAY_AND_ID, pool
from inclusion_shared.auth import Principal
from inclusion_shared.web.paging import PageRequest, page_request, paged

router = APIRouter(tags=["invitations"])


@router.get("/invitations")
async def invitations(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(PERMIT["invitation.read"]),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """Invitations with when each falls due and when it was answered, by due date, a page at a
    time."""
    after = page.after_as(BY_DAY_AND_ID)
    async with the_pool.acquire() as connection:
        rows = await FeedbackStore(connection).invitations(
            reach(who, "invitation.read"), after, page.fetch
        )
    found, cursor = page.of(rows, lambda row: (row[0].due_on.isoformat(), row[0].invitation_id))
    return paged(
        [
            {**invitation.model_dump(mode="json"), "responded_on": responded_on}
            for invitation, responded_on in found
        ],
        cursor,
        "invitations",
    )
