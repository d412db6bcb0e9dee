"""Who may see or act on a child's case."""

from __future__ import annotations

from inclusion_shared.auth import Principal, Role

FAMILY = (Role.PARENT, Role.YOUNG_PERSON)
CASEWORK = (Role.KCC_OFFICER, Role.PANEL_MEMBER, Role.AUDITOR)


def may_see_child(who: Principal, child_id: str) -> bool:
    """A parent or young person sees only their own child's case (the token's `child`);
    officers, panel members and auditors see every case."""
    if who.role in FAMILY:
        return who.child is not None and who.child == child_id
    return who.role in CASEWORK
