"""Sufficiency: requests against places by district and designation."""

from collections.abc import Callable

import pytest

from inclusion_shared.kent import Area, District
from placements.domain.capacity import Capacity, YearGroupPlaces
from placements.domain.registry import SettingRegistry, register_setting
from placements.domain.request import PlacementRequest
from placements.domain.setting import ProvisionType, Setting
from placements.domain.sufficiency import SufficiencyRow, sufficiency
from placements.domain.values import NeedType
from placements.domain.year_groups import YearGroup

MakeSetting = Callable[..., Setting]


def _requests(base: PlacementRequest, n: int, **changes: object) -> tuple[PlacementRequest, ...]:
    return tuple(
        base.evolve(request_id=f"request-{i}", child_id=f"child-{i}", **changes) for i in range(n)
    )


@pytest.fixture
def capacities() -> tuple[Capacity, ...]:
    return (
        Capacity(setting_id="srp-0301", academic_year="2027-28", designated_places=2),
        Capacity(setting_id="special-0401", academic_year="2027-28", designated_places=5),
        Capacity(
            setting_id="mainstream-0201",
            academic_year="2027-28",
            by_year_group=(
                YearGroupPlaces(year_group=YearGroup.YEAR_7, places=180),
                YearGroupPlaces(year_group=YearGroup.YEAR_12, places=60),
            ),
        ),
        Capacity(setting_id="srp-0301", academic_year="2026-27", designated_places=40),
    )


def _row(
    rows: tuple[SufficiencyRow, ...], provision: ProvisionType, need: NeedType | None
) -> SufficiencyRow:
    return next(r for r in rows if r.provision is provision and r.need_type is need)


def test_demand_for_an_srp_need_is_set_against_its_places_in_the_district(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
    capacities: tuple[Capacity, ...],
) -> None:
    rows = sufficiency("2027-28", _requests(placement_request, 3), capacities, registry)
    srp_asd = _row(rows, ProvisionType.SRP, NeedType.ASD)
    assert (srp_asd.district, srp_asd.area) == (District.THANET, Area.EAST)
    assert (srp_asd.demand, srp_asd.places, srp_asd.shortfall) == (3, 2, 1)


def test_a_setting_designated_for_two_needs_offers_its_places_under_each(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
    capacities: tuple[Capacity, ...],
) -> None:
    rows = sufficiency("2027-28", (), capacities, registry)
    assert _row(rows, ProvisionType.SPECIAL, NeedType.ASD).places == 5
    assert _row(rows, ProvisionType.SPECIAL, NeedType.SLD).places == 5


def test_mainstream_places_are_not_split_by_need(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
    capacities: tuple[Capacity, ...],
) -> None:
    requests = _requests(placement_request, 2, provision_sought=ProvisionType.MAINSTREAM)
    rows = sufficiency("2027-28", requests, capacities, registry)
    mainstream = _row(rows, ProvisionType.MAINSTREAM, None)
    assert (mainstream.demand, mainstream.places, mainstream.shortfall) == (2, 240, 0)


def test_other_years_and_other_districts_are_counted_apart(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
    capacities: tuple[Capacity, ...],
    make_setting: MakeSetting,
) -> None:
    dover_srp = make_setting(
        "srp-0900",
        ProvisionType.SRP,
        YearGroup.YEAR_7,
        YearGroup.YEAR_11,
        NeedType.ASD,
        district=District.DOVER,
    )
    registry = register_setting(registry, dover_srp)
    requests = (
        *_requests(placement_request, 1),
        *_requests(placement_request, 1, academic_year="2026-27"),
        *_requests(placement_request, 4, district=District.DOVER),
    )
    dover_capacity = Capacity(setting_id="srp-0900", academic_year="2027-28", designated_places=6)
    rows = sufficiency("2027-28", requests, (*capacities, dover_capacity), registry)
    srp_rows = [(r.district, r.demand, r.places) for r in rows if r.provision is ProvisionType.SRP]
    assert srp_rows == [(District.DOVER, 4, 6), (District.THANET, 1, 2)]


def test_demand_with_no_places_shows_the_whole_demand_short(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
) -> None:
    requests = _requests(placement_request, 2, need_type=NeedType.HI)
    rows = sufficiency("2027-28", requests, (), registry)
    assert rows == (
        SufficiencyRow(
            district=District.THANET,
            provision=ProvisionType.SRP,
            need_type=NeedType.HI,
            demand=2,
            places=0,
        ),
    )
    assert rows[0].shortfall == 2
