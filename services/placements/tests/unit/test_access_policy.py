"""Who may do what to which record in placements, as the policy decides it (pure): officers act
on their places' settings and cases, a SENCO on their setting's consultations and placements, a
panel member on the cases before their panel, a family on their own child's, an Area Board on
its area's figures; the auditor reads every record and writes none; the platform team has no
part in the domain."""

from __future__ import annotations

from datetime import date

import pytest

from inclusion_shared.access import Record, Scope
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden
from placements.access import (
    POLICY,
    of_assessment,
    of_consultation,
    of_decision,
    of_offer,
    of_panel,
    of_placement,
    of_request,
    of_setting,
    reach,
)
from placements.adapters import (
    StoredAssessment,
    StoredConsultation,
    StoredOffer,
    StoredPlacement,
)
from placements.domain.consultation import Consultation
from placements.domain.offers import Offer
from placements.domain.placement import Placement
from placements.domain.placement_decision import PlacementDecision
from placements.domain.request import PlacementRequest
from placements.domain.setting import ProvisionType, Setting
from placements.domain.values import NeedType
from placements.domain.year_groups import YearGroup

from .conftest import SECONDARY_SRP

OFFICER, SENCO, MEMBER = Role.KCC_OFFICER, Role.SENCO, Role.PANEL_MEMBER
PARENT, YOUNG, BOARD = Role.PARENT, Role.YOUNG_PERSON, Role.AREA_BOARD
AUDITOR, ADMIN = Role.AUDITOR, Role.PLATFORM_ADMIN
EVERY, PLACE, SETTING, PANEL, CHILD = (
    Scope.EVERY,
    Scope.PLACE,
    Scope.SETTING,
    Scope.PANEL,
    Scope.CHILD,
)
FAMILY = {PARENT: CHILD, YOUNG: CHILD}
CASE_READERS = {OFFICER: PLACE, MEMBER: PANEL, **FAMILY, AUDITOR: EVERY}
OFFICERS = {OFFICER: PLACE}

# What domain.md gives each role, action by action: the policy must say the same.
EXPECTED: dict[str, dict[Role, Scope]] = {
    "setting.register": OFFICERS,
    "setting.read": {
        OFFICER: EVERY,
        SENCO: EVERY,
        MEMBER: EVERY,
        PARENT: EVERY,
        YOUNG: EVERY,
        BOARD: PLACE,
        AUDITOR: EVERY,
    },
    "capacity.set": OFFICERS,
    "sufficiency.read": {OFFICER: PLACE, BOARD: PLACE, AUDITOR: EVERY},
    "request.receive": OFFICERS,
    "request.read": CASE_READERS,
    "consultation.send": OFFICERS,
    "consultation.read": {OFFICER: PLACE, SENCO: SETTING, MEMBER: PANEL, AUDITOR: EVERY},
    "consultation.answer": {SENCO: SETTING},
    "panel.keep": OFFICERS,
    "panel.declare": {MEMBER: PANEL},
    "panel.read": {OFFICER: PLACE, MEMBER: PANEL, AUDITOR: EVERY},
    "request.propose": OFFICERS,
    "request.vote": {MEMBER: PANEL},
    "capacity.override": OFFICERS,
    "decision.read": CASE_READERS,
    "rationale.read": {OFFICER: PLACE, MEMBER: PANEL, **FAMILY},
    "rationale.digest": {OFFICER: PLACE, AUDITOR: EVERY},
    "offer.read": CASE_READERS,
    "offer.accept": {OFFICER: PLACE, **FAMILY},
    "offer.decline": {OFFICER: PLACE, **FAMILY},
    "placement.start": OFFICERS,
    "placement.read": {**CASE_READERS, SENCO: SETTING},
    "placement.end": OFFICERS,
    "placement.move": OFFICERS,
    "amended-plan.record": OFFICERS,
    "post-16-move.plan": OFFICERS,
    "assessment.request": OFFICERS,
    "assessment.read": {OFFICER: PLACE, **FAMILY, AUDITOR: EVERY},
    "assessment.step": OFFICERS,
    "clock-exception.record": OFFICERS,
    "clocks.sweep": OFFICERS,
    "clock.list": {OFFICER: PLACE, AUDITOR: EVERY},
    "timeliness.read": {OFFICER: PLACE, BOARD: PLACE, AUDITOR: EVERY},
}

PANEL_ID = "panel-thanet-1"
CHILD_ID = "child-4b8669e033ccb7794915"
THANET_CASE = Record(
    district=District.THANET, setting=SECONDARY_SRP, panel=PANEL_ID, child=CHILD_ID
)


