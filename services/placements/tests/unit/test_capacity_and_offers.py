"""Offers hold places; none beyond capacity without an authorised override, recorded."""

from datetime import date

import pytest
from pydantic import ValidationError

from inclusion_shared.identifiers import child_id_for, person_id_for
from placements.domain.capacity import (
    AuthorisingRole,
    Capacity,
    CapacityOverride,
    YearGroupPlaces,
)
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.offers import (
    Offer,
    OfferStatus,
    accept_offer,
    decline_offer,
    make_offer,
    places_held,
)
from placements.domain.placement_decision import PlacementDecision
from placements.domain.year_groups import YearGroup

MADE_ON = date(2026, 11, 20)
OVERRIDE = CapacityOverride(
    authorised_by=person_id_for("officer-7"),
    role=AuthorisingRole.KCC_OFFICER,
    reason="statutory_duty_to_place",
)


def _capacity(places: int) -> Capacity:
    return Capacity(setting_id="srp-0301", academic_year="2027-28", designated_places=places)


def _offers(decision: PlacementDecision, capacity: Capacity, n: int) -> tuple[Offer, ...]:
    """`n` offers already made at the setting, to other children."""
    offers: tuple[Offer, ...] = ()
    for i in range(n):
        other = decision.evolve(
            request=decision.request.evolve(child_id=child_id_for(f"offers-{i}"))
        )
        offers += (
            make_offer(
                other, capacity, offers, offer_id=f"offer-{i}", made_on=MADE_ON, override=OVERRIDE
            ),
        )
    return offers


def test_an_offer_within_capacity_holds_a_place(decision: PlacementDecision) -> None:
    capacity = _capacity(8)
    offer = make_offer(decision, capacity, (), offer_id="offer-1", made_on=MADE_ON)
    assert (offer.setting_id, offer.child_id, offer.status) == (
        "srp-0301",
        "child-4b8669e033ccb7794915",
        OfferStatus.MADE,
    )
    assert offer.over_capacity is None
    assert places_held(capacity, (offer,), YearGroup.YEAR_7) == 1


def test_the_last_place_is_offered_without_an_override(decision: PlacementDecision) -> None:
    capacity = _capacity(3)
    offer = make_offer(
        decision, capacity, _offers(decision, capacity, 2), offer_id="offer-9", made_on=MADE_ON
    )
    assert offer.over_capacity is None


def test_an_offer_beyond_capacity_without_an_override_is_refused(
    decision: PlacementDecision,
) -> None:
    capacity = _capacity(3)
    with pytest.raises(DecisionRefused) as refused:
        make_offer(
            decision, capacity, _offers(decision, capacity, 3), offer_id="offer-9", made_on=MADE_ON
        )
    assert refused.value.code is RefusalCode.OVER_CAPACITY_WITHOUT_OVERRIDE
    assert refused.value.details == ("places_3", "held_3")


def test_an_offer_beyond_capacity_with_an_authorised_override_records_it(
    decision: PlacementDecision,
) -> None:
    capacity = _capacity(3)
    offer = make_offer(
        decision,
        capacity,
        _offers(decision, capacity, 3),
        offer_id="offer-9",
        made_on=MADE_ON,
        override=OVERRIDE,
    )
    assert offer.over_capacity == OVERRIDE


def test_an_override_names_who_in_what_role_and_a_reason_code() -> None:
    with pytest.raises(ValidationError):
        CapacityOverride(
            authorised_by=person_id_for("officer-7"), role=AuthorisingRole.KCC_OFFICER, reason=""
        )
    with pytest.raises(ValidationError):
        CapacityOverride(
            authorised_by=person_id_for("officer-7"), role="panel-member", reason="urgent"
        )
    with pytest.raises(ValidationError):
        CapacityOverride(
            authorised_by=person_id_for("officer-7"),
            role=AuthorisingRole.HEADTEACHER,
            reason="Head agreed, child is vulnerable",
        )


def test_a_declined_offer_frees_its_place(decision: PlacementDecision) -> None:
    capacity = _capacity(3)
    offers = _offers(decision, capacity, 3)
    offers = (
        decline_offer(offers[0], date(2026, 11, 25), "family_chose_another_school"),
        *offers[1:],
    )
    offer = make_offer(decision, capacity, offers, offer_id="offer-9", made_on=date(2026, 11, 26))
    assert offer.over_capacity is None


def test_an_accepted_offer_still_holds_its_place(decision: PlacementDecision) -> None:
    capacity = _capacity(1)
    accepted = accept_offer(_offers(decision, capacity, 1)[0], date(2026, 11, 25))
    with pytest.raises(DecisionRefused):
        make_offer(decision, capacity, (accepted,), offer_id="offer-9", made_on=MADE_ON)


