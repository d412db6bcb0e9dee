"""Placements: started from an accepted offer, ended with a reason code.

A child moves between provisions only with a specific purpose, recorded when the placement ends.
A child is in one placement at a time: the next starts after the last day of the previous one.
"""

from datetime import date
from enum import StrEnum

from inclusion_shared.identifiers import ChildId
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.offers import Offer, OfferStatus
from placements.domain.setting import ProvisionType
from placements.domain.values import DomainModel, PseudonymousId
from placements.domain.year_groups import YearGroup


class EndReason(StrEnum):
    """Why a placement ended."""

    PHASE_TRANSFER = "phase_transfer"
    MOVED_PROVISION = "moved_provision"
    LEFT_KENT = "left_kent"
    LEFT_EDUCATION = "left_education"
    PERMANENTLY_EXCLUDED = "permanently_excluded"


class MovePurpose(StrEnum):
    """The specific purpose a move between provisions must have."""

    MEET_CHANGED_NEEDS = "meet_changed_needs"
    RETURN_TO_MAINSTREAM = "return_to_mainstream"
    TIME_LIMITED_INTERVENTION = "time_limited_intervention"
    ASSESSMENT_PLACEMENT = "assessment_placement"
    NEARER_HOME = "nearer_home"


class Placement(DomainModel):
    """A child's placement at a setting. `year_group` is the child's year group on `started_on`;
    `ended_on` is the last day of the placement."""

    placement_id: PseudonymousId
    offer_id: PseudonymousId
    child_id: ChildId
    setting_id: PseudonymousId
    provision: ProvisionType
    year_group: YearGroup
    started_on: date
    ended_on: date | None = None
    end_reason: EndReason | None = None
    move_purpose: MovePurpose | None = None


def start_placement(
    offer: Offer, *, placement_id: str, on: date, previous: Placement | None = None
) -> Placement:
    """Start the placement an accepted offer gave, or refuse.

    Refused when the offer was not accepted (or `on` is before it was), or when the child's
    `previous` placement is for another child or has not ended before `on`.
    """
    if offer.status is not OfferStatus.ACCEPTED or offer.responded_on is None:
        raise DecisionRefused(RefusalCode.OFFER_NOT_ACCEPTED, (offer.offer_id,))
    if on < offer.responded_on:
        raise DecisionRefused(RefusalCode.START_BEFORE_ACCEPTANCE)
    if previous is not None:
        if previous.child_id != offer.child_id:
            raise DecisionRefused(RefusalCode.PLACEMENT_OF_ANOTHER_CHILD)
        if previous.ended_on is None or previous.ended_on >= on:
            raise DecisionRefused(
                RefusalCode.PREVIOUS_PLACEMENT_NOT_ENDED, (previous.placement_id,)
            )
    return Placement(
        placement_id=placement_id,
        offer_id=offer.offer_id,
        child_id=offer.child_id,
        setting_id=offer.setting_id,
        provision=offer.provision,
        year_group=offer.year_group,
        started_on=on,
    )


def end_placement(
    placement: Placement, on: date, reason: EndReason, purpose: MovePurpose | None = None
) -> Placement:
    """End a placement on its last day, or refuse.

    A move between provisions needs its specific purpose; any other reason takes none. Refused
    too for a placement already ended, or an end before the start.
    """
    if placement.ended_on is not None:
        raise DecisionRefused(RefusalCode.PLACEMENT_ALREADY_ENDED, (placement.placement_id,))
    if on < placement.started_on:
        raise DecisionRefused(RefusalCode.ENDS_BEFORE_START)
    if reason is EndReason.MOVED_PROVISION and purpose is None:
        raise DecisionRefused(RefusalCode.MOVE_WITHOUT_PURPOSE)
    if reason is not EndReason.MOVED_PROVISION and purpose is not None:
        raise DecisionRefused(RefusalCode.PURPOSE_WITHOUT_MOVE, (reason.value,))
    return placement.evolve(ended_on=on, end_reason=reason, move_purpose=purpose)
