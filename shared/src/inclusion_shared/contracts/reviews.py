"""Peer-review events. Reports stay with the reviewed setting: events carry stages, areas of
review and codes, never the findings' text, the actions' wording or what changed.

Every event travels on ``reviews.review.v1``. A cycle's opening is keyed by the cycle id; every
other event is keyed by the review id, so one review's events stay in order.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.kent import Area, District

REVIEW = topic_named("reviews.review.v1")

ReviewAreaCode = Literal[
    "outcomes",
    "leadership",
    "teaching-and-learning",
    "working-with-pupils-and-parents",
    "assessment-and-identification",
    "monitoring-tracking-and-evaluation",
    "efficient-use-of-resources",
    "quality-of-provision",
]
"""The eight areas of the Whole School SEND review."""

StageCode = Literal[
    "self-evaluation",
    "preparation",
    "visit",
    "written-report",
    "action-plan",
    "follow-up",
    "closed",
]
"""Where a review is: each stage leads only to the next."""


class CycleOpened(EventData):
    """A round of peer review opened in a Community of Schools (or a chosen group of settings),
    with its pairs and triads and the choices made for it."""

    cycle_id: str
    community_of_schools: str
    district: District
    area: Area
    partnerships: tuple[tuple[str, ...], ...]
    avoid_reciprocal_reviews: bool
    estimates_turned_on: bool
    opened_on: date


class ReviewScheduled(EventData):
    """A setting will be reviewed in the cycle, by reviewers from its partner settings."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    community_of_schools: str | None = None
    partner_settings: tuple[str, ...]
    scheduled_on: date


class ReviewerAssigned(EventData):
    """A reviewer from a partner setting joined the review, with the interests they declared
    (setting ids), so the conflict rules can be checked again from the log."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    reviewer_id: str
    reviewer_setting_id: str
    reviewer_role: str
    declared_interests: tuple[str, ...] = ()


class SelfEvaluationSubmitted(EventData):
    """The reviewed setting submitted its self-evaluation (as many documents as counted)."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    documents: int
    submitted_on: date


class StageAdvanced(EventData):
    """A review moved on to preparation, to the visit, or (after its follow-up) to closed. The
    other moves have events of their own: visit completed, report issued."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    from_stage: StageCode
    to_stage: StageCode
    advanced_on: date


class VisitCompleted(EventData):
    """The reviewers' visit is over; the review moves on to the written report."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    reviewer_settings: tuple[str, ...]
    completed_on: date


class ReportIssued(EventData):
    """The written report is final and the review moves on to the action plan. Only the areas
    of review are named (and how many findings there are), never what the findings say."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    issued_on: date
    findings: int
    strength_areas: tuple[ReviewAreaCode, ...]
    development_areas: tuple[ReviewAreaCode, ...]
    estimates_given: bool


class ReportAccessGranted(EventData):
    """The reviewed setting let someone read its report: a role, a person, a setting, or a
    combination of them (each a code or a pseudonymous id)."""

    review_id: str
    setting_id: str
    grant_id: str
    grantee_role: str | None = None
    grantee_subject: str | None = None
    grantee_setting_id: str | None = None
    granted_on: date


class ReportAccessRevoked(EventData):
    """The reviewed setting withdrew a grant; the grant stays on record."""

    review_id: str
    setting_id: str
    grant_id: str
    revoked_on: date


class ActionAgreed(EventData):
    """One action of the agreed plan: the area of review it answers, its owner by role, its due
    date. The action's wording stays with the setting."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    item_id: str
    review_area: ReviewAreaCode
    owner_role: str
    due_on: date
    agreed_on: date


class ActionCompleted(EventData):
    """An action is done; ``late`` when it was done after its due date."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    item_id: str
    review_area: ReviewAreaCode
    owner_role: str
    due_on: date
    completed_on: date
    late: bool


class ActionOverdue(EventData):
    """An open action passed its due date (found by the sweep as of ``as_of``); raised once per
    action."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    item_id: str
    review_area: ReviewAreaCode
    owner_role: str
    due_on: date
    as_of: date
    days_overdue: int


class FollowUpCompleted(EventData):
    """The follow-up visit closed a review's loop; feedback then asks the school for its views."""

    review_id: str
    cycle_id: str
    setting_id: str
    district: District
    area: Area
    community_of_schools: str | None = None
    completed_on: date
    actions_completed: int
    actions_open: int


CYCLE_OPENED = CONTRACTS.register("reviews.review.cycle-opened", REVIEW, CycleOpened)
REVIEW_SCHEDULED = CONTRACTS.register("reviews.review.scheduled", REVIEW, ReviewScheduled)
REVIEWER_ASSIGNED = CONTRACTS.register("reviews.review.reviewer-assigned", REVIEW, ReviewerAssigned)
SELF_EVALUATION_SUBMITTED = CONTRACTS.register(
    "reviews.review.self-evaluation-submitted", REVIEW, SelfEvaluationSubmitted
)
STAGE_ADVANCED = CONTRACTS.register("reviews.review.stage-advanced", REVIEW, StageAdvanced)
VISIT_COMPLETED = CONTRACTS.register("reviews.review.visit-completed", REVIEW, VisitCompleted)
REPORT_ISSUED = CONTRACTS.register("reviews.review.report-issued", REVIEW, ReportIssued)
REPORT_ACCESS_GRANTED = CONTRACTS.register(
    "reviews.review.report-access-granted", REVIEW, ReportAccessGranted
)
REPORT_ACCESS_REVOKED = CONTRACTS.register(
    "reviews.review.report-access-revoked", REVIEW, ReportAccessRevoked
)
ACTION_AGREED = CONTRACTS.register("reviews.review.action-agreed", REVIEW, ActionAgreed)
ACTION_COMPLETED = CONTRACTS.register("reviews.review.action-completed", REVIEW, ActionCompleted)
ACTION_OVERDUE = CONTRACTS.register("reviews.review.action-overdue", REVIEW, ActionOverdue)
FOLLOW_UP_COMPLETED = CONTRACTS.register(
    "reviews.review.follow-up-completed", REVIEW, FollowUpCompleted
)