# For each role, a principal in the record's scope, one out of it, and one with no scope at all.
IN, OUT, NONE = "in scope", "out of scope", "no scope"
SCOPES: dict[Role, dict[str, dict[str, object]]] = {
    role: {
        IN: {"areas": frozenset({Area.EAST})},
        OUT: {"areas": frozenset({Area.WEST})},
        NONE: {},
    }
    for role in (OFFICER, BOARD)
} | {
    SENCO: {IN: {"setting": SECONDARY_SRP}, OUT: {"setting": "mainstream-0999"}, NONE: {}},
    MEMBER: {
        IN: {"panels": frozenset({PANEL_ID})},
        OUT: {"panels": frozenset({"panel-x"})},
        NONE: {},
    },
    PARENT: {IN: {"child": CHILD_ID}, OUT: {"child": "child-dda99f2c4fa5343bcaf9"}, NONE: {}},
    YOUNG: {IN: {"child": CHILD_ID}, OUT: {"child": "child-dda99f2c4fa5343bcaf9"}, NONE: {}},
    AUDITOR: {IN: {}, OUT: {}, NONE: {}},
    ADMIN: {IN: {}, OUT: {}, NONE: {}},
}
GRID = [(action, role, where) for action in EXPECTED for role in Role for where in (IN, OUT, NONE)]


def principal(role: Role, where: str) -> Principal:
    return Principal.model_validate(
        {"subject": person_id_for(f"{role}-1"), "role": role, **SCOPES[role][where]}
    )


def test_the_policy_lists_the_actions_the_domain_expects() -> None:
    assert set(POLICY.permissions) == set(EXPECTED)
    for action, grants in EXPECTED.items():
        assert dict(POLICY[action].grants) == grants, action


@pytest.mark.parametrize(("action", "role", "where"), GRID, ids=lambda v: str(v))
def test_each_role_reaches_a_record_only_in_its_scope(action: str, role: Role, where: str) -> None:
    scope = EXPECTED[action].get(role)
    expected = scope is Scope.EVERY or (scope is not None and where == IN)

    allowed = POLICY.allows(principal(role, where), action, THANET_CASE)

    assert allowed is expected


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_a_refusal_is_a_403_saying_what_the_role_may_do(action: str) -> None:
    with pytest.raises(Forbidden) as refused:
        POLICY.check(principal(ADMIN, NONE), action, THANET_CASE)
    assert refused.value.status == 403
    assert POLICY[action].summary in str(refused.value)


def test_the_auditor_writes_nothing_and_the_platform_team_does_nothing_of_the_domain() -> None:
    for permission in POLICY.permissions.values():
        assert ADMIN not in permission.grants
        if permission.writes:
            assert AUDITOR not in permission.grants, permission.action


def test_an_officer_reaches_by_district_by_area_or_kent_wide() -> None:
    thanet = Principal(
        subject=person_id_for("o-1"), role=OFFICER, districts=frozenset({District.THANET})
    )
    dover = Principal(
        subject=person_id_for("o-2"), role=OFFICER, districts=frozenset({District.DOVER})
    )
    kent = Principal(subject=person_id_for("o-3"), role=OFFICER, kent_wide=True)

    assert POLICY.allows(thanet, "request.read", THANET_CASE)
    assert not POLICY.allows(dover, "request.read", THANET_CASE)
    assert POLICY.allows(kent, "request.read", THANET_CASE)


def test_a_family_reads_any_setting_in_the_registry_but_only_their_own_child_s_case() -> None:
    parent = principal(PARENT, OUT)
    school = Record(district=District.MAIDSTONE, setting="mainstream-0901")

    assert POLICY.allows(parent, "setting.read", school)
    assert not POLICY.allows(parent, "request.read", THANET_CASE)
    assert POLICY.allows(principal(PARENT, IN), "request.read", THANET_CASE)


def test_a_case_before_no_panel_is_reached_by_no_panel_member() -> None:
    member = principal(MEMBER, IN)
    undecided = Record(district=District.THANET, child=CHILD_ID)

    assert not POLICY.allows(member, "request.read", undecided)
    assert POLICY.allows(member, "request.read", THANET_CASE)


def test_only_an_officer_of_the_case_s_place_authorises_an_offer_beyond_capacity() -> None:
    assert POLICY.allows(principal(OFFICER, IN), "capacity.override", THANET_CASE)
    assert not POLICY.allows(principal(OFFICER, OUT), "capacity.override", THANET_CASE)
    assert not POLICY.allows(principal(MEMBER, IN), "capacity.override", THANET_CASE)


