"""Invitations to give views: officers and auditors see them all, a SENCO their setting's, a
parent or young person their child's."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter, Depends

from feedback.adapters import FeedbackStore
from feedback.api.deps import pool
from inclusion_shared.auth import Principal, Role, allow

router = APIRouter(tags=["invitations"])


@router.get("/invitations")
async def invitations(
    who: Principal = Depends(
        allow(Role.KCC_OFFICER, Role.AUDITOR, Role.SENCO, Role.PARENT, Role.YOUNG_PERSON)
    ),
    the_pool: asyncpg.Pool = Depends(pool),
) -> dict[str, Any]:
    """Invitations with when each falls due and when it was answered."""
    every = who.role in (Role.KCC_OFFICER, Role.AUDITOR)
    async with the_pool.acquire() as connection:
        found = await FeedbackStore(connection).invitations(
            child_id=who.child if who.role in (Role.PARENT, Role.YOUNG_PERSON) else None,
            setting_id=who.setting if who.role is Role.SENCO else None,
            every=every,
        )
    return {
        "invitations": [
            {**invitation.model_dump(mode="json"), "responded_on": responded_on}
            for invitation, responded_on in found
        ]
    }
