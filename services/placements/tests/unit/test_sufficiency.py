"""Sufficiency: requests against places by district and designation, from the store's counts
(tests/integration count them)."""

from inclusion_shared.kent import Area, District
from placements.domain.setting import ProvisionType
from placements.domain.sufficiency import SufficiencyRow, sufficiency
from placements.domain.values import NeedType

SRP_ASD = (District.THANET, ProvisionType.SRP, NeedType.ASD)
SPECIAL_ASD = (District.THANET, ProvisionType.SPECIAL, NeedType.ASD)
MAINSTREAM = (District.THANET, ProvisionType.MAINSTREAM, None)
DOVER_SRP_ASD = (District.DOVER, ProvisionType.SRP, NeedType.ASD)


def test_demand_for_an_srp_need_is_set_against_its_places_in_the_district() -> None:
    (srp_asd,) = sufficiency({SRP_ASD: 3}, {SRP_ASD: 2})
    assert (srp_asd.district, srp_asd.area) == (District.THANET, Area.EAST)
    assert (srp_asd.demand, srp_asd.places, srp_asd.shortfall) == (3, 2, 1)


def test_every_designation_with_demand_or_places_has_a_row_in_a_stable_order() -> None:
    rows = sufficiency({SRP_ASD: 1, DOVER_SRP_ASD: 4}, {MAINSTREAM: 240, SPECIAL_ASD: 5})
    assert [(r.district, r.provision, r.need_type, r.demand, r.places) for r in rows] == [
        (District.DOVER, ProvisionType.SRP, NeedType.ASD, 4, 0),
        (District.THANET, ProvisionType.MAINSTREAM, None, 0, 240),
        (District.THANET, ProvisionType.SPECIAL, NeedType.ASD, 0, 5),
        (District.THANET, ProvisionType.SRP, NeedType.ASD, 1, 0),
    ]


def test_places_enough_for_the_demand_show_no_shortfall() -> None:
    (mainstream,) = sufficiency({MAINSTREAM: 2}, {MAINSTREAM: 240})
    assert (mainstream.demand, mainstream.places, mainstream.shortfall) == (2, 240, 0)


def test_demand_with_no_places_shows_the_whole_demand_short() -> None:
    hi = (District.THANET, ProvisionType.SRP, NeedType.HI)
    rows = sufficiency({hi: 2}, {})
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
