"""Who may see which figures: monitoring's access policy, and where a page's place sits.

The record a monitoring page reveals is a place's figures. Figures for a district need that
district (or its area, or Kent-wide scope); an area's figures need the whole area; Kent's
figures — whose rows are the four areas' totals — need Kent-wide scope, so an East Kent Area
Board member sees East Kent and its districts, not North Kent beside them. A Community of
Schools sits in the district the settings registry gives it; one the model does not know sits
nowhere, and only Kent-wide scope reaches it. How a figure is computed holds no figures, and
any viewer may read it. The auditor reads every place; nobody writes here.
"""

from __future__ import annotations

from inclusion_shared.access import Policy, Record, reads
from inclusion_shared.access import Scope as Reach
from inclusion_shared.auth import Principal, Role
from inclusion_shared.kent import Area, District
from monitoring.domain.places import KENT, Level, Scope

FIGURES_READ = "figures.read"
FIGURES_DOWNLOAD = "figures.download"
METHODS_READ = "methods.read"

POLICY = Policy(
    "monitoring",
    [
        reads(
            FIGURES_READ,
            "see a place's published figures",
            {
                Role.AREA_BOARD: Reach.PLACE,
                Role.KCC_OFFICER: Reach.PLACE,
                Role.AUDITOR: Reach.EVERY,
            },
        ),
        reads(
            FIGURES_DOWNLOAD,
            "download a place's published figures",
            {
                Role.AREA_BOARD: Reach.PLACE,
                Role.KCC_OFFICER: Reach.PLACE,
                Role.AUDITOR: Reach.EVERY,
            },
        ),
        reads(
            METHODS_READ,
            "read how a figure is computed",
            {
                Role.AREA_BOARD: Reach.EVERY,
                Role.KCC_OFFICER: Reach.EVERY,
                Role.AUDITOR: Reach.EVERY,
            },
        ),
    ],
)

VIEWERS = POLICY.roles(FIGURES_READ)
"""Who may sign in to the pages."""


def place_record(scope: Scope, communities: dict[str, str]) -> Record:
    """Where a scope's figures sit: Kent nowhere narrower, an area or district itself, a
    Community of Schools in its district (``communities``: code → district, as the model knows
    them); a community the model does not know sits nowhere narrower than Kent."""
    if scope.level is Level.AREA:
        return Record(area=Area(scope.code))
    if scope.level is Level.DISTRICT:
        return Record(district=District(scope.code))
    if scope.level is Level.COMMUNITY:
        try:
            return Record(district=District(communities[scope.code]))
        except (KeyError, ValueError):
            return Record()
    return Record()


def home(who: Principal) -> Scope:
    """The place a viewer's pages open on when they name none: Kent for those who reach it,
    otherwise the first of their areas, otherwise the first of their districts (Kent, and a
    403 saying why, for someone with no places at all)."""
    if POLICY.allows(who, FIGURES_READ, Record()):
        return KENT
    if who.areas:
        return Scope(Level.AREA, min(who.areas).value)
    if who.districts:
        return Scope(Level.DISTRICT, min(who.districts).value)
    return KENT
