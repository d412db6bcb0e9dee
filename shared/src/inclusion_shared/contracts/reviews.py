"""Peer-review events. Reports stay with the reviewed setting: events carry stages, areas of
review and codes, never the findings' text, the actions' wording or what changed.

Every review event travels on ``reviews.review.v1``. A cycle's opening is keyed by the cycle id;
every other event is keyed by the review id, so one review's events stay in order. The roster of
peer reviewers travels on ``reviews.reviewer.v1``, keyed by the reviewer id.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.identifiers import PersonId
from inclusion_shared.kent import Area, District

REVIEW = topic_named("reviews.review.v1")
REVIEWER = topic_named("reviews.reviewer.v1")

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

_REVIEW_ID = "Pseudonymous id of the review (one setting's review in one cycle)."
_CYCLE_ID = "Pseudonymous id of the review cycle."
_SETTING_ID = "Pseudonymous id of the reviewed setting, which owns the review's report."
_DISTRICT = "The cycle's Kent district."
_AREA = "The Kent area (Area Board) of the cycle's district."
_COMMUNITY = "Pseudonymous id of the cycle's Community of Schools."
_ITEM_ID = "Id of the action, unique within the review's action plan."
_REVIEW_AREA = (
    "The area of review the action answers: that of the area-for-development finding it answers."
)
_OWNER_ROLE = (
    "The role in the setting that owns the action: senco, headteacher, senior-leader, "
    "sen-governor, class-teacher, subject-leader or school-business-manager."
)
_DUE_ON = "The day the action is due."


class CycleOpened(EventData):
    """A round of peer review opened in a Community of Schools (or a chosen group of settings),
    with its pairs and triads and the choices made for it."""

    cycle_id: str = Field(description=_CYCLE_ID)
    community_of_schools: str = Field(description=_COMMUNITY)
    district: District = Field(description="The cycle's Kent district.")
    area: Area = Field(description=_AREA)
    partnerships: tuple[tuple[str, ...], ...] = Field(
        description=(
            "The pairs and triads of setting ids that review one another; each setting is in "
            "one only."
        )
    )
    avoid_reciprocal_reviews: bool = Field(
        description=("True when no setting may review a setting that reviews it in the same cycle.")
    )
    estimates_turned_on: bool = Field(
        description=(
            "True when reports may carry the reviewers' estimate per area of review; off by "
            "default, since reviews are ungraded."
        )
    )
    opened_on: date = Field(description="The day the cycle opened.")


class ReviewScheduled(EventData):
    """A setting will be reviewed in the cycle, by reviewers from its partner settings."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    community_of_schools: str | None = Field(
        None,
        description=_COMMUNITY + " The reviews service always sets it (null would mean not known).",
    )
    partner_settings: tuple[str, ...] = Field(
        description="The other settings of its pair or triad, from which its reviewers come."
    )
    scheduled_on: date = Field(description="The day the review was scheduled (its cycle opened).")


class ReviewerAssigned(EventData):
    """A reviewer from a partner setting joined the review, with the interests they declared
    (setting ids), so the conflict rules can be checked again from the log."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    reviewer_id: PersonId = Field(description="The person id of the reviewer.")
    reviewer_setting_id: str = Field(
        description="The partner setting the reviewer works in; never the reviewed setting."
    )
    reviewer_role: str = Field(
        description="What the reviewer is in their own setting: senco or senior-leader."
    )
    declared_interests: tuple[str, ...] = Field(
        (),
        description=(
            "Ids of the settings the reviewer declared an interest in; never the reviewed setting."
        ),
    )
    roster_version: int | None = Field(
        None,
        description=(
            "The version of the reviewer's entry on the roster (see reviews.reviewer.roster-set) "
            "the setting, role and interests come from; null for assignments made before the "
            "roster was kept."
        ),
    )


class ReviewerRosterSet(EventData):
    """A new version of a peer reviewer's entry on the roster, set by a KCC officer (enrolling
    them or changing their entry) or by the reviewer declaring an interest; the whole entry, not
    a change to it."""

    reviewer_id: PersonId = Field(
        description="The person id of the reviewer: their token's person when they sign in."
    )
    setting_id: str = Field(description="The setting the reviewer works in.")
    district: District = Field(description="The Kent district of the reviewer's setting.")
    area: Area = Field(description="The Kent area of that district.")
    role: Literal["senco", "senior-leader"] = Field(
        description="What the reviewer is in their own setting."
    )
    term_from: date = Field(description="The first day the reviewer may be assigned to a review.")
    term_to: date = Field(description="The last day the reviewer may be assigned to a review.")
    trained_on: date | None = Field(
        description=(
            "The day the reviewer completed peer-review training; null if not yet trained. A "
            "reviewer is assigned only on days within their term and on or after this day."
        )
    )
    declared_interests: tuple[str, ...] = Field(
        description=(
            "Ids of the settings the reviewer declared an interest in; they never review those "
            "settings. May be empty."
        )
    )
    version: int = Field(description="The entry's version: 1, then one more for each change.")
    set_on: date = Field(description="The day this version was set.")


class SelfEvaluationSubmitted(EventData):
    """The reviewed setting submitted its self-evaluation (as many documents as counted)."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    documents: int = Field(
        description=(
            "How many documents the self-evaluation has (the form and its evidence); at least 1."
        )
    )
    submitted_on: date = Field(description="The day the self-evaluation was submitted.")


