"""Who sees which figures: Area Board members and officers see a district's figures when they
cover the district, an area's when they cover the whole area, and Kent's (the four areas side by
side) only Kent-wide; a Community of Schools sits in its district; the auditor sees every place;
how a figure is computed is for every viewer; no one else sees anything, and nothing writes."""

from __future__ import annotations

import pytest

from inclusion_shared.access import Record
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden
from monitoring.access import (
    FIGURES_DOWNLOAD,
    FIGURES_READ,
    METHODS_READ,
    POLICY,
    VIEWERS,
    home,
    place_record,
)
from monitoring.domain.places import KENT, Level, Scope

COMMUNITIES = {"cos-thanet-1": "thanet", "cos-odd": "atlantis"}
THANET = Scope(Level.DISTRICT, "thanet")
EAST_KENT = Scope(Level.AREA, "east-kent")
COS_THANET = Scope(Level.COMMUNITY, "cos-thanet-1")
COS_UNKNOWN = Scope(Level.COMMUNITY, "cos-nowhere")
PLACES = {"kent": KENT, "east": EAST_KENT, "thanet": THANET, "cos": COS_THANET, "cos?": COS_UNKNOWN}


def viewer(role: Role, **scope: object) -> Principal:
    return Principal(subject=person_id_for(f"{role}-1"), role=role, **scope)  # type: ignore[arg-type]


def viewers(role: Role) -> dict[str, Principal]:
    return {
        "kent-wide": viewer(role, kent_wide=True),
        "east-kent": viewer(role, areas=frozenset({Area.EAST})),
        "thanet": viewer(role, districts=frozenset({District.THANET})),
        "west-kent": viewer(role, areas=frozenset({Area.WEST})),
        "ashford": viewer(role, districts=frozenset({District.ASHFORD})),
        "no scope": viewer(role),
    }


# Which places each scope reaches: Kent needs Kent-wide; an area, the area; a district, the
# district or its area; a community, its district; a community the model does not know, Kent.
REACHES = {
    "kent-wide": {"kent", "east", "thanet", "cos", "cos?"},
    "east-kent": {"east", "thanet", "cos"},
    "thanet": {"thanet", "cos"},
    "west-kent": set(),
    "ashford": set(),
    "no scope": set(),
}
OUTSIDERS = [
    viewer(Role.SENCO, setting="school-t1"),
    viewer(Role.PARENT, child="child-1ae80cfbd8c8ca02806d"),
    viewer(Role.YOUNG_PERSON, child="child-1ae80cfbd8c8ca02806d"),
    viewer(Role.PANEL_MEMBER, panels=frozenset({"panel-east"})),
    viewer(Role.PLATFORM_ADMIN, kent_wide=True),
]
AUDITOR = viewer(Role.AUDITOR)


def record(place: str) -> Record:
    return place_record(PLACES[place], COMMUNITIES)


@pytest.mark.parametrize("action", [FIGURES_READ, FIGURES_DOWNLOAD])
@pytest.mark.parametrize("role", [Role.AREA_BOARD, Role.KCC_OFFICER])
def test_a_places_figures_need_that_place_in_the_viewers_scope(action: str, role: Role) -> None:
    for name, who in viewers(role).items():
        for place in PLACES:
            assert POLICY.allows(who, action, record(place)) is (place in REACHES[name]), (
                name,
                place,
            )


@pytest.mark.parametrize("action", [FIGURES_READ, FIGURES_DOWNLOAD])
def test_a_place_out_of_scope_is_a_403_saying_where_the_role_may_see(action: str) -> None:
    east = viewers(Role.AREA_BOARD)["east-kent"]
    with pytest.raises(Forbidden, match="only for records in their areas or districts"):
        POLICY.check(east, action, record("kent"))
    POLICY.check(east, action, record("thanet"))


@pytest.mark.parametrize("action", [FIGURES_READ, FIGURES_DOWNLOAD, METHODS_READ])
def test_the_auditor_sees_every_place(action: str) -> None:
    for place in PLACES:
        assert POLICY.allows(AUDITOR, action, record(place))


@pytest.mark.parametrize("action", [FIGURES_READ, FIGURES_DOWNLOAD, METHODS_READ])
def test_no_other_role_sees_anything_whatever_its_scope(action: str) -> None:
    for who in OUTSIDERS:
        assert who.role not in POLICY.roles(action)
        for place in PLACES:
            assert not POLICY.allows(who, action, record(place))
        with pytest.raises(Forbidden, match=f"a {who.role} may not"):
            POLICY.check(who, action, record("thanet"))


@pytest.mark.parametrize("role", [Role.AREA_BOARD, Role.KCC_OFFICER])
def test_how_a_figure_is_computed_is_for_every_viewer_whatever_their_places(role: Role) -> None:
    for who in viewers(role).values():
        assert POLICY.allows(who, METHODS_READ, Record())


def test_nothing_in_monitoring_writes_and_the_viewers_are_boards_officers_and_the_auditor() -> None:
    assert not any(permission.writes for permission in POLICY.permissions.values())
    assert set(VIEWERS) == {Role.AREA_BOARD, Role.KCC_OFFICER, Role.AUDITOR}
    assert all(action.count(".") == 1 for action in POLICY.permissions)


def test_where_a_scope_sits() -> None:
    assert place_record(KENT, COMMUNITIES) == Record()
    assert place_record(EAST_KENT, COMMUNITIES) == Record(area=Area.EAST)
    assert place_record(THANET, COMMUNITIES) == Record(district=District.THANET)
    assert place_record(COS_THANET, COMMUNITIES) == Record(district=District.THANET)
    assert place_record(COS_UNKNOWN, COMMUNITIES) == Record()
    # A district the registry names that is not Kent's places the community nowhere narrower.
    assert place_record(Scope(Level.COMMUNITY, "cos-odd"), COMMUNITIES) == Record()


def test_pages_open_on_the_viewers_own_place() -> None:
    boards = viewers(Role.AREA_BOARD)
    assert home(boards["kent-wide"]) == KENT
    assert home(AUDITOR) == KENT
    assert home(boards["east-kent"]) == EAST_KENT
    assert home(boards["thanet"]) == THANET
    both = viewer(Role.KCC_OFFICER, areas=frozenset({Area.WEST, Area.EAST}))
    assert home(both) == EAST_KENT
    assert home(boards["no scope"]) == KENT  # and Kent tells them, with a 403, why not
