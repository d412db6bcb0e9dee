"""Invitations to give views, caused by what happens elsewhere in the suite: a family some weeks
after their child's placement starts, a SENCO after a funding decision, a school after its peer
review's follow-up.

An invitation holds pseudonymous ids and a coarse place, never contact details. Its id follows
from its cause, so the same cause can only ever invite once.
"""

import hashlib
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from feedback.domain.values import DomainModel, Place, PseudonymousId, Voice
from inclusion_shared.identifiers import ChildId

# A decision deferred for more information is not the end of the matter: invite after the last.
FINAL_FUNDING_OUTCOMES = frozenset({"approved", "declined", "refused", "awarded"})
WeeksAfter = Annotated[int, Field(strict=True, ge=0, le=52)]


class InvitationCause(StrEnum):
    PLACEMENT_STARTED = "placement-started"
    FUNDING_DECISION = "funding-decision"
    REVIEW_FOLLOW_UP = "review-follow-up"


class InvitationPolicy(DomainModel):
    """How many weeks after each cause an invitation falls due (configuration, not code)."""

    family_weeks_after_placement: WeeksAfter = 6
    senco_weeks_after_funding_decision: WeeksAfter = 2
    school_weeks_after_follow_up: WeeksAfter = 2


class Invitation(DomainModel):
    """Who is invited (a voice, and the child or setting by pseudonymous id), why, and when it
    falls due."""

    invitation_id: PseudonymousId
    cause: InvitationCause
    cause_id: str
    voice: Voice
    child_id: ChildId | None = None
    setting_id: PseudonymousId
    place: Place
    issued_on: date
    due_on: date


def invitation_id_for(cause: InvitationCause, cause_id: str) -> str:
    """The one id an invitation for this cause can have."""
    digest = hashlib.sha256(f"{cause.value}:{cause_id}".encode()).hexdigest()
    return f"invitation-{digest[:24]}"


def _after(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def invite_family(
    *,
    placement_id: str,
    child_id: str,
    setting_id: str,
    phase: str,
    place: Place,
    starts_on: date,
    issued_on: date,
    policy: InvitationPolicy,
) -> Invitation:
    """Invite the family to say how the placement is going, some weeks after it starts. From
    post-16 the young person is asked, since decisions have passed to them."""
    cause = InvitationCause.PLACEMENT_STARTED
    return Invitation(
        invitation_id=invitation_id_for(cause, placement_id),
        cause=cause,
        cause_id=placement_id,
        voice=Voice.YOUNG_PERSON if phase == "post-16" else Voice.PARENT_CARER,
        child_id=child_id,
        setting_id=setting_id,
        place=place,
        issued_on=issued_on,
        due_on=_after(starts_on, policy.family_weeks_after_placement),
    )


def invite_senco(
    *,
    decision_id: str,
    outcome: str,
    setting_id: str,
    place: Place,
    decided_on: date,
    issued_on: date,
    policy: InvitationPolicy,
) -> Invitation | None:
    """Invite the setting's SENCO to give views on a funding decision once it is final; none
    for a decision deferred for more information."""
    if outcome not in FINAL_FUNDING_OUTCOMES:
        return None
    cause = InvitationCause.FUNDING_DECISION
    return Invitation(
        invitation_id=invitation_id_for(cause, decision_id),
        cause=cause,
        cause_id=decision_id,
        voice=Voice.PROFESSIONAL,
        setting_id=setting_id,
        place=place,
        issued_on=issued_on,
        due_on=_after(decided_on, policy.senco_weeks_after_funding_decision),
    )


def invite_school(
    *,
    review_id: str,
    setting_id: str,
    place: Place,
    completed_on: date,
    issued_on: date,
    policy: InvitationPolicy,
) -> Invitation:
    """Invite the reviewed school to give its views once the review's follow-up is complete."""
    cause = InvitationCause.REVIEW_FOLLOW_UP
    return Invitation(
        invitation_id=invitation_id_for(cause, review_id),
        cause=cause,
        cause_id=review_id,
        voice=Voice.SETTING,
        setting_id=setting_id,
        place=place,
        issued_on=issued_on,
        due_on=_after(completed_on, policy.school_weeks_after_follow_up),
    )