class StageAdvanced(EventData):
    """A review moved on to preparation, to the visit, or (after its follow-up) to closed. The
    other moves have events of their own: visit completed, report issued."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    from_stage: StageCode = Field(
        description=(
            "The stage left: self-evaluation, preparation, action-plan or follow-up (leaving "
            "visit and written-report have events of their own)."
        )
    )
    to_stage: StageCode = Field(
        description=(
            "The stage entered, always the one after from_stage: preparation, visit, follow-up "
            "or closed."
        )
    )
    advanced_on: date = Field(description="The day the review moved on.")


class VisitCompleted(EventData):
    """The reviewers' visit is over; the review moves on to the written report."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    reviewer_settings: tuple[str, ...] = Field(
        description="The distinct settings the review's reviewers come from, in id order."
    )
    completed_on: date = Field(description="The day the visit was completed.")


class ReportIssued(EventData):
    """The written report is final and the review moves on to the action plan. Only the areas
    of review are named (and how many findings there are), never what the findings say."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    issued_on: date = Field(description="The day the report became final.")
    findings: int = Field(
        description="How many findings (strengths and areas for development) it has; at least 1."
    )
    strength_areas: tuple[ReviewAreaCode, ...] = Field(
        description=(
            "The areas of review with at least one strength, in the eight areas' order; may be "
            "empty."
        )
    )
    development_areas: tuple[ReviewAreaCode, ...] = Field(
        description=(
            "The areas of review with at least one area for development, in the eight areas' "
            "order; may be empty."
        )
    )
    estimates_given: bool = Field(
        description=(
            "True when the reviewers gave estimates per area (only in a cycle with estimates "
            "turned on); the estimates stay in the report."
        )
    )


class ReportAccessGranted(EventData):
    """The reviewed setting let someone read its report: a role, a person, a setting, or a
    combination of them (each a code or a pseudonymous id)."""

    review_id: str = Field(description=_REVIEW_ID)
    setting_id: str = Field(description=_SETTING_ID)
    grant_id: str = Field(description="Id of the grant, unique within the review.")
    grantee_role: str | None = Field(
        None,
        description=(
            "The role a reader must have, as tokens carry it (senco, panel-member, parent, "
            "young-person, auditor, platform-admin; never area-board or kcc-officer, who see "
            "themes only); null for any role."
        ),
    )
    grantee_subject: PersonId | None = Field(
        None,
        description="The person id a reader must be; null for anyone.",
    )
    grantee_setting_id: str | None = Field(
        None,
        description=(
            "The setting a reader's token must name; null for any. A reader must match every "
            "grantee field given, and at least one is given."
        ),
    )
    granted_on: date = Field(description="The day access was granted.")


class ReportAccessRevoked(EventData):
    """The reviewed setting withdrew a grant; the grant stays on record."""

    review_id: str = Field(description=_REVIEW_ID)
    setting_id: str = Field(description=_SETTING_ID)
    grant_id: str = Field(
        description="The grant revoked (see reviews.review.report-access-granted)."
    )
    revoked_on: date = Field(description="The day the grant was revoked.")


class ActionAgreed(EventData):
    """One action of the agreed plan: the area of review it answers, its owner by role, its due
    date. The action's wording stays with the setting."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    item_id: str = Field(description=_ITEM_ID)
    review_area: ReviewAreaCode = Field(description=_REVIEW_AREA)
    owner_role: str = Field(description=_OWNER_ROLE)
    due_on: date = Field(description=_DUE_ON + " Never before agreed_on.")
    agreed_on: date = Field(description="The day the action plan was agreed.")


class ActionCompleted(EventData):
    """An action is done; ``late`` when it was done after its due date."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    item_id: str = Field(description=_ITEM_ID)
    review_area: ReviewAreaCode = Field(description=_REVIEW_AREA)
    owner_role: str = Field(description=_OWNER_ROLE)
    due_on: date = Field(description=_DUE_ON)
    completed_on: date = Field(description="The day the action was done.")
    late: bool = Field(description="True when completed_on is after due_on.")


class ActionOverdue(EventData):
    """An open action passed its due date (found by the sweep as of ``as_of``); raised once per
    action."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    item_id: str = Field(description=_ITEM_ID)
    review_area: ReviewAreaCode = Field(description=_REVIEW_AREA)
    owner_role: str = Field(description=_OWNER_ROLE)
    due_on: date = Field(description=_DUE_ON)
    as_of: date = Field(description="The day the sweep found the action open past due_on.")
    days_overdue: int = Field(description="Calendar days from due_on to as_of; at least 1.")


class FollowUpCompleted(EventData):
    """The follow-up visit closed a review's loop; feedback then asks the school for its views."""

    review_id: str = Field(description=_REVIEW_ID)
    cycle_id: str = Field(description=_CYCLE_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    community_of_schools: str | None = Field(
        None,
        description=_COMMUNITY + " The reviews service always sets it (null would mean not known).",
    )
    completed_on: date = Field(description="The day of the follow-up.")
    actions_completed: int = Field(
        description="How many of the plan's actions were done by the follow-up."
    )
    actions_open: int = Field(description="How many of the plan's actions were still open.")


CYCLE_OPENED = CONTRACTS.register("reviews.review.cycle-opened", REVIEW, CycleOpened)
REVIEW_SCHEDULED = CONTRACTS.register("reviews.review.scheduled", REVIEW, ReviewScheduled)
REVIEWER_ASSIGNED = CONTRACTS.register("reviews.review.reviewer-assigned", REVIEW, ReviewerAssigned)
REVIEWER_ROSTER_SET = CONTRACTS.register("reviews.reviewer.roster-set", REVIEWER, ReviewerRosterSet)
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
