"""A placement request for a pseudonymous child: coarse attributes and ranked preferences only.

No names, dates of birth or free text: the child is an id, the preferences are setting ids.
"""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, model_validator

from inclusion_shared.identifiers import ChildId
from inclusion_shared.kent import District
from placements.domain.dates import RecordedAcademicYear
from placements.domain.setting import ProvisionType
from placements.domain.values import DomainModel, NeedType, PseudonymousId
from placements.domain.year_groups import Phase, YearGroup, phase_of

MAX_PREFERENCES = 10
"""Settings a family ranks, at most: Kent's admissions take a handful of preferences."""


class PlacementRequest(DomainModel):
    """A request to place a child in `year_group` during `academic_year`.

    `district` is where the child lives; `provision_sought` the kind of provision requested;
    `preferences` the family's settings, most preferred first.
    """

    request_id: PseudonymousId
    child_id: ChildId
    received_on: date
    district: District
    academic_year: RecordedAcademicYear
    year_group: YearGroup
    need_type: NeedType
    has_ehcp: bool
    provision_sought: ProvisionType
    preferences: Annotated[tuple[PseudonymousId, ...], Field(max_length=MAX_PREFERENCES)] = ()

    @model_validator(mode="after")
    def _preferences_are_distinct(self) -> Self:
        if len(set(self.preferences)) != len(self.preferences):
            raise ValueError("each preference is ranked once")
        return self

    @property
    def phase(self) -> Phase:
        """The phase of the year group the child is to be placed in."""
        return phase_of(self.year_group)

    def rank_of(self, setting_id: str) -> int | None:
        """The family's rank for a setting (1 = first preference), or None if not preferred."""
        if setting_id in self.preferences:
            return self.preferences.index(setting_id) + 1
        return None
