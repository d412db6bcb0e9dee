"""Who may do what to which review record, without a server: for every action of the policy,
each role in scope, out of scope and with no scope at all, against a Thanet review of school-a
that school-b's SENCO reviews and whose report school-a has shared with school-d and with one
panel member, and against the roster entry of that reviewer. Officers manage cycles and the
roster in their places, Area Boards read themes of theirs, the
reviewed school owns its report, reviewers take part as themselves (never their whole school),
and the auditor reads everything but the report its school has not shared, and writes nothing."""

from collections.abc import Callable
from datetime import date

import pytest

from inclusion_shared.access import Scope
from inclusion_shared.auth import Principal, Role
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area, District
from inclusion_shared.web.problems import Forbidden
from reviews.access import (
    POLICY,
    area_record,
    check_report,
    check_review,
    cycle_record,
    enrolling,
    opening,
    reaches,
    reviewer_record,
    shares_report,
)
from reviews.domain.cycle import ReviewCycle
from reviews.domain.review import PeerReview
from reviews.domain.roster import EnrolledReviewer
from reviews.domain.sharing import THEMES_ONLY, Grant, grant_access
from reviews.domain.stages import Stage

ReviewAt = Callable[[Stage], PeerReview]


def _officer(name: str, **scope: object) -> Principal:
    return Principal.model_validate(
        {"subject": person_id_for(name), "role": Role.KCC_OFFICER, **scope}
    )


def _board(name: str, **scope: object) -> Principal:
    return Principal.model_validate(
        {"subject": person_id_for(name), "role": Role.AREA_BOARD, **scope}
    )


def _senco(name: str, *settings: str) -> Principal:
    return Principal(subject=person_id_for(name), role=Role.SENCO, settings=frozenset(settings))


CALLERS: dict[str, Principal] = {
    "officer-kent": _officer("officer-kent", kent_wide=True),
    "officer-east": _officer("officer-east", areas=frozenset({Area.EAST})),
    "officer-thanet": _officer("officer-thanet", districts=frozenset({District.THANET})),
    "officer-west": _officer("officer-west", areas=frozenset({Area.WEST})),
    "officer-nowhere": _officer("officer-nowhere"),
    "board-east": _board("board-east", areas=frozenset({Area.EAST})),
    "board-west": _board("board-west", areas=frozenset({Area.WEST})),
    "board-nowhere": _board("board-nowhere"),
    "owner": _senco("senco-school-a", "school-a"),
    "owner-of-two": _senco("senco-cluster", "school-z", "school-a"),
    "reviewer": _senco("senco-school-b", "school-b"),
    "reviewers-colleague": _senco("senco-school-b-2", "school-b"),
    "granted-school": _senco("senco-school-d", "school-d"),
    "stranger": _senco("senco-school-e", "school-e"),
    "senco-nowhere": _senco("senco-nowhere"),
    "granted-member": Principal(
        subject=person_id_for("member-7"), role=Role.PANEL_MEMBER, panels=frozenset({"panel-east"})
    ),
    "member": Principal(
        subject=person_id_for("member-8"), role=Role.PANEL_MEMBER, panels=frozenset({"panel-east"})
    ),
    "parent": Principal(
        subject=person_id_for("parent-1"), role=Role.PARENT, child="child-1ae80cfbd8c8ca02806d"
    ),
    "young-person": Principal(
        subject=person_id_for("young-person-1"),
        role=Role.YOUNG_PERSON,
        child="child-9e7ee5bb1b3ddc9f274e",
    ),
    "auditor": Principal(subject=person_id_for("auditor-1"), role=Role.AUDITOR),
    "platform-admin": Principal(subject=person_id_for("admin-1"), role=Role.PLATFORM_ADMIN),
}

OFFICERS_THERE = {"officer-kent", "officer-east", "officer-thanet"}
OWNERS = {"owner", "owner-of-two"}

