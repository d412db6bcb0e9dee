"""Kent's geography as every service and subscriber names it: four areas (each with an Area
Board), twelve districts, and the area each district belongs to.

Codes are stable identifiers used in events; the district-to-area grouping follows KCC's four
education areas and is reference data, so a change here is a contract change.
"""

from __future__ import annotations

from enum import StrEnum


class Area(StrEnum):
    """The four areas; each has an Area Board, and High Needs budgets are held per area."""

    NORTH = "north-kent"
    SOUTH = "south-kent"
    EAST = "east-kent"
    WEST = "west-kent"


class District(StrEnum):
    """The twelve Kent districts."""

    ASHFORD = "ashford"
    CANTERBURY = "canterbury"
    DARTFORD = "dartford"
    DOVER = "dover"
    FOLKESTONE_AND_HYTHE = "folkestone-and-hythe"
    GRAVESHAM = "gravesham"
    MAIDSTONE = "maidstone"
    SEVENOAKS = "sevenoaks"
    SWALE = "swale"
    THANET = "thanet"
    TONBRIDGE_AND_MALLING = "tonbridge-and-malling"
    TUNBRIDGE_WELLS = "tunbridge-wells"


AREA_OF: dict[District, Area] = {
    District.DARTFORD: Area.NORTH,
    District.GRAVESHAM: Area.NORTH,
    District.SEVENOAKS: Area.NORTH,
    District.MAIDSTONE: Area.WEST,
    District.TONBRIDGE_AND_MALLING: Area.WEST,
    District.TUNBRIDGE_WELLS: Area.WEST,
    District.CANTERBURY: Area.EAST,
    District.SWALE: Area.EAST,
    District.THANET: Area.EAST,
    District.ASHFORD: Area.SOUTH,
    District.DOVER: Area.SOUTH,
    District.FOLKESTONE_AND_HYTHE: Area.SOUTH,
}


def districts_in(area: Area) -> list[District]:
    """The districts of an area, in name order."""
    return sorted(district for district, owner in AREA_OF.items() if owner is area)