def test_capacity_by_year_group_counts_only_offers_in_that_year_group(
    decision: PlacementDecision,
) -> None:
    capacity = Capacity(
        setting_id="srp-0301",
        academic_year="2027-28",
        by_year_group=(
            YearGroupPlaces(year_group=YearGroup.YEAR_7, places=1),
            YearGroupPlaces(year_group=YearGroup.YEAR_8, places=2),
        ),
    )
    year_8 = decision.evolve(
        request=decision.request.evolve(
            year_group=YearGroup.YEAR_8, child_id="child-935c609adb23a93185e3"
        )
    )
    held = (make_offer(year_8, capacity, (), offer_id="offer-8", made_on=MADE_ON),)
    offer = make_offer(decision, capacity, held, offer_id="offer-7", made_on=MADE_ON)
    assert offer.over_capacity is None
    with pytest.raises(DecisionRefused):
        make_offer(decision, capacity, (*held, offer), offer_id="offer-9", made_on=MADE_ON)
    assert capacity.total == 3


def test_a_year_group_with_no_places_listed_has_none(decision: PlacementDecision) -> None:
    capacity = Capacity(
        setting_id="srp-0301",
        academic_year="2027-28",
        by_year_group=(YearGroupPlaces(year_group=YearGroup.YEAR_8, places=2),),
    )
    with pytest.raises(DecisionRefused) as refused:
        make_offer(decision, capacity, (), offer_id="offer-7", made_on=MADE_ON)
    assert refused.value.details == ("places_0", "held_0")


def test_capacity_is_by_year_group_or_by_designation_never_both_or_neither() -> None:
    with pytest.raises(ValidationError):
        Capacity(setting_id="srp-0301", academic_year="2027-28")
    with pytest.raises(ValidationError):
        Capacity(
            setting_id="srp-0301",
            academic_year="2027-28",
            designated_places=4,
            by_year_group=(YearGroupPlaces(year_group=YearGroup.YEAR_7, places=1),),
        )


@pytest.mark.parametrize(
    ("capacity", "code"),
    [
        (
            Capacity(setting_id="special-0401", academic_year="2027-28", designated_places=9),
            RefusalCode.CAPACITY_OF_ANOTHER_SETTING,
        ),
        (
            Capacity(setting_id="srp-0301", academic_year="2026-27", designated_places=9),
            RefusalCode.CAPACITY_FOR_ANOTHER_YEAR,
        ),
    ],
    ids=["another_setting", "another_year"],
)
def test_an_offer_is_checked_against_the_named_settings_capacity_for_the_year(
    decision: PlacementDecision, capacity: Capacity, code: RefusalCode
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        make_offer(decision, capacity, (), offer_id="offer-1", made_on=MADE_ON)
    assert refused.value.code is code


def test_an_offer_before_the_decision_is_refused(decision: PlacementDecision) -> None:
    with pytest.raises(DecisionRefused) as refused:
        make_offer(decision, _capacity(8), (), offer_id="offer-1", made_on=date(2026, 11, 15))
    assert refused.value.code is RefusalCode.OFFER_BEFORE_DECISION


@pytest.fixture
def offer(decision: PlacementDecision) -> Offer:
    return make_offer(decision, _capacity(8), (), offer_id="offer-1", made_on=MADE_ON)


def test_an_offer_is_accepted_or_declined_once(offer: Offer) -> None:
    accepted = accept_offer(offer, date(2026, 11, 23))
    assert (accepted.status, accepted.responded_on) == (OfferStatus.ACCEPTED, date(2026, 11, 23))
    with pytest.raises(DecisionRefused) as refused:
        decline_offer(accepted, date(2026, 11, 24), "changed_mind")
    assert refused.value.code is RefusalCode.OFFER_ALREADY_ANSWERED


def test_a_declined_offer_records_its_reason_code(offer: Offer) -> None:
    declined = decline_offer(offer, date(2026, 11, 23), "family_chose_another_school")
    assert (declined.status, declined.decline_reason) == (
        OfferStatus.DECLINED,
        "family_chose_another_school",
    )


def test_a_decline_reason_is_a_code_not_free_text(offer: Offer) -> None:
    with pytest.raises(ValidationError):
        decline_offer(offer, date(2026, 11, 23), "We are moving to Leeds")


def test_an_answer_before_the_offer_is_refused(offer: Offer) -> None:
    with pytest.raises(DecisionRefused) as refused:
        accept_offer(offer, date(2026, 11, 19))
    assert refused.value.code is RefusalCode.ANSWER_BEFORE_OFFER
