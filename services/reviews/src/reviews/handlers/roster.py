"""The roster of peer reviewers: an officer of the reviewer's district keeps their entry; the
reviewer declares their own interests. Each new version is published whole."""

from __future__ import annotations

from datetime import date

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.reviews import REVIEWER_ROSTER_SET, ReviewerRosterSet
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import NotFound
from reviews.access import POLICY, enrolling, reviewer_record
from reviews.adapters import ReviewsStore
from reviews.domain.roster import EnrolledReviewer, ReviewerTerms, declare_interest, enrol
from reviews.handlers.refusals import refusals_as_problems


async def set_entry(
    work: UnitOfWork, who: Principal, reviewer_id: str, terms: ReviewerTerms, today: date
) -> EnrolledReviewer:
    """Enrol a reviewer or change their entry, as an officer of the district their setting is
    in (and of the one it was in, for a reviewer who moved); the same entry again changes
    nothing."""
    POLICY.check(who, "reviewer.enrol", enrolling(terms.district))
    store = ReviewsStore(work.connection)
    # Two officers enrolling one new reviewer at once: the second waits, then finds the first.
    await work.connection.execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))", f"reviewer:{reviewer_id}"
    )
    current = await store.enrolled(reviewer_id, lock="UPDATE")
    if current is not None:
        POLICY.check(who, "reviewer.enrol", reviewer_record(current))
    with refusals_as_problems():
        enrolled = enrol(current, reviewer_id, terms, today)
    if enrolled is None:
        assert current is not None, "only an enrolled reviewer's entry can be unchanged"
        return current
    await _save(work, store, enrolled)
    return enrolled


async def declare(
    work: UnitOfWork, who: Principal, reviewer_id: str, setting_id: str, today: date
) -> EnrolledReviewer:
    """The reviewer declares their own interest in a setting; declared again, nothing changes."""
    store = ReviewsStore(work.connection)
    current = await store.enrolled(reviewer_id, lock="UPDATE")
    if current is None:
        raise NotFound(f"no reviewer {reviewer_id} on the roster")
    POLICY.check(who, "reviewer.declare", reviewer_record(current))
    with refusals_as_problems():
        declared = declare_interest(current, setting_id, today)
    if declared is None:
        return current
    await _save(work, store, declared)
    return declared


async def _save(work: UnitOfWork, store: ReviewsStore, enrolled: EnrolledReviewer) -> None:
    await store.save_enrolled(enrolled)
    work.emit(
        REVIEWER_ROSTER_SET.type,
        enrolled.reviewer_id,
        ReviewerRosterSet(
            reviewer_id=enrolled.reviewer_id,
            setting_id=enrolled.setting_id,
            district=enrolled.district,
            area=enrolled.area,
            role=enrolled.role.value,
            term_from=enrolled.term_from,
            term_to=enrolled.term_to,
            trained_on=enrolled.trained_on,
            declared_interests=enrolled.declared_interests,
            version=enrolled.version,
            set_on=enrolled.set_on,
        ),
    )
