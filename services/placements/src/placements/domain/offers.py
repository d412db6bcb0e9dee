"""Offers of a place following a placement decision: made, then accepted or declined.

An offer holds a place from when it is made until it is declined. No offer beyond capacity
without an authorised override, recorded on the offer.
"""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from inclusion_shared.identifiers import ChildId
from placements.domain.capacity import Capacity, CapacityOverride
from placements.domain.dates import AcademicYear
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.placement_decision import PlacementDecision
from placements.domain.setting import ProvisionType
from placements.domain.values import DomainModel, PseudonymousId, ReasonCode
from placements.domain.year_groups import YearGroup


class OfferStatus(StrEnum):
    """Where an offer stands."""

    MADE = "made"
    ACCEPTED = "accepted"
    DECLINED = "declined"


HOLDS_A_PLACE = frozenset({OfferStatus.MADE, OfferStatus.ACCEPTED})


class Offer(DomainModel):
    """A place offered to a child at a setting, for a year group in an academic year."""

    offer_id: PseudonymousId
    decision_id: PseudonymousId
    child_id: ChildId
    setting_id: PseudonymousId
    provision: ProvisionType
    academic_year: AcademicYear
    year_group: YearGroup
    made_on: date
    status: OfferStatus = OfferStatus.MADE
    responded_on: date | None = None
    decline_reason: ReasonCode | None = None
    over_capacity: CapacityOverride | None = None


def places_held(capacity: Capacity, offers: Iterable[Offer], year_group: YearGroup) -> int:
    """Places at the setting held by offers made or accepted, in the year group's count."""
    return sum(
        offer.setting_id == capacity.setting_id
        and offer.academic_year == capacity.academic_year
        and offer.status in HOLDS_A_PLACE
        and (capacity.by_designation or offer.year_group is year_group)
        for offer in offers
    )


def check_place_left(
    capacity: Capacity,
    offers: Iterable[Offer],
    year_group: YearGroup,
    override: CapacityOverride | None,
) -> bool:
    """Whether the year group's places are all held (an override then allows an offer);
    refused when they are and no override is given."""
    held = places_held(capacity, offers, year_group)
    full = held >= capacity.places_for(year_group)
    if full and override is None:
        raise DecisionRefused(
            RefusalCode.OVER_CAPACITY_WITHOUT_OVERRIDE,
            (f"places_{capacity.places_for(year_group)}", f"held_{held}"),
        )
    return full


def make_offer(
    decision: PlacementDecision,
    capacity: Capacity,
    offers: Iterable[Offer],
    *,
    offer_id: str,
    made_on: date,
    override: CapacityOverride | None = None,
) -> Offer:
    """Offer the place a decision named, or refuse.

    Refused before the decision, against another setting's or year's capacity, and when no
    place is left unless an authorised override is given; the override is then recorded.
    """
    request, setting = decision.request, decision.setting
    if made_on < decision.decided_on:
        raise DecisionRefused(RefusalCode.OFFER_BEFORE_DECISION)
    if capacity.setting_id != setting.setting_id:
        raise DecisionRefused(RefusalCode.CAPACITY_OF_ANOTHER_SETTING, (capacity.setting_id,))
    if capacity.academic_year != request.academic_year:
        raise DecisionRefused(RefusalCode.CAPACITY_FOR_ANOTHER_YEAR, (capacity.academic_year,))
    full = check_place_left(capacity, offers, request.year_group, override)
    return Offer(
        offer_id=offer_id,
        decision_id=decision.decision_id,
        child_id=request.child_id,
        setting_id=setting.setting_id,
        provision=setting.provision,
        academic_year=request.academic_year,
        year_group=request.year_group,
        made_on=made_on,
        over_capacity=override if full else None,
    )


def _respond(offer: Offer, on: date) -> None:
    if offer.status is not OfferStatus.MADE:
        raise DecisionRefused(RefusalCode.OFFER_ALREADY_ANSWERED, (offer.status.value,))
    if on < offer.made_on:
        raise DecisionRefused(RefusalCode.ANSWER_BEFORE_OFFER)


def accept_offer(offer: Offer, on: date) -> Offer:
    """The family accepts the offer."""
    _respond(offer, on)
    return offer.evolve(status=OfferStatus.ACCEPTED, responded_on=on)


def decline_offer(offer: Offer, on: date, reason: str) -> Offer:
    """The family declines the offer, for a reason code; the place is freed."""
    _respond(offer, on)
    return offer.evolve(status=OfferStatus.DECLINED, responded_on=on, decline_reason=reason)
