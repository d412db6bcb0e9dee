"""The family's answer to an offer: accepted (by the parent, the young person or an officer
for them) or declined with a reason code, which frees the place and lets the panel decide
again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    OFFER_ACCEPTED,
    OFFER_DECLINED,
    OfferAccepted,
    OfferDeclined,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_offer
from placements.adapters import PlacementsStore, StoredOffer
from placements.domain.offers import accept_offer, decline_offer
from placements.handlers.refusals import the_rules


async def _offer_for(
    store: PlacementsStore, who: Principal, action: str, offer_id: str
) -> StoredOffer:
    stored = await store.offer(offer_id, for_update=True)
    if stored is None:
        raise NotFound(f"no offer {offer_id}")
    POLICY.check(who, action, of_offer(stored))
    return stored


async def accept(work: UnitOfWork, who: Principal, offer_id: str, today: date) -> StoredOffer:
    store = PlacementsStore(work.connection)
    stored = await _offer_for(store, who, "offer.accept", offer_id)
    with the_rules():
        offer = accept_offer(stored.offer, today)
    await store.save_offer(offer)
    await store.set_request_status(stored.request_id, "accepted")
    work.emit(
        OFFER_ACCEPTED.type,
        offer.child_id,
        OfferAccepted(
            offer_id=offer.offer_id,
            request_id=stored.request_id,
            child_id=offer.child_id,
            setting_id=offer.setting_id,
            accepted_on=today,
        ),
    )
    return replace(stored, offer=offer)


async def decline(
    work: UnitOfWork, who: Principal, offer_id: str, reason: str, today: date
) -> StoredOffer:
    store = PlacementsStore(work.connection)
    stored = await _offer_for(store, who, "offer.decline", offer_id)
    with the_rules():
        offer = decline_offer(stored.offer, today, reason)
    await store.save_offer(offer)
    await store.set_request_status(stored.request_id, "consulting")
    work.emit(
        OFFER_DECLINED.type,
        offer.child_id,
        OfferDeclined(
            offer_id=offer.offer_id,
            request_id=stored.request_id,
            child_id=offer.child_id,
            setting_id=offer.setting_id,
            declined_on=today,
            reason=reason,
        ),
    )
    return replace(stored, offer=offer)
