"""Sufficiency: demand (placement requests) against capacity, by district and designation.

A designation is the kind of provision and, for SRPs and special schools, the need type. A
setting designated for several needs counts its places under each, so places do not add up
across the need types of one district: each row answers "is there enough for this need here?".
"""

from collections import Counter
from collections.abc import Iterable

from inclusion_shared.kent import AREA_OF, Area, District
from placements.domain.capacity import Capacity
from placements.domain.registry import SettingRegistry
from placements.domain.request import PlacementRequest
from placements.domain.setting import DESIGNATED, ProvisionType
from placements.domain.values import Count, DomainModel, NeedType

Key = tuple[District, ProvisionType, NeedType | None]


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


def _key(district: District, provision: ProvisionType, need_type: NeedType) -> Key:
    return district, provision, need_type if provision in DESIGNATED else None


def sufficiency(
    academic_year: str,
    requests: Iterable[PlacementRequest],
    capacities: Iterable[Capacity],
    registry: SettingRegistry,
) -> tuple[SufficiencyRow, ...]:
    """Demand and places per district and designation for one academic year, in a stable order.

    A request counts where the child lives, for the kind of provision sought (and its need type
    when that provision is designated by need). Every row with demand or places appears.
    """
    demand: Counter[Key] = Counter(
        _key(r.district, r.provision_sought, r.need_type)
        for r in requests
        if r.academic_year == academic_year
    )
    places: Counter[Key] = Counter()
    for capacity in capacities:
        if capacity.academic_year != academic_year:
            continue
        setting = registry.setting(capacity.setting_id)
        needs: tuple[NeedType | None, ...] = setting.need_types or (None,)
        for need_type in needs:
            places[setting.district, setting.provision, need_type] += capacity.total
    keys = sorted(demand.keys() | places.keys(), key=lambda k: (k[0], k[1], k[2] or ""))
    return tuple(
        SufficiencyRow(
            district=district,
            provision=provision,
            need_type=need_type,
            demand=demand[district, provision, need_type],
            places=places[district, provision, need_type],
        )
        for district, provision, need_type in keys
    )
