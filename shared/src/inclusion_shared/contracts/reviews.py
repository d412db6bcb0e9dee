"""Peer-review events. Reports stay with the reviewed setting: events carry stages, areas of
review and codes, never the findings' text."""

from __future__ import annotations

from datetime import date

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.kent import Area, District

REVIEW = topic_named("reviews.review.v1")


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


FOLLOW_UP_COMPLETED = CONTRACTS.register(
    "reviews.review.follow-up-completed", REVIEW, FollowUpCompleted
)
