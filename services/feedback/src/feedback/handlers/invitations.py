"""Issuing an invitation caused by another service's event: once per cause, however often the
cause is delivered or published again."""

from __future__ import annotations

from uuid import UUID

from feedback.adapters import FeedbackStore
from feedback.domain.invitations import Invitation
from inclusion_shared.contracts.feedback import INVITATION_ISSUED, InvitationIssued
from inclusion_shared.persistence.unit_of_work import UnitOfWork


async def issue(work: UnitOfWork, invitation: Invitation, caused_by: UUID) -> bool:
    """Record and announce an invitation; False (and nothing emitted) if its cause already
    invited."""
    if not await FeedbackStore(work.connection).add_invitation(invitation, caused_by):
        return False
    work.emit(
        INVITATION_ISSUED.type,
        invitation.invitation_id,
        InvitationIssued(
            invitation_id=invitation.invitation_id,
            cause=invitation.cause.value,
            cause_id=invitation.cause_id,
            voice=invitation.voice.value,
            child_id=invitation.child_id,
            setting_id=invitation.setting_id,
            district=invitation.place.district,
            area=invitation.place.area,
            community_of_schools=invitation.place.community_of_schools,
            issued_on=invitation.issued_on,
            due_on=invitation.due_on,
        ),
    )
    return True
