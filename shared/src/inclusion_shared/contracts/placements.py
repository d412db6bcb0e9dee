"""Placement events: the suite's most-read contract. Funding, feedback, monitoring and outside
services subscribe to them. Pseudonymous ids and coarse codes only: a panel's written rationale
stays in the placements service, represented here by its document id and SHA-256.

Topics and keys: ``placements.setting.v1`` is keyed by setting id (registration, capacity,
capacity overrides); ``placements.consultation.v1`` by consultation id (sent, answered, reply
due soon, overdue); ``placements.placement.v1`` by child id, so that a child's request, decision,
offers, placements, moves and deadlines reach subscribers in the order they happened."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.kent import Area, District

PLACEMENT = topic_named("placements.placement.v1")
SETTING = topic_named("placements.setting.v1")
CONSULTATION = topic_named("placements.consultation.v1")

SettingType = Literal["mainstream", "srp", "special", "pru", "early-years", "portage"]
Phase = Literal["early-years", "primary", "secondary", "post-16"]
NeedType = Literal[
    "ASD", "SLCN", "SEMH", "SPLD", "MLD", "SLD", "PMLD", "PD", "HI", "VI", "MSI", "OTH"
]
ClockKind = Literal[
    "decide_to_assess",
    "decide_not_to_issue",
    "final_ehcp",
    "consultation_reply",
    "school_transfer",
    "secondary_to_post_16",
    "post_16_move",
]
TransferKind = Literal[
    "early-years-to-reception",
    "infant-to-junior",
    "primary-to-secondary",
    "pre-16-to-post-16",
    "post-16-to-post-16",
]


class SettingRegistered(EventData):
    """A setting joined the registry (or its details changed): type, place, designation."""

    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    community_of_schools: str | None = None
    designation: tuple[str, ...] = ()
    lowest_year: int | None = None
    highest_year: int | None = None


class PlacementStarted(EventData):
    """A child started at a setting. ``transfer`` names a phase transfer, which re-opens
    funding applications; ``previous_setting_id`` and ``move_reason`` describe a move."""

    placement_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    phase: Phase
    year_group: int | None = None
    starts_on: date
    transfer: TransferKind | None = None
    previous_setting_id: str | None = None
    move_reason: str | None = None
    offer_id: str | None = None


class PlacementEnded(EventData):
    """A child's placement at a setting ended, with a reason code. ``left_early_years`` marks a
    child leaving an early years setting, which ends any SENIF award there."""

    placement_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    ends_on: date
    reason: str
    left_early_years: bool = False
    move_purpose: str | None = None


class YearGroupPlaces(EventData):
    year_group: int
    places: int


class CapacitySet(EventData):
    """A setting's places for an academic year, by year group or for its whole designation."""

    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    academic_year: str
    by_year_group: tuple[YearGroupPlaces, ...] = ()
    designated_places: int | None = None
    total_places: int


class CapacityOverridden(EventData):
    """A place offered beyond a setting's capacity, on an officer's authorised override."""

    setting_id: str
    academic_year: str
    year_group: int
    offer_id: str
    decision_id: str
    places: int
    held_before: int
    authorised_by: str
    authorised_role: str
    reason: str


class PlacementRequested(EventData):
    """A placement requested for a child: coarse attributes and the family's ranked settings."""

    request_id: str
    child_id: str
    district: District
    area: Area
    academic_year: str
    phase: Phase
    year_group: int
    need_type: NeedType
    has_ehcp: bool
    provision_sought: SettingType
    preferences: tuple[str, ...] = ()
    received_on: date


class ConsultationSent(EventData):
    """A setting consulted on a request; its reply is due on ``reply_due_on``."""

    consultation_id: str
    request_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    nearest_mainstream: bool
    preference_rank: int | None = None
    sent_on: date
    reply_due_on: date
    timescales_version: str


class ConsultationAnswered(EventData):
    """A consulted setting accepted or declined (with a reason code)."""

    consultation_id: str
    request_id: str
    setting_id: str
    answer: Literal["accept", "decline"]
    reason: str | None = None
    answered_on: date
    reply_due_on: date
    on_time: bool


class ConsultationReplyDueSoon(EventData):
    """A consultation's reply clock reached its warning point with no reply (raised once)."""

    consultation_id: str
    request_id: str
    setting_id: str
    reply_due_on: date
    as_of: date
    days_left: int


class ConsultationOverdue(EventData):
    """A consulted setting did not reply within the statutory days (raised once)."""

    consultation_id: str
    request_id: str
    setting_id: str
    reply_due_on: date
    as_of: date
    days_overdue: int


class OptionConsideredRecord(EventData):
    option: str
    not_enough_because: str


class PreferenceRefusalRecord(EventData):
    setting_id: str
    reason: str


class PanelMemberRecord(EventData):
    member_id: str
    role: str
    declared_interests: tuple[str, ...]
    recused: bool


class VoteRecord(EventData):
    member_id: str
    choice: str


class PlacementDecided(EventData):
    """The panel named a setting for a request. ``record`` is the full decision as an auditor
    re-derives it; the rationale is a reference (document id and SHA-256), never its text."""

    decision_id: str
    request_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    academic_year: str
    phase: Phase
    year_group: int
    need_type: NeedType
    decided_on: date
    options_considered: tuple[OptionConsideredRecord, ...] = ()
    preference_refusals: tuple[PreferenceRefusalRecord, ...] = ()
    panel_id: str
    panel: tuple[PanelMemberRecord, ...]
    votes: tuple[VoteRecord, ...]
    rationale_document_id: str
    rationale_sha256: str
    record: dict[str, Any]


