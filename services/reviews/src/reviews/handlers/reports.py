"""The written report: drafted by the reviewers, owned by the reviewed setting, which grants
(and revokes) who else may read it. The report's text stays in this service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import (
    REPORT_ACCESS_GRANTED,
    REPORT_ACCESS_REVOKED,
    ReportAccessGranted,
    ReportAccessRevoked,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from reviews.adapters import ReviewsStore
from reviews.domain.findings import AreaEstimate, Finding, write_report
from reviews.domain.review import PeerReview
from reviews.domain.sharing import Grant, grant_access, revoke_access
from reviews.handlers.refusals import refusals_as_problems
from reviews.handlers.review_record import review_for_update


async def draft_report(
    work: UnitOfWork,
    review_id: str,
    who: Principal,
    findings: Sequence[Finding],
    estimates: Sequence[AreaEstimate],
) -> PeerReview:
    """A reviewer writes (or rewrites, while it is a draft) the report."""
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "report.write")
    with refusals_as_problems(found.review):
        review = write_report(found.review, found.cycle, findings, estimates)
    await store.save_review(review)
    return review


async def grant(
    work: UnitOfWork,
    review_id: str,
    who: Principal,
    grant_id: str,
    today: date,
    *,
    role: str | None,
    subject: str | None,
    setting: str | None,
) -> Grant:
    """The reviewed setting lets someone read its report: everyone with the role, subject and
    setting given (at least one of them)."""
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "grant.give")
    with refusals_as_problems(found.review):
        given = Grant(
            grant_id=grant_id, granted_on=today, role=role, subject=subject, setting=setting
        )
        review = grant_access(found.review, given)
    await store.save_review(review)
    work.emit(
        REPORT_ACCESS_GRANTED.type,
        review.review_id,
        ReportAccessGranted(
            review_id=review.review_id,
            setting_id=review.setting_id,
            grant_id=given.grant_id,
            grantee_role=given.role.value if given.role else None,
            grantee_subject=given.subject,
            grantee_setting_id=given.setting,
            granted_on=today,
        ),
    )
    return given


async def revoke(
    work: UnitOfWork, review_id: str, who: Principal, grant_id: str, today: date
) -> Grant:
    store = ReviewsStore(work.connection)
    found = await review_for_update(store, review_id, who, "grant.revoke")
    with refusals_as_problems(found.review):
        review = revoke_access(found.review, grant_id, on=today)
    await store.save_review(review)
    work.emit(
        REPORT_ACCESS_REVOKED.type,
        review.review_id,
        ReportAccessRevoked(
            review_id=review.review_id,
            setting_id=review.setting_id,
            grant_id=grant_id,
            revoked_on=today,
        ),
    )
    return next(g for g in review.grants if g.grant_id == grant_id)
