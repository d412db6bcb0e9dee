"""What monitoring consumes: the events of all four services that its figures count. Like
every service's, its inbox consumer (the kit's) takes only its own deployment's events, so a
test run or another installation sharing the broker never shows in its figures."""

from __future__ import annotations

from inclusion_shared.contracts import feedback as feedback_events
from inclusion_shared.contracts import funding as funding_events
from inclusion_shared.contracts import placements as placement_events
from inclusion_shared.contracts import reviews as review_events
from inclusion_shared.events.registry import EventContract
from inclusion_shared.messaging.consumer import Handler, InboxConsumer
from monitoring.handlers import feedback, funding, placements, reviews

HANDLERS: tuple[tuple[EventContract, Handler], ...] = (
    (funding_events.APPLICATION_SUBMITTED, funding.application_submitted),
    (funding_events.DECISION_RECORDED, funding.decision_recorded),
    (funding_events.BUDGET_SET, funding.budget_set),
    (funding_events.ALLOCATION_COMMITTED, funding.allocation_committed),
    (funding_events.ALLOCATION_RELEASED, funding.allocation_released),
    (funding_events.CHALLENGE_LODGED, funding.challenge_lodged),
    (funding_events.CHALLENGE_RESOLVED, funding.challenge_resolved),
    (placement_events.SETTING_REGISTERED, placements.setting_registered),
    (placement_events.CAPACITY_SET, placements.capacity_set),
    (placement_events.PLACEMENT_REQUESTED, placements.placement_requested),
    (placement_events.CONSULTATION_SENT, placements.consultation_sent),
    (placement_events.CONSULTATION_ANSWERED, placements.consultation_answered),
    (placement_events.CONSULTATION_OVERDUE, placements.consultation_overdue),
    (placement_events.PLACEMENT_STARTED, placements.placement_started),
    (placement_events.DEADLINE_WARNING, placements.deadline_warning),
    (placement_events.DEADLINE_BREACHED, placements.deadline_breached),
    (placement_events.AMENDED_PLAN_ISSUED, placements.amended_plan_issued),
    (placement_events.CLOCK_EXCEPTION_RECORDED, placements.clock_exception_recorded),
    (placement_events.ASSESSMENT_STEP_RECORDED, placements.assessment_step_recorded),
    (review_events.CYCLE_OPENED, reviews.cycle_opened),
    (review_events.REVIEW_SCHEDULED, reviews.review_scheduled),
    (review_events.FOLLOW_UP_COMPLETED, reviews.follow_up_completed),
    (review_events.ACTION_AGREED, reviews.action_agreed),
    (review_events.ACTION_COMPLETED, reviews.action_completed),
    (review_events.ACTION_OVERDUE, reviews.action_overdue),
    (review_events.REPORT_ISSUED, reviews.report_issued),
    (feedback_events.RESPONSE_RECEIVED, feedback.response_received),
    (feedback_events.RESPONSE_TAGGED, feedback.response_tagged),
    (feedback_events.RESPONSE_WITHDRAWN, feedback.response_excluded),
    (feedback_events.RESPONSE_WITHHELD, feedback.response_excluded),
    (feedback_events.RESPONSE_ROUTED_TO_COMPLAINTS, feedback.response_excluded),
    (feedback_events.ACTION_PUBLISHED, feedback.action_published),
    (feedback_events.ACTION_UPDATED, feedback.action_updated),
)


def subscribe(consumer: InboxConsumer) -> None:
    for contract, handler in HANDLERS:
        consumer.on(contract.type)(handler)
