"""Who may do what to which funding record, as a pure policy: for every action, every role in
scope, out of scope and with no scope at all; a district's officer and an area's budget; a
panel member and the panels that decided on an application; the figures of a named place."""

from __future__ import annotations

from typing import Any

import pytest

from funding import access
from funding.access import POLICY, check_case, check_places
from inclusion_shared.access import Record, Scope
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden

SCHOOL, OTHER_SCHOOL = "school-0042", "school-0099"
CHILD, OTHER_CHILD = "child-4b8669e033ccb7794915", "child-dda99f2c4fa5343bcaf9"
PANEL, OTHER_PANEL = "panel-east-1", "panel-west-1"

EVERY, PLACE, SETTING, PANEL_SCOPE, CHILD_SCOPE = (
    Scope.EVERY,
    Scope.PLACE,
    Scope.SETTING,
    Scope.PANEL,
    Scope.CHILD,
)
OFFICER, SENCO, MEMBER, PARENT, YOUNG, BOARD, AUDITOR, ADMIN = (
    Role.KCC_OFFICER,
    Role.SENCO,
    Role.PANEL_MEMBER,
    Role.PARENT,
    Role.YOUNG_PERSON,
    Role.AREA_BOARD,
    Role.AUDITOR,
    Role.PLATFORM_ADMIN,
)
FIGURES = {OFFICER: PLACE, BOARD: PLACE, AUDITOR: EVERY}
# What domain.md asks of each action, written out here rather than read from the policy.
GRANTS: dict[str, dict[Role, Scope]] = {
    "policy.read": {r: EVERY for r in (SENCO, OFFICER, MEMBER, PARENT, YOUNG, BOARD, AUDITOR)},
    "policy.publish": {OFFICER: PLACE},
    "budget.read": FIGURES,
    "budget.set": {OFFICER: PLACE},
    "budget.override": {OFFICER: PLACE},
    "hnf.submit": {SENCO: SETTING},
    "hnf.read": {
        SENCO: SETTING,
        OFFICER: PLACE,
        MEMBER: PANEL_SCOPE,
        PARENT: CHILD_SCOPE,
        YOUNG: CHILD_SCOPE,
        AUDITOR: EVERY,
    },
    "rationale.digest": {OFFICER: PLACE, AUDITOR: EVERY},
    "hnf.withdraw": {SENCO: SETTING},
    "hnf.propose": {OFFICER: PLACE},
    "hnf.vote": {MEMBER: PANEL_SCOPE},
    "panel.keep": {OFFICER: PLACE},
    "panel.declare": {MEMBER: PANEL_SCOPE},
    "panel.read": {OFFICER: PLACE, MEMBER: PANEL_SCOPE, AUDITOR: EVERY},
    "timeliness.read": FIGURES,
    "senif.submit": {SENCO: SETTING},
    "senif.decide": {OFFICER: PLACE},
    "daf.claim": {SENCO: SETTING},
    "challenge.lodge": {OFFICER: PLACE, PARENT: CHILD_SCOPE, YOUNG: CHILD_SCOPE},
    "challenge.resolve": {OFFICER: PLACE},
    "overturn_rates.read": FIGURES,
}

THANET_CASE = Record(
    district=District.THANET, area=Area.EAST, setting=SCHOOL, child=CHILD, panel=PANEL
)
RECORD_OF: dict[str, Record] = {
    "policy.read": access.KENT,
    "policy.publish": access.KENT,
    "budget.read": access.budget(Area.EAST),
    "budget.set": access.budget(Area.EAST),
    "budget.override": access.budget(Area.EAST),
    "timeliness.read": Record(district=District.THANET),
    "overturn_rates.read": Record(district=District.THANET),
    "panel.keep": access.panel(Area.EAST, PANEL),
    "panel.declare": access.panel(Area.EAST, PANEL),
    "panel.read": access.panel(Area.EAST, PANEL),
}


def who(role: Role, **scope: Any) -> Principal:
    return Principal(subject=person_id_for(f"{role.value}-1"), role=role, **scope)


EAST = frozenset({Area.EAST})
KENT_WIDE_OFFICER = who(OFFICER, kent_wide=True)
# The principal of each role whose scope reaches a Thanet case, one whose scope does not, and
# one whose token carries no scope. The auditor and the platform team carry none.
PRINCIPALS: dict[Role, dict[str, Principal]] = {
    OFFICER: {
        "in": who(OFFICER, areas=EAST),
        "out": who(OFFICER, areas=frozenset({Area.WEST})),
        "none": who(OFFICER),
    },
    BOARD: {
        "in": who(BOARD, areas=EAST),
        "out": who(BOARD, areas=frozenset({Area.WEST})),
        "none": who(BOARD),
    },
    SENCO: {"in": who(SENCO, setting=SCHOOL), "out": who(SENCO, setting=OTHER_SCHOOL)},
    MEMBER: {
        "in": who(MEMBER, panels=frozenset({PANEL})),
        "out": who(MEMBER, panels=frozenset({OTHER_PANEL})),
    },
    PARENT: {"in": who(PARENT, child=CHILD), "out": who(PARENT, child=OTHER_CHILD)},
    YOUNG: {"in": who(YOUNG, child=CHILD), "out": who(YOUNG, child=OTHER_CHILD)},
    AUDITOR: {"in": who(AUDITOR), "out": who(AUDITOR)},
    ADMIN: {"in": who(ADMIN), "out": who(ADMIN)},
}
for role in (SENCO, MEMBER, PARENT, YOUNG, AUDITOR, ADMIN):
    PRINCIPALS[role]["none"] = who(role)