# Who reaches the Thanet review (its cycle, its area) under each action; everyone else is
# refused. An entry per action of the policy: a new action fails the test below until it has one.
REACHED: dict[str, set[str]] = {
    "cycle.open": OFFICERS_THERE,
    "cycle.read": OFFICERS_THERE | {"auditor"},
    "themes.read": {"officer-kent", "officer-east", "board-east", "auditor"},
    "cycle-themes.read": OFFICERS_THERE | {"board-east", "auditor"},
    "review.read": OFFICERS_THERE | OWNERS | {"reviewer", "auditor"},
    "reviewing.read": {"reviewer"},
    "reviewer.assign": OFFICERS_THERE,
    "self-evaluation.submit": OWNERS,
    "review.move": OFFICERS_THERE | OWNERS | {"reviewer"},
    "reviewing.move": {"reviewer"},
    "report.write": {"reviewer"},
    "report.read": OWNERS | {"reviewer", "granted-school", "granted-member"},
    "grant.list": OWNERS | {"auditor"},
    "grant.give": OWNERS,
    "grant.revoke": OWNERS,
    "action-plan.agree": OWNERS,
    "action.complete": OWNERS,
    "overdue.sweep": OFFICERS_THERE,
    "follow-up.record": OFFICERS_THERE | {"reviewer"},
    "reviewer.enrol": OFFICERS_THERE,
    "reviewer.declare": {"reviewer"},
    "reviewer.read": OFFICERS_THERE | {"reviewer", "auditor"},
}

# School-b's SENCO on the roster, in Thanet: the reviewer of the review.
ENTRY = EnrolledReviewer(
    reviewer_id=person_id_for("senco-school-b"),
    setting_id="school-b",
    district=District.THANET,
    role="senco",
    term_from=date(2026, 9, 1),
    term_to=date(2027, 8, 31),
    trained_on=date(2026, 7, 1),
    version=1,
    set_on=date(2026, 9, 1),
)


@pytest.fixture
def review(review_at: ReviewAt) -> PeerReview:
    """School-a's review, its report issued, shared with school-d and with member-7."""
    review = review_at(Stage.ACTION_PLAN)
    for grant_id, to in (
        ("grant-1", {"setting": "school-d"}),
        ("grant-2", {"subject": person_id_for("member-7")}),
    ):
        grant = Grant.model_validate({"grant_id": grant_id, "granted_on": date(2026, 12, 1), **to})
        review = grant_access(review, grant)
    return review


def allowed(action: str, who: Principal, review: PeerReview, cycle: ReviewCycle) -> bool:
    """Whether the service lets the caller do the action, checked as its handler checks it."""
    if action == "cycle.open":
        return POLICY.allows(who, action, opening(cycle.district))
    if action in ("cycle.read", "cycle-themes.read"):
        return POLICY.allows(who, action, cycle_record(cycle))
    if action == "themes.read":
        return POLICY.allows(who, action, area_record(cycle.area))
    if action == "reviewer.enrol":
        return POLICY.allows(who, action, enrolling(ENTRY.district)) and POLICY.allows(
            who, action, reviewer_record(ENTRY)
        )
    if action.startswith("reviewer.") and action != "reviewer.assign":
        return POLICY.allows(who, action, reviewer_record(ENTRY))
    try:
        if action == "report.read":
            check_report(who, review, cycle)
        else:
            check_review(who, action, review, cycle)
    except Forbidden:
        return False
    return True


def test_every_action_of_the_policy_has_its_expectations() -> None:
    assert set(REACHED) == set(POLICY.permissions)


@pytest.mark.parametrize("action", sorted(REACHED))
@pytest.mark.parametrize("name", sorted(CALLERS))
def test_each_caller_reaches_the_review_only_in_their_scope(
    action: str, name: str, review: PeerReview, cycle: ReviewCycle
) -> None:
    assert allowed(action, CALLERS[name], review, cycle) is (name in REACHED[action])


def test_an_officer_elsewhere_is_told_where_they_may_act(cycle: ReviewCycle) -> None:
    with pytest.raises(Forbidden, match="may open a review cycle only for records in their areas"):
        POLICY.check(CALLERS["officer-west"], "cycle.open", opening(cycle.district))


