"""Sufficiency: demand (placement requests) against capacity, by district and designation.

A designation is the kind of provision and, for SRPs and special schools, the need type. A
request counts where the child lives, for the kind of provision sought (and its need type when
that provision is designated by need). A setting designated for several needs counts its places
under each, so places do not add up across the need types of one district: each row answers "is
there enough for this need here?". The store counts both, so no request is read to count it.
"""

from collections.abc import Mapping

from inclusion_shared.kent import AREA_OF, Area, District
from placements.domain.setting import ProvisionType
from placements.domain.values import Count, DomainModel, NeedType

Designation = tuple[District, ProvisionType, NeedType | None]
"""Where and what: a district, a kind of provision, and its need type if designated by need."""


class SufficiencyRow(DomainModel):
    """Requests and places for one designation in one district in one academic year."""

    district: District
    provision: ProvisionType
    need_type: NeedType | None
    demand: Count
    places: Count

    @property
    def area(self) -> Area:
        """The Kent area the district belongs to, for its Area Board."""
        return AREA_OF[self.district]

    @property
    def shortfall(self) -> int:
        """Requests beyond the places, or 0 when there are enough."""
        return max(0, self.demand - self.places)


def sufficiency(
    demand: Mapping[Designation, int], places: Mapping[Designation, int]
) -> tuple[SufficiencyRow, ...]:
    """A row for every designation with demand or places, by district, provision and need."""
    keys = sorted(demand.keys() | places.keys(), key=lambda k: (k[0], k[1], k[2] or ""))
    return tuple(
        SufficiencyRow(
            district=district,
            provision=provision,
            need_type=need_type,
            demand=demand.get((district, provision, need_type), 0),
            places=places.get((district, provision, need_type), 0),
        )
        for district, provision, need_type in keys
    )
