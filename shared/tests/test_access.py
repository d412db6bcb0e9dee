"""Who may do what to which record: a policy grants each action to roles under a scope, checks
a loaded record against the caller's scope, and filters lists in SQL to what the caller
reaches — an East Kent officer sees Thanet's cases and not Ashford's, a panel member only their
panel's, a parent only their child's, and the auditor reads everything and writes nothing."""

from __future__ import annotations

import pytest

from inclusion_shared.access import (
    Policy,
    PolicyError,
    Record,
    Scope,
    reads,
    writes,
)
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden

from .conftest import Kit

POLICY = Policy(
    "funding",
    [
        reads(
            "case.read",
            "read a case",
            {
                Role.KCC_OFFICER: Scope.PLACE,
                Role.PANEL_MEMBER: Scope.PANEL,
                Role.SENCO: Scope.SETTING,
                Role.PARENT: Scope.CHILD,
                Role.AUDITOR: Scope.EVERY,
            },
        ),
        writes("case.decide", "decide a case", {Role.PANEL_MEMBER: Scope.PANEL}),
    ],
)
EAST = Principal(
    subject=person_id_for("officer-e"), role=Role.KCC_OFFICER, areas=frozenset({Area.EAST})
)
ASHFORD = Principal(
    subject=person_id_for("officer-a"),
    role=Role.KCC_OFFICER,
    districts=frozenset({District.ASHFORD}),
)
KENT = Principal(subject=person_id_for("officer-k"), role=Role.KCC_OFFICER, kent_wide=True)
MEMBER = Principal(
    subject=person_id_for("member-1"), role=Role.PANEL_MEMBER, panels=frozenset({"panel-east"})
)
SENCO = Principal(subject=person_id_for("senco-1"), role=Role.SENCO, setting="school-a")
PARENT = Principal(
    subject=person_id_for("parent-1"), role=Role.PARENT, child="child-1ae80cfbd8c8ca02806d"
)
AUDITOR = Principal(subject=person_id_for("auditor-1"), role=Role.AUDITOR)
THANET_CASE = Record(
    district=District.THANET,
    setting="school-a",
    panel="panel-east",
    child="child-1ae80cfbd8c8ca02806d",
)
ASHFORD_CASE = Record(
    district=District.ASHFORD,
    setting="school-b",
    panel="panel-south",
    child="child-9e7ee5bb1b3ddc9f274e",
)


@pytest.mark.parametrize(
    ("who", "thanet", "ashford"),
    [
        (EAST, True, False),
        (ASHFORD, False, True),
        (KENT, True, True),
        (MEMBER, True, False),
        (SENCO, True, False),
        (PARENT, True, False),
        (AUDITOR, True, True),
    ],
)
def test_each_role_reads_the_cases_in_its_scope(
    who: Principal, thanet: bool, ashford: bool
) -> None:
    assert POLICY.allows(who, "case.read", THANET_CASE) is thanet
    assert POLICY.allows(who, "case.read", ASHFORD_CASE) is ashford


def test_a_refusal_says_what_the_role_may_do_and_where() -> None:
    with pytest.raises(Forbidden, match="may read a case only for records in their areas"):
        POLICY.check(EAST, "case.read", ASHFORD_CASE)
    with pytest.raises(Forbidden, match="a kcc-officer may not decide a case"):
        POLICY.check(KENT, "case.decide", THANET_CASE)
    POLICY.check(MEMBER, "case.decide", THANET_CASE)


def test_a_record_that_does_not_say_where_it_is_is_reached_only_kent_wide() -> None:
    assert not POLICY.allows(EAST, "case.read", Record())
    assert POLICY.allows(KENT, "case.read", Record())


def test_a_policy_letting_the_auditor_write_or_naming_an_action_twice_does_not_build() -> None:
    with pytest.raises(PolicyError, match="the auditor reads"):
        Policy("x", [writes("a", "set a budget", {Role.AUDITOR: Scope.EVERY})])
    with pytest.raises(PolicyError, match="listed twice"):
        Policy("x", [reads("a", "read", {}), reads("a", "read", {})])


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        (EAST, ["case-thanet"]),
        (ASHFORD, ["case-ashford"]),
        (KENT, ["case-ashford", "case-thanet"]),
        (MEMBER, ["case-thanet"]),
        (SENCO, ["case-thanet"]),
        (PARENT, ["case-thanet"]),
        (AUDITOR, ["case-ashford", "case-thanet"]),
        (Principal(subject=person_id_for("board-1"), role=Role.AREA_BOARD, kent_wide=True), []),
    ],
)
async def test_a_list_is_filtered_in_the_database_to_what_the_caller_reaches(
    kit: Kit, who: Principal, seen: list[str]
) -> None:
    async with kit.pool.acquire() as connection:
        await connection.execute(
            """CREATE TEMP TABLE cases (
                   case_id text, district text, setting_id text, panel_id text, child_id text);
               INSERT INTO cases VALUES
                   ('case-thanet', 'thanet', 'school-a', 'panel-east',
                    'child-1ae80cfbd8c8ca02806d'),
                   ('case-ashford', 'ashford', 'school-b', 'panel-south',
                    'child-9e7ee5bb1b3ddc9f274e')"""
        )
        where = POLICY.where(
            who, "case.read", first=2, district="district", setting="setting_id",
            panel="panel_id", child="child_id",
        )  # fmt: skip
        rows = await connection.fetch(
            f"SELECT case_id FROM cases WHERE case_id LIKE $1 AND {where.sql} ORDER BY 1",
            "case-%",
            *where.params,
        )
    assert [row["case_id"] for row in rows] == seen
