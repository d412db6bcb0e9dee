"""Invitations to give views: officers and auditors see them all, a SENCO their setting's, a
parent or young person their child's."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter, Depends

from feedback.adapters import FeedbackStore
from feedback.api.deps import DAY, ID, pool, start_after
from inclusion_shared.auth import Principal, Role, allow
from inclusion_shared.web.paging import PageRequest, page_request, paged

router = APIRouter(tags=["invitations"])


@router.get("/invitations")
async def invitations(
    page: PageRequest = Depends(page_request),
    who: Principal = Depends(
        allow(Role.KCC_OFFICER, Role.AUDITOR, Role.SENCO, Role.PARENT, Role.YOUNG_PERSON)
    ),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """Invitations with when each falls due and when it was answered, by due date, a page at a
    time."""
    every = who.role in (Role.KCC_OFFICER, Role.AUDITOR)
    after = start_after(page, DAY, ID)
    async with the_pool.acquire() as connection:
        rows = await FeedbackStore(connection).invitations(
            after,
            page.fetch,
            child_id=who.child if who.role in (Role.PARENT, Role.YOUNG_PERSON) else None,
            setting_id=who.setting if who.role is Role.SENCO else None,
            every=every,
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
