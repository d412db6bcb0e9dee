"""The reviewed school owns its report and decides who reads it; Area Boards and the local
authority see anonymised themes only, never one school's report."""

from collections.abc import Callable
from datetime import date

import pytest
from pydantic import ValidationError

from inclusion_shared.auth import Role as TokenRole
from reviews.domain.errors import RefusalCode, ReviewRefused
from reviews.domain.review import PeerReview
from reviews.domain.sharing import (
    Grant,
    Principal,
    Role,
    grant_access,
    is_reviewer,
    may_read_report,
    revoke_access,
)
from reviews.domain.stages import Stage

ReviewAt = Callable[[Stage], PeerReview]

OWNER = Principal(subject="senco-7", role=Role.SENCO, setting="school-a")
PARTNER_SENCO = Principal(subject="senco-21", role=Role.SENCO, setting="school-d")
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


def test_the_reviewed_schools_senco_reads_its_own_report(review: PeerReview) -> None:
    assert may_read_report(review, OWNER)


def test_the_reviewers_who_wrote_the_report_can_read_it(review: PeerReview) -> None:
    reviewer = Principal(subject="senco-school-b", role=Role.SENCO, setting="school-b")
    assert may_read_report(review, reviewer)


def test_only_an_assigned_reviewer_is_a_reviewer_of_the_review(review: PeerReview) -> None:
    reviewer = Principal(subject="senco-school-b", role=Role.SENCO, setting="school-b")
    assert is_reviewer(review, reviewer)
    assert not is_reviewer(review, OWNER)
    assert not is_reviewer(review, PARTNER_SENCO)


def test_another_schools_senco_cannot_read_the_report_without_a_grant(review: PeerReview) -> None:
    assert not may_read_report(review, PARTNER_SENCO)


def test_a_grant_to_a_school_lets_its_senco_read_the_report(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"), by=OWNER)
    assert may_read_report(shared, PARTNER_SENCO)
    assert not may_read_report(shared, PARTNER_SENCO.evolve(setting="school-e"))


def test_a_grant_to_one_person_lets_only_that_person_read(review: PeerReview) -> None:
    shared = grant_access(review, _grant(subject="senco-21"), by=OWNER)
    assert may_read_report(shared, PARTNER_SENCO)
    assert not may_read_report(shared, PARTNER_SENCO.evolve(subject="senco-22"))


def test_a_grant_to_a_role_at_a_school_needs_both_to_match(review: PeerReview) -> None:
    shared = grant_access(review, _grant(role=Role.SENCO, setting="school-d"), by=OWNER)
    assert may_read_report(shared, PARTNER_SENCO)
    parent = Principal(subject="parent-3", role=Role.PARENT, setting="school-d")
    assert not may_read_report(shared, parent)


def test_a_revoked_grant_no_longer_admits_but_stays_on_record(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"), by=OWNER)
    revoked = revoke_access(shared, "grant-1", by=OWNER, on=date(2027, 1, 5))
    assert not may_read_report(revoked, PARTNER_SENCO)
    assert revoked.grants == (_grant(setting="school-d", revoked_on=date(2027, 1, 5)),)


def test_revoking_one_grant_leaves_the_others(review: PeerReview) -> None:
    shared = grant_access(review, _grant("grant-1", setting="school-d"), by=OWNER)
    shared = grant_access(shared, _grant("grant-2", subject="senco-21"), by=OWNER)
    assert may_read_report(revoke_access(shared, "grant-1", by=OWNER, on=GRANTED_ON), PARTNER_SENCO)


def test_only_the_owner_grants_access(review: PeerReview) -> None:
    refused = _refusal(lambda: grant_access(review, _grant(setting="school-d"), by=PARTNER_SENCO))
    assert (refused.code, refused.details) == (RefusalCode.NOT_REPORT_OWNER, ("senco-21",))


def test_a_reviewer_cannot_grant_access_to_the_report_they_wrote(review: PeerReview) -> None:
    reviewer = Principal(subject="senco-school-b", role=Role.SENCO, setting="school-b")
    refused = _refusal(lambda: grant_access(review, _grant(setting="school-d"), by=reviewer))
    assert refused.code is RefusalCode.NOT_REPORT_OWNER


def test_only_the_owner_revokes_access(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"), by=OWNER)
    refused = _refusal(
        lambda: revoke_access(shared, "grant-1", by=PARTNER_SENCO, on=date(2027, 1, 5))
    )
    assert refused.code is RefusalCode.NOT_REPORT_OWNER


@pytest.mark.parametrize("role", [Role.AREA_BOARD, Role.KCC_OFFICER])
def test_a_grant_to_a_themes_only_role_is_refused(review: PeerReview, role: Role) -> None:
    refused = _refusal(lambda: grant_access(review, _grant(role=role), by=OWNER))
    assert (refused.code, refused.details) == (RefusalCode.GRANT_TO_THEMES_ONLY_ROLE, (role.value,))


@pytest.mark.parametrize("role", [Role.AREA_BOARD, Role.KCC_OFFICER])
def test_area_boards_and_the_local_authority_never_read_a_schools_report(
    review: PeerReview, role: Role
) -> None:
    shared = grant_access(review, _grant(subject="member-4"), by=OWNER)
    assert not may_read_report(shared, Principal(subject="member-4", role=role, setting="school-a"))


def test_a_grant_must_name_someone() -> None:
    with pytest.raises(ValidationError, match="names a role, a subject or a setting"):
        _grant()


def test_a_grant_id_is_used_once(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"), by=OWNER)
    refused = _refusal(lambda: grant_access(shared, _grant(setting="school-e"), by=OWNER))
    assert refused.code is RefusalCode.DUPLICATE_GRANT


def test_a_grant_cannot_be_made_already_revoked(review: PeerReview) -> None:
    revoked = _grant(setting="school-d", revoked_on=GRANTED_ON)
    refused = _refusal(lambda: grant_access(review, revoked, by=OWNER))
    assert refused.code is RefusalCode.GRANT_ALREADY_REVOKED


def test_an_unknown_grant_cannot_be_revoked(review: PeerReview) -> None:
    refused = _refusal(lambda: revoke_access(review, "grant-9", by=OWNER, on=GRANTED_ON))
    assert (refused.code, refused.details) == (RefusalCode.UNKNOWN_GRANT, ("grant-9",))


def test_a_grant_cannot_be_revoked_twice(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"), by=OWNER)
    revoked = revoke_access(shared, "grant-1", by=OWNER, on=date(2027, 1, 5))
    refused = _refusal(lambda: revoke_access(revoked, "grant-1", by=OWNER, on=date(2027, 1, 6)))
    assert refused.code is RefusalCode.GRANT_ALREADY_REVOKED


def test_a_grant_cannot_be_revoked_before_it_was_made(review: PeerReview) -> None:
    shared = grant_access(review, _grant(setting="school-d"), by=OWNER)
    refused = _refusal(lambda: revoke_access(shared, "grant-1", by=OWNER, on=date(2026, 11, 30)))
    assert refused.code is RefusalCode.REVOKED_BEFORE_GRANTED


def test_the_domain_knows_the_same_roles_as_the_tokens() -> None:
    assert {role.value for role in Role} == {role.value for role in TokenRole}
