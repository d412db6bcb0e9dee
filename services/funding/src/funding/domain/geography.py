"""Kent's areas and districts, the units monitoring data is reported by."""

from enum import StrEnum


class Area(StrEnum):
    """The four Area Boards; High Needs budgets are held per area."""

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