def test_a_panel_s_roster_is_kept_by_an_officer_of_its_whole_area_and_read_by_its_members() -> None:
    east_panel = of_panel(Area.EAST, PANEL_ID)
    thanet_officer = Principal.model_validate(
        {
            "subject": person_id_for("officer-1"),
            "role": OFFICER,
            "districts": frozenset({District.THANET}),
        }
    )

    assert POLICY.allows(principal(OFFICER, IN), "panel.keep", east_panel)
    assert not POLICY.allows(thanet_officer, "panel.keep", east_panel)
    assert not POLICY.allows(principal(OFFICER, OUT), "panel.keep", east_panel)
    assert POLICY.allows(principal(MEMBER, IN), "panel.read", east_panel)
    assert POLICY.allows(principal(MEMBER, IN), "panel.declare", east_panel)
    assert not POLICY.allows(principal(MEMBER, OUT), "panel.declare", east_panel)


def test_only_an_officer_puts_a_case_to_a_panel_and_only_its_members_vote() -> None:
    assert POLICY.allows(principal(OFFICER, IN), "request.propose", THANET_CASE)
    assert not POLICY.allows(principal(MEMBER, IN), "request.propose", THANET_CASE)
    assert POLICY.allows(principal(MEMBER, IN), "request.vote", THANET_CASE)
    assert not POLICY.allows(principal(MEMBER, OUT), "request.vote", THANET_CASE)
    assert not POLICY.allows(principal(OFFICER, IN), "request.vote", THANET_CASE)


def test_a_list_asks_the_database_only_for_the_districts_the_caller_reaches() -> None:
    east = principal(OFFICER, IN)
    where = reach(east, "clock.list")(first=3, district="c.district")

    assert where.sql == "c.district = ANY($3::text[])"
    assert where.params == [["canterbury", "swale", "thanet"]]
    assert reach(principal(AUDITOR, NONE), "clock.list")(first=3, district="d").sql == "TRUE"
    assert reach(principal(BOARD, IN), "clock.list")(first=3, district="d").sql == "FALSE"
    assert reach(principal(OFFICER, NONE), "clock.list")(first=3, district="d").params == [[]]


# --- where each record sits -----------------------------------------------------------------

ON = date(2026, 10, 1)
SETTING_IN_DOVER = Setting(
    setting_id=SECONDARY_SRP,
    provision=ProvisionType.SRP,
    district=District.DOVER,
    community_id="cos-1",
    lowest_year=YearGroup.YEAR_7,
    highest_year=YearGroup.YEAR_11,
    need_types=(NeedType.ASD,),
)


def test_a_setting_sits_in_its_registered_district() -> None:
    assert of_setting(SETTING_IN_DOVER) == Record(district=District.DOVER, setting=SECONDARY_SRP)


def test_a_case_sits_where_the_child_lives_whichever_setting_it_names(
    placement_request: PlacementRequest, decision: PlacementDecision
) -> None:
    consultation = Consultation(
        request_id=placement_request.request_id,
        setting_id=SECONDARY_SRP,
        provision=ProvisionType.SRP,
        nearest_mainstream=False,
        sent_on=ON,
    )
    offer = Offer(
        offer_id="offer-1",
        decision_id=decision.decision_id,
        child_id=CHILD_ID,
        setting_id=SECONDARY_SRP,
        provision=ProvisionType.SRP,
        academic_year="2027-28",
        year_group=YearGroup.YEAR_7,
        made_on=ON,
    )
    placement = Placement(
        placement_id="placement-1",
        offer_id="offer-1",
        child_id=CHILD_ID,
        setting_id=SECONDARY_SRP,
        provision=ProvisionType.SRP,
        year_group=YearGroup.YEAR_7,
        started_on=ON,
    )

    assert of_request(placement_request) == Record(district=District.THANET, child=CHILD_ID)
    assert of_request(placement_request, PANEL_ID) == Record(
        district=District.THANET, child=CHILD_ID, panel=PANEL_ID
    )
    assert of_decision(decision) == THANET_CASE
    assert (
        of_consultation(StoredConsultation("con-1", consultation, CHILD_ID, "thanet", PANEL_ID))
        == THANET_CASE
    )
    assert of_offer(StoredOffer(offer, "request-1", "thanet", PANEL_ID)) == THANET_CASE
    assert (
        of_placement(StoredPlacement(placement, True, None, (), "thanet", PANEL_ID)) == THANET_CASE
    )
    assert of_assessment(StoredAssessment("ehc-1", CHILD_ID, "thanet", ())) == Record(
        district=District.THANET, child=CHILD_ID
    )
