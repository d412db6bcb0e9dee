"""Kent's twelve districts fall in four areas of three."""

from inclusion_shared.kent import AREA_OF, Area, District, districts_in


def test_every_district_belongs_to_exactly_one_of_the_four_areas() -> None:
    assert set(AREA_OF) == set(District)
    assert {area: len(districts_in(area)) for area in Area} == dict.fromkeys(Area, 3)