def principal(role: Role, reach: str, action: str) -> Principal:
    # Kent's own records (the rules and rates) sit in no area: only Kent-wide reaches them.
    if role is OFFICER and reach == "in" and RECORD_OF.get(action) == access.KENT:
        return KENT_WIDE_OFFICER
    return PRINCIPALS[role][reach]


def test_every_action_of_the_policy_has_its_expected_grants() -> None:
    assert set(POLICY.permissions) == set(GRANTS)
    for action, grants in GRANTS.items():
        assert dict(POLICY[action].grants) == grants, action


@pytest.mark.parametrize("action", sorted(GRANTS))
@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("reach", ["in", "out", "none"])
def test_each_role_reaches_the_records_in_its_scope_and_no_others(
    action: str, role: Role, reach: str
) -> None:
    scope = GRANTS[action].get(role)
    expected = scope is not None and (reach == "in" or scope is EVERY)

    allowed = POLICY.allows(
        principal(role, reach, action), action, RECORD_OF.get(action, THANET_CASE)
    )

    assert allowed is expected


def test_the_auditor_reads_every_record_and_writes_none() -> None:
    for permission in POLICY.permissions.values():
        assert (AUDITOR in permission.grants) is (not permission.writes), permission.action
        if not permission.writes:
            assert permission.grants[AUDITOR] is EVERY


def test_the_platform_team_has_no_part_in_funding_records() -> None:
    assert not [p.action for p in POLICY.permissions.values() if ADMIN in p.grants]


def test_an_officer_of_one_district_proposes_on_its_cases_but_keeps_no_area_records() -> None:
    thanet = who(OFFICER, districts=frozenset({District.THANET}))

    assert POLICY.allows(thanet, "hnf.propose", THANET_CASE)
    assert not POLICY.allows(thanet, "panel.keep", access.panel(Area.EAST, PANEL))
    assert not POLICY.allows(thanet, "budget.set", access.budget(Area.EAST))
    assert not POLICY.allows(thanet, "budget.override", access.budget(Area.EAST))
    assert POLICY.allows(who(OFFICER, areas=EAST), "budget.override", access.budget(Area.EAST))
    assert POLICY.allows(KENT_WIDE_OFFICER, "budget.set", access.budget(Area.WEST))


def test_only_a_kent_wide_officer_publishes_kents_rules() -> None:
    assert POLICY.allows(KENT_WIDE_OFFICER, "policy.publish", access.KENT)
    with pytest.raises(Forbidden, match="only for records in their areas or districts"):
        POLICY.check(PRINCIPALS[OFFICER]["in"], "policy.publish", access.KENT)


def case(who: Principal, action: str, panels: tuple[str, ...] = ()) -> None:
    check_case(
        who,
        action,
        district=District.THANET,
        area=Area.EAST,
        setting=SCHOOL,
        child=CHILD,
        panels=panels,
    )


def test_a_panel_member_reads_an_application_any_of_its_deciding_panels_sat_on() -> None:
    member = who(MEMBER, panels=frozenset({PANEL}))

    case(member, "hnf.read", panels=(OTHER_PANEL, PANEL))
    with pytest.raises(Forbidden, match="only for cases before their panels"):
        case(member, "hnf.read", panels=(OTHER_PANEL,))


def test_an_application_no_panel_has_decided_is_before_no_panel_member() -> None:
    with pytest.raises(Forbidden):
        case(who(MEMBER, panels=frozenset({PANEL})), "hnf.read")
    case(who(OFFICER, areas=EAST), "hnf.read")


def test_a_refusal_names_what_the_role_may_do() -> None:
    with pytest.raises(Forbidden, match="a parent may not put a proposed HNF decision"):
        case(who(PARENT, child=CHILD), "hnf.propose")
    with pytest.raises(Forbidden, match="may challenge a panel decision only for their own"):
        case(who(PARENT, child=OTHER_CHILD), "challenge.lodge", panels=(PANEL,))


def test_figures_for_a_named_place_need_that_place_in_scope() -> None:
    east_board = who(BOARD, areas=EAST)

    check_places(east_board, "timeliness.read", Area.EAST, District.THANET)
    check_places(east_board, "timeliness.read", None, None)
    check_places(who(AUDITOR), "timeliness.read", Area.WEST, District.MAIDSTONE)
    with pytest.raises(Forbidden):
        check_places(east_board, "timeliness.read", None, District.ASHFORD)
    with pytest.raises(Forbidden):
        check_places(east_board, "overturn_rates.read", Area.WEST, None)
    with pytest.raises(Forbidden):
        check_places(
            who(BOARD, districts=frozenset({District.THANET})), "timeliness.read", Area.EAST, None
        )