def test_a_stranger_is_refused_the_review_with_a_403_naming_what_a_senco_may_do(
    review: PeerReview, cycle: ReviewCycle
) -> None:
    with pytest.raises(Forbidden, match="may move a review on to its next stage only for records"):
        check_review(CALLERS["stranger"], "review.move", review, cycle)
    with pytest.raises(Forbidden, match="only where its school shares it with them"):
        check_report(CALLERS["stranger"], review, cycle)
    with pytest.raises(Forbidden, match="a kcc-officer may not read a review's report"):
        check_report(CALLERS["officer-kent"], review, cycle)


def test_a_reviewer_takes_part_as_themselves_not_as_their_school(
    review: PeerReview, cycle: ReviewCycle
) -> None:
    assert reaches(CALLERS["reviewer"], "report.write", review, cycle)
    assert not reaches(CALLERS["reviewers-colleague"], "report.write", review, cycle)
    assert not shares_report(CALLERS["reviewers-colleague"], review, cycle)


def test_a_revoked_grant_shares_the_report_no_more(review: PeerReview, cycle: ReviewCycle) -> None:
    revoked = review.evolve(
        grants=tuple(g.evolve(revoked_on=date(2027, 1, 5)) for g in review.grants)
    )
    assert not shares_report(CALLERS["granted-school"], revoked, cycle)
    assert not shares_report(CALLERS["granted-member"], revoked, cycle)
    assert shares_report(CALLERS["owner"], revoked, cycle)


def test_themes_only_roles_are_never_among_a_reports_readers() -> None:
    assert {role.value for role in THEMES_ONLY} == {Role.AREA_BOARD, Role.KCC_OFFICER}
    assert not {role.value for role in THEMES_ONLY} & set(POLICY.roles("report.read"))


def test_the_platform_team_does_nothing_of_the_reviews() -> None:
    assert not any(Role.PLATFORM_ADMIN in p.grants for p in POLICY.permissions.values())


def test_the_auditor_writes_nothing_and_reads_every_record_it_is_granted_to() -> None:
    for permission in POLICY.permissions.values():
        scope = permission.grants.get(Role.AUDITOR)
        assert scope in (None, Scope.EVERY), permission.action
        assert not (permission.writes and scope), permission.action


@pytest.mark.parametrize(
    ("name", "sql", "params"),
    [
        ("owner", "r.setting_id = ANY($4::text[])", [["school-a"]]),
        ("owner-of-two", "r.setting_id = ANY($4::text[])", [["school-a", "school-z"]]),
        ("auditor", "TRUE", []),
        ("senco-nowhere", "FALSE", []),
        ("member", "FALSE", []),
    ],
)
def test_the_grants_list_asks_the_database_for_the_callers_schools_only(
    name: str, sql: str, params: list[object]
) -> None:
    where = POLICY.where(
        CALLERS[name], "grant.list", first=4, setting="r.setting_id", district="c.district"
    )
    assert (where.sql, where.params) == (sql, params)


@pytest.mark.parametrize(
    ("name", "sql", "params"),
    [
        ("officer-kent", "TRUE", []),
        ("officer-east", "c.district = ANY($2::text[])", [["canterbury", "swale", "thanet"]]),
        ("officer-thanet", "c.district = ANY($2::text[])", [["thanet"]]),
        ("officer-nowhere", "c.district = ANY($2::text[])", [[]]),  # no place: no review
    ],
)
def test_the_overdue_sweep_selects_the_reviews_of_the_officers_places_only(
    name: str, sql: str, params: list[object]
) -> None:
    where = POLICY.where(CALLERS[name], "overdue.sweep", first=2, district="c.district")
    assert (where.sql, where.params) == (sql, params)


@pytest.mark.parametrize(
    ("name", "sql", "params"),
    [
        ("officer-kent", "TRUE", []),
        ("officer-thanet", "district = ANY($3::text[])", [["thanet"]]),
        ("reviewer", "reviewer_id = ANY($3::text[])", [[person_id_for("senco-school-b")]]),
        ("auditor", "TRUE", []),
        ("member", "FALSE", []),
    ],
)
def test_the_roster_asks_the_database_for_the_officers_places_or_the_reviewer_only(
    name: str, sql: str, params: list[object]
) -> None:
    where = POLICY.where(
        CALLERS[name], "reviewer.read", first=3, district="district", made_by="reviewer_id"
    )
    assert (where.sql, where.params) == (sql, params)
