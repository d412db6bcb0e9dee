"""The reviewed school owns its report and decides who reads it: a grant admits everyone it
names (a role, a person, a school, or all of them at once) until it is revoked, and stays on
record. Area Boards and the local authority see anonymised themes only, so a grant to them is
refused. Who reads which report, the owner and the reviewers included, is the policy's
(test_access_policy.py)."""

from collections.abc import Callable
from datetime import date

import pytest
from pydantic import ValidationError

from inclusion_shared.auth import Role as TokenRole
from inclusion_shared.identifiers import person_id_for
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import PeerReview
from reviews.domain.sharing import Grant, Role, grant_access, revoke_access
from reviews.domain.stages import Stage

ReviewAt = Callable[[Stage], PeerReview]

PARTNER = person_id_for("senco-21")
PARTNER_SENCO = (Role.SENCO, PARTNER, frozenset({"school-d"}))
GRANTED_ON = date(2026, 12, 1)


@pytest.fixture
def review(review_at: ReviewAt) -> PeerReview:
    return review_at(Stage.ACTION_PLAN)


def _grant(grant_id: str = "grant-1", **to: object) -> Grant:
    return Grant.model_validate({"grant_id": grant_id, "granted_on": GRANTED_ON, **to})


def _refusal(action: Callable[[], object]) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as refused:
        action()
    return refused.value


def test_a_grant_to_a_school_admits_its_senco_and_no_other_schools() -> None:
    grant = _grant(setting="school-d")
    assert grant.admits(*PARTNER_SENCO)
    assert not grant.admits(Role.SENCO, PARTNER, frozenset({"school-e"}))


def test_a_grant_to_a_school_admits_a_senco_working_for_it_among_others() -> None:
    assert _grant(setting="school-d").admits(
        Role.SENCO, PARTNER, frozenset({"school-e", "school-d"})
    )


def test_a_grant_to_one_person_admits_only_that_person() -> None:
    grant = _grant(subject=PARTNER)
    assert grant.admits(*PARTNER_SENCO)
    assert not grant.admits(Role.SENCO, person_id_for("senco-22"), frozenset({"school-d"}))


def test_a_grant_to_a_role_at_a_school_needs_both_to_match() -> None:
    grant = _grant(role=Role.SENCO, setting="school-d")
    assert grant.admits(*PARTNER_SENCO)
    assert not grant.admits(Role.PARENT, person_id_for("parent-3"), frozenset({"school-d"}))


def test_a_revoked_grant_no_longer_admits_but_stays_on_record(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"))
    revoked = revoke_access(shared, "grant-1", on=date(2027, 1, 5))
    assert not revoked.grants[0].admits(*PARTNER_SENCO)
    assert revoked.grants == (_grant(setting="school-d", revoked_on=date(2027, 1, 5)),)


def test_revoking_one_grant_leaves_the_others(review: PeerReview) -> None:
    shared = grant_access(review, _grant("grant-1", setting="school-d"))
    shared = grant_access(shared, _grant("grant-2", subject=PARTNER))
    revoked = revoke_access(shared, "grant-1", on=GRANTED_ON)
    assert [g.admits(*PARTNER_SENCO) for g in revoked.grants] == [False, True]


@pytest.mark.parametrize("role", [Role.AREA_BOARD, Role.KCC_OFFICER])
def test_a_grant_to_a_themes_only_role_is_refused(review: PeerReview, role: Role) -> None:
    refused = _refusal(lambda: grant_access(review, _grant(role=role)))
    assert (refused.code, refused.details) == (RefusalCode.GRANT_TO_THEMES_ONLY_ROLE, (role.value,))


def test_a_grant_must_name_someone() -> None:
    with pytest.raises(ValidationError, match="names a role, a subject or a setting"):
        _grant()


def test_a_grant_id_is_used_once(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"))
    refused = _refusal(lambda: grant_access(shared, _grant(setting="school-e")))
    assert refused.code is RefusalCode.DUPLICATE_GRANT


def test_a_grant_cannot_be_made_already_revoked(review: PeerReview) -> None:
    revoked = _grant(setting="school-d", revoked_on=GRANTED_ON)
    refused = _refusal(lambda: grant_access(review, revoked))
    assert refused.code is RefusalCode.GRANT_ALREADY_REVOKED


def test_an_unknown_grant_cannot_be_revoked(review: PeerReview) -> None:
    refused = _refusal(lambda: revoke_access(review, "grant-9", on=GRANTED_ON))
    assert (refused.code, refused.details) == (RefusalCode.UNKNOWN_GRANT, ("grant-9",))


def test_a_grant_cannot_be_revoked_twice(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"))
    revoked = revoke_access(shared, "grant-1", on=date(2027, 1, 5))
    refused = _refusal(lambda: revoke_access(revoked, "grant-1", on=date(2027, 1, 6)))
    assert refused.code is RefusalCode.GRANT_ALREADY_REVOKED


def test_a_grant_cannot_be_revoked_before_it_was_made(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"))
    refused = _refusal(lambda: revoke_access(shared, "grant-1", on=date(2026, 11, 30)))
    assert refused.code is RefusalCode.REVOKED_BEFORE_GRANTED


def test_the_domain_knows_the_same_roles_as_the_tokens() -> None:
    assert {role.value for role in Role} == {role.value for role in TokenRole}