class OfferMade(EventData):
    """A place offered following a decision; ``over_capacity`` when an override allowed it."""

    offer_id: str
    decision_id: str
    request_id: str
    child_id: str
    setting_id: str
    setting_type: SettingType
    district: District
    area: Area
    academic_year: str
    year_group: int
    made_on: date
    over_capacity: bool = False


class OfferAccepted(EventData):
    offer_id: str
    request_id: str
    child_id: str
    setting_id: str
    accepted_on: date


class OfferDeclined(EventData):
    """An offer declined, with a reason code; the place is freed."""

    offer_id: str
    request_id: str
    child_id: str
    setting_id: str
    declined_on: date
    reason: str


class AmendedPlanIssued(EventData):
    """The amended plan naming the child's next placement was issued; it stops the placement's
    transfer and post-16 move clocks."""

    placement_id: str
    child_id: str
    issued_on: date


class Post16MovePlanned(EventData):
    """A move between post-16 institutions planned; the amended plan is due ``due_on``."""

    placement_id: str
    child_id: str
    moves_on: date
    due_on: date


class AssessmentStepRecorded(EventData):
    """A step of an EHC needs assessment, which starts or stops its statutory clocks."""

    assessment_id: str
    child_id: str
    district: District
    area: Area
    step: Literal[
        "assessment_requested",
        "decided_to_assess",
        "decided_not_to_assess",
        "draft_plan_issued",
        "decided_not_to_issue",
        "final_plan_issued",
    ]
    on: date


class ClockExceptionRecorded(EventData):
    """An allowed exception to a statutory clock, with its kind and a reason code."""

    exception_id: str
    subject_id: str
    child_id: str
    clock: ClockKind
    kind: Literal["child_away", "exceptional_personal_circumstances", "setting_closed"]
    reason: str
    from_on: date
    until: date | None = None


class DeadlineWarning(EventData):
    """A statutory clock reached its warning point unmet (raised once per clock)."""

    subject_id: str
    child_id: str
    clock: ClockKind
    due_on: date
    as_of: date
    days_left: int
    timescales_version: str


class DeadlineBreached(EventData):
    """A statutory clock passed its due day unmet (raised once per clock)."""

    subject_id: str
    child_id: str
    clock: ClockKind
    due_on: date
    as_of: date
    days_overdue: int
    timescales_version: str


SETTING_REGISTERED = CONTRACTS.register("placements.setting.registered", SETTING, SettingRegistered)
PLACEMENT_STARTED = CONTRACTS.register("placements.placement.started", PLACEMENT, PlacementStarted)
PLACEMENT_ENDED = CONTRACTS.register("placements.placement.ended", PLACEMENT, PlacementEnded)
CAPACITY_SET = CONTRACTS.register("placements.setting.capacity-set", SETTING, CapacitySet)
CAPACITY_OVERRIDDEN = CONTRACTS.register(
    "placements.setting.capacity-overridden", SETTING, CapacityOverridden
)
PLACEMENT_REQUESTED = CONTRACTS.register(
    "placements.placement.requested", PLACEMENT, PlacementRequested
)
PLACEMENT_DECIDED = CONTRACTS.register("placements.placement.decided", PLACEMENT, PlacementDecided)
OFFER_MADE = CONTRACTS.register("placements.placement.offer-made", PLACEMENT, OfferMade)
OFFER_ACCEPTED = CONTRACTS.register("placements.placement.offer-accepted", PLACEMENT, OfferAccepted)
OFFER_DECLINED = CONTRACTS.register("placements.placement.offer-declined", PLACEMENT, OfferDeclined)
AMENDED_PLAN_ISSUED = CONTRACTS.register(
    "placements.placement.amended-plan-issued", PLACEMENT, AmendedPlanIssued
)
POST_16_MOVE_PLANNED = CONTRACTS.register(
    "placements.placement.post-16-move-planned", PLACEMENT, Post16MovePlanned
)
ASSESSMENT_STEP_RECORDED = CONTRACTS.register(
    "placements.placement.assessment-step-recorded", PLACEMENT, AssessmentStepRecorded
)
CLOCK_EXCEPTION_RECORDED = CONTRACTS.register(
    "placements.placement.clock-exception-recorded", PLACEMENT, ClockExceptionRecorded
)
DEADLINE_WARNING = CONTRACTS.register(
    "placements.placement.deadline-warning", PLACEMENT, DeadlineWarning
)
DEADLINE_BREACHED = CONTRACTS.register(
    "placements.placement.deadline-breached", PLACEMENT, DeadlineBreached
)
CONSULTATION_SENT = CONTRACTS.register(
    "placements.consultation.sent", CONSULTATION, ConsultationSent
)
CONSULTATION_ANSWERED = CONTRACTS.register(
    "placements.consultation.answered", CONSULTATION, ConsultationAnswered
)
CONSULTATION_REPLY_DUE_SOON = CONTRACTS.register(
    "placements.consultation.reply-due-soon", CONSULTATION, ConsultationReplyDueSoon
)
CONSULTATION_OVERDUE = CONTRACTS.register(
    "placements.consultation.overdue", CONSULTATION, ConsultationOverdue
)
