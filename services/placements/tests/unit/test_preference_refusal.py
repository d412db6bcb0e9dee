"""Refusing a family's preference needs one of the statutory reasons."""

import pytest

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.preferences import StatutoryReason, refuse_preference
from placements.domain.request import PlacementRequest


@pytest.mark.parametrize("reason", list(StatutoryReason))
def test_a_preference_is_refused_for_a_statutory_reason(
    placement_request: PlacementRequest, reason: StatutoryReason
) -> None:
    refusal = refuse_preference(placement_request, "special-0401", reason.value)
    assert (refusal.setting_id, refusal.reason) == ("special-0401", reason)


@pytest.mark.parametrize("reason", [None, "", "parent_preference_too_far", "UNSUITABLE"], ids=repr)
def test_a_refusal_without_a_statutory_reason_is_refused(
    placement_request: PlacementRequest, reason: str | None
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        refuse_preference(placement_request, "special-0401", reason)
    assert refused.value.code is RefusalCode.REFUSAL_WITHOUT_STATUTORY_REASON


def test_only_a_preference_the_family_stated_can_be_refused(
    placement_request: PlacementRequest,
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        refuse_preference(placement_request, "mainstream-0201", StatutoryReason.UNSUITABLE.value)
    assert refused.value.code is RefusalCode.NOT_A_PREFERENCE


def test_cost_including_transport_is_the_efficient_use_of_resources_reason() -> None:
    reason = StatutoryReason.INCOMPATIBLE_WITH_EFFICIENT_USE_OF_RESOURCES
    assert reason.value == "incompatible_with_efficient_use_of_resources"
