"""Placements start from an accepted offer and end with a reason; moves need a purpose."""

from datetime import date

import pytest

from placements.domain.capacity import Capacity
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.offers import Offer, accept_offer, make_offer
from placements.domain.placement import (
    EndReason,
    MovePurpose,
    Placement,
    end_placement,
    start_placement,
)
from placements.domain.placement_decision import PlacementDecision
from placements.domain.setting import ProvisionType
from placements.domain.year_groups import YearGroup

STARTS_ON = date(2027, 9, 6)


@pytest.fixture
def offer(decision: PlacementDecision) -> Offer:
    capacity = Capacity(setting_id="srp-0301", academic_year="2027-28", designated_places=8)
    return make_offer(decision, capacity, (), offer_id="offer-1", made_on=date(2026, 11, 20))


@pytest.fixture
def accepted(offer: Offer) -> Offer:
    return accept_offer(offer, date(2026, 11, 27))


@pytest.fixture
def placement(accepted: Offer) -> Placement:
    return start_placement(accepted, placement_id="placement-1", on=STARTS_ON)


def test_an_accepted_offer_starts_a_placement(placement: Placement) -> None:
    assert (placement.child_id, placement.setting_id, placement.provision) == (
        "child-4b8669e033ccb7794915",
        "srp-0301",
        ProvisionType.SRP,
    )
    assert (placement.year_group, placement.started_on) == (YearGroup.YEAR_7, STARTS_ON)
    assert placement.ended_on is None


def test_an_offer_not_yet_accepted_starts_nothing(offer: Offer) -> None:
    with pytest.raises(DecisionRefused) as refused:
        start_placement(offer, placement_id="placement-1", on=STARTS_ON)
    assert refused.value.code is RefusalCode.OFFER_NOT_ACCEPTED


def test_a_placement_starts_no_earlier_than_its_acceptance(accepted: Offer) -> None:
    with pytest.raises(DecisionRefused) as refused:
        start_placement(accepted, placement_id="placement-1", on=date(2026, 11, 26))
    assert refused.value.code is RefusalCode.START_BEFORE_ACCEPTANCE


@pytest.mark.parametrize(
    "reason",
    [EndReason.PHASE_TRANSFER, EndReason.LEFT_KENT, EndReason.LEFT_EDUCATION],
)
def test_a_placement_ends_with_a_reason_code(placement: Placement, reason: EndReason) -> None:
    ended = end_placement(placement, date(2032, 7, 21), reason)
    assert (ended.ended_on, ended.end_reason, ended.move_purpose) == (
        date(2032, 7, 21),
        reason,
        None,
    )


def test_a_move_between_provisions_without_a_specific_purpose_is_refused(
    placement: Placement,
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        end_placement(placement, date(2028, 3, 31), EndReason.MOVED_PROVISION)
    assert refused.value.code is RefusalCode.MOVE_WITHOUT_PURPOSE


def test_a_move_with_a_specific_purpose_is_recorded(placement: Placement) -> None:
    ended = end_placement(
        placement, date(2028, 3, 31), EndReason.MOVED_PROVISION, MovePurpose.RETURN_TO_MAINSTREAM
    )
    assert ended.move_purpose is MovePurpose.RETURN_TO_MAINSTREAM


def test_a_purpose_is_recorded_only_for_a_move(placement: Placement) -> None:
    with pytest.raises(DecisionRefused) as refused:
        end_placement(placement, date(2028, 3, 31), EndReason.LEFT_KENT, MovePurpose.NEARER_HOME)
    assert refused.value.code is RefusalCode.PURPOSE_WITHOUT_MOVE


def test_a_placement_ends_once_and_not_before_it_started(placement: Placement) -> None:
    with pytest.raises(DecisionRefused) as refused:
        end_placement(placement, date(2027, 9, 5), EndReason.LEFT_KENT)
    assert refused.value.code is RefusalCode.ENDS_BEFORE_START
    ended = end_placement(placement, date(2027, 9, 6), EndReason.LEFT_KENT)
    with pytest.raises(DecisionRefused) as again:
        end_placement(ended, date(2027, 9, 7), EndReason.LEFT_KENT)
    assert again.value.code is RefusalCode.PLACEMENT_ALREADY_ENDED


def _previous(ended_on: date | None, child_id: str = "child-4b8669e033ccb7794915") -> Placement:
    return Placement(
        placement_id="placement-0",
        offer_id="offer-0",
        child_id=child_id,
        setting_id="mainstream-0101",
        provision=ProvisionType.MAINSTREAM,
        year_group=YearGroup.RECEPTION,
        started_on=date(2021, 9, 6),
        ended_on=ended_on,
        end_reason=None if ended_on is None else EndReason.PHASE_TRANSFER,
    )


@pytest.mark.parametrize(
    ("previous", "code"),
    [
        (_previous(None), RefusalCode.PREVIOUS_PLACEMENT_NOT_ENDED),
        (_previous(STARTS_ON), RefusalCode.PREVIOUS_PLACEMENT_NOT_ENDED),
        (
            _previous(date(2027, 7, 21), "child-437b07d451eeba5bc4c4"),
            RefusalCode.PLACEMENT_OF_ANOTHER_CHILD,
        ),
    ],
    ids=["still_open", "ends_on_the_start_day", "another_child"],
)
def test_a_child_is_in_one_placement_at_a_time(
    accepted: Offer, previous: Placement, code: RefusalCode
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        start_placement(accepted, placement_id="placement-1", on=STARTS_ON, previous=previous)
    assert refused.value.code is code


def test_a_placement_starts_the_day_after_the_previous_one_ends(accepted: Offer) -> None:
    previous = _previous(date(2027, 9, 5))
    started = start_placement(accepted, placement_id="placement-1", on=STARTS_ON, previous=previous)
    assert started.started_on == STARTS_ON
