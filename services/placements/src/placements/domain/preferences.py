"""Refusing a family's preference: only for one of the statutory reasons."""

from enum import StrEnum

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.request import PlacementRequest
from placements.domain.values import DomainModel, PseudonymousId


class StatutoryReason(StrEnum):
    """The reasons the law allows for not naming the family's preferred setting. Efficient use
    of resources is about cost, including the cost of transport."""

    UNSUITABLE = "unsuitable_for_age_ability_aptitude_or_need"
    INCOMPATIBLE_WITH_EFFICIENT_EDUCATION_OF_OTHERS = (
        "incompatible_with_efficient_education_of_others"
    )
    INCOMPATIBLE_WITH_EFFICIENT_USE_OF_RESOURCES = "incompatible_with_efficient_use_of_resources"


class PreferenceRefusal(DomainModel):
    """The authority's refusal of one preference, with its statutory reason."""

    request_id: PseudonymousId
    setting_id: PseudonymousId
    reason: StatutoryReason


def refuse_preference(
    request: PlacementRequest, setting_id: str, reason: str | None
) -> PreferenceRefusal:
    """Refuse one of the family's preferences, or refuse to: the setting is not one of their
    preferences, or the reason given is not a statutory one."""
    if setting_id not in request.preferences:
        raise DecisionRefused(RefusalCode.NOT_A_PREFERENCE, (setting_id,))
    if reason not in {r.value for r in StatutoryReason}:
        raise DecisionRefused(RefusalCode.REFUSAL_WITHOUT_STATUTORY_REASON, (str(reason),))
    return PreferenceRefusal(
        request_id=request.request_id, setting_id=setting_id, reason=StatutoryReason(reason)
    )
