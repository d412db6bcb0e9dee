"""A setting's capacity for one academic year: places by year group, or by its designation.

Going over capacity is never silent: it needs an authorised override, recorded with the offer.
"""

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from inclusion_shared.identifiers import PersonId
from placements.domain.dates import RecordedAcademicYear
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.setting import Setting
from placements.domain.values import Count, DomainModel, PseudonymousId, ReasonCode
from placements.domain.year_groups import YearGroup


class AuthorisingRole(StrEnum):
    """Who may authorise an offer beyond capacity."""

    KCC_OFFICER = "kcc-officer"
    HEADTEACHER = "headteacher"


class CapacityOverride(DomainModel):
    """Who authorised going over capacity, in what role, and why (a code, not free text)."""

    authorised_by: PersonId
    role: AuthorisingRole
    reason: ReasonCode


class YearGroupPlaces(DomainModel):
    """The places a setting has in one year group."""

    year_group: YearGroup
    places: Count


ByYearGroup = Annotated[tuple[YearGroupPlaces, ...], Field(max_length=len(YearGroup))]
"""Places per year group: one entry for each year group at most."""


class Capacity(DomainModel):
    """Places at one setting in one academic year: either per year group (`by_year_group`, a year
    group not listed has none) or in total for its designation (`designated_places`)."""

    setting_id: PseudonymousId
    academic_year: RecordedAcademicYear
    by_year_group: ByYearGroup = ()
    designated_places: Count | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> Self:
        if bool(self.by_year_group) == (self.designated_places is not None):
            raise ValueError("capacity is either by year group or by designation")
        years = [entry.year_group for entry in self.by_year_group]
        if len(set(years)) != len(years):
            raise ValueError("each year group's places are given once")
        return self

    @property
    def by_designation(self) -> bool:
        """True when places are counted for the whole designation, not per year group."""
        return self.designated_places is not None

    def places_for(self, year_group: YearGroup) -> int:
        """The places that count for a child in this year group."""
        if self.designated_places is not None:
            return self.designated_places
        return sum(e.places for e in self.by_year_group if e.year_group is year_group)

    @property
    def total(self) -> int:
        """All the setting's places this year."""
        if self.designated_places is not None:
            return self.designated_places
        return sum(entry.places for entry in self.by_year_group)


def check_capacity(setting: Setting, capacity: Capacity) -> Capacity:
    """Refuse capacity recorded against another setting, or places in a year group the setting
    does not take."""
    if capacity.setting_id != setting.setting_id:
        raise DecisionRefused(RefusalCode.CAPACITY_OF_ANOTHER_SETTING, (capacity.setting_id,))
    for entry in capacity.by_year_group:
        if not setting.takes(entry.year_group):
            raise DecisionRefused(
                RefusalCode.YEAR_GROUP_NOT_TAKEN,
                (setting.setting_id, entry.year_group.name.lower()),
            )
    return capacity
