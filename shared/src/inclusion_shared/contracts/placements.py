"""Placement events: the suite's most-read contract. Funding, feedback, monitoring and outside
services subscribe to them. Pseudonymous ids and coarse codes only: a panel's written rationale
stays in the placements service, represented here by its document id and SHA-256.

Topics and keys: ``placements.setting.v1`` is keyed by setting id (registration, capacity,
capacity overrides); ``placements.consultation.v1`` by consultation id (sent, answered, reply
due soon, overdue); ``placements.panel.v1`` by panel id (rosters set, votes cast);
``placements.placement.v1`` by child id, so that a child's request, decision,
offers, placements, moves and deadlines reach subscribers in the order they happened.

Year groups are integers: -1 early years (the final pre-school year, and any younger child), 0
Reception, 1 to 14 Years 1 to 14. Academic years run 1 September to 31 August, written like
"2026-27". Every period is in calendar days, weekends and holidays included."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.identifiers import ChildId, PersonId
from inclusion_shared.kent import Area, District

PLACEMENT = topic_named("placements.placement.v1")
SETTING = topic_named("placements.setting.v1")
CONSULTATION = topic_named("placements.consultation.v1")
PANEL = topic_named("placements.panel.v1")

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

_CHILD_ID = "Server-minted pseudonymous id of the child (`child-` and 20 hex digits)."
_SETTING_ID = "Pseudonymous id of the setting."
_SETTING_TYPE = (
    "The kind of provision: mainstream, srp (specialist resource provision in a mainstream "
    "school), special (special school), pru (pupil referral unit), early-years (PVI setting, "
    "maintained nursery or childminder) or portage (home visiting)."
)
_SETTING_DISTRICT = "The setting's Kent district."
_SETTING_AREA = "The Kent area (Area Board) of the setting's district."
_ACADEMIC_YEAR = 'The September-August academic year, written like "2026-27".'
_PHASE = (
    "The phase of year_group: early-years (-1), primary (0-6), secondary (7-11), post-16 (12+)."
)
_NEED_TYPE = (
    "The child's primary type of need, as the DfE's SEN2 codes it: ASD, SLCN, SEMH, SPLD, MLD, "
    "SLD, PMLD, PD, HI, VI, MSI, or OTH (other)."
)
_REQUEST_ID = "Pseudonymous id of the placement request."
_CONSULTATION_ID = "Pseudonymous id of the consultation (one setting consulted on one request)."
_CONSULTED_SETTING_ID = "Pseudonymous id of the consulted setting."
_REPLY_DUE_ON = "The last day for the consulted setting's reply to be on time."
_AS_OF = "The day the clock was read (the sweep's day)."
_CLOCK = (
    "The statutory clock: decide_to_assess, decide_not_to_issue and final_ehcp (6, 16 and 20 "
    "weeks from the assessment request under send-regulations-2014); school_transfer (the "
    "amended plan by 15 February of the calendar year of the transfer); secondary_to_post_16 "
    "(by 31 March); post_16_move (5 months before the move). consultation_reply clocks have "
    "consultation events of their own."
)
_YEAR_GROUP = "(-1 early years, 0 Reception, 1 to 14 Years 1 to 14)"
_SUBJECT_ID = (
    "The case the clock belongs to: the assessment's id for decide_to_assess, "
    "decide_not_to_issue and final_ehcp; the placement's id for school_transfer, "
    "secondary_to_post_16 and post_16_move."
)
_TIMESCALES_VERSION = (
    'The version of the statutory timescales the due day was computed under, e.g. "send-'
    'regulations-2014".'
)
_OFFER_ID = "Pseudonymous id of the offer of a place."
_PLACEMENT_ID = "Pseudonymous id of the placement."


class SettingRegistered(EventData):
    """A setting joined the registry (or its details changed): type, place, designation."""

    setting_id: str = Field(description=_SETTING_ID)
    setting_type: SettingType = Field(description=_SETTING_TYPE)
    district: District = Field(description=_SETTING_DISTRICT)
    area: Area = Field(description=_SETTING_AREA)
    community_of_schools: str | None = Field(
        None,
        description=(
            "Pseudonymous id of the setting's Community of Schools; the placements service "
            "always sets it (null would mean not known)."
        ),
    )
    designation: tuple[str, ...] = Field(
        (),
        description=(
            "The need types (SEN2 codes, as need_type elsewhere) the setting is designated for; "
            "empty unless setting_type is srp or special. An srp is never designated SEMH."
        ),
    )
    lowest_year: int | None = Field(
        None,
        description=(
            "The lowest year group the setting takes " + _YEAR_GROUP + "; for an srp, of its "
            "designated range. The placements service always sets it (null would mean not known)."
        ),
    )
    highest_year: int | None = Field(
        None,
        description=(
            "The highest year group the setting takes " + _YEAR_GROUP + "; for an srp, of its "
            "designated range. The placements service always sets it (null would mean not known)."
        ),
    )
    name: str | None = Field(
        None,
        max_length=120,
        description="What people call the setting (a school's name is not personal data); "
        "null when the registry was not told.",
    )
    community_name: str | None = Field(
        None,
        max_length=120,
        description="What people call the setting's Community of Schools; null when the "
        "registry was not told.",
    )


class PlacementStarted(EventData):
    """A child started at a setting. ``transfer`` names a phase transfer, which re-opens
    funding applications; ``previous_setting_id`` and ``move_reason`` describe a move."""

    placement_id: str = Field(description=_PLACEMENT_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting the child started at.")
    setting_type: SettingType = Field(description=_SETTING_TYPE)
    district: District = Field(description=_SETTING_DISTRICT)
    area: Area = Field(description=_SETTING_AREA)
    phase: Phase = Field(description=_PHASE)
    year_group: int | None = Field(
        None,
        description=(
            "The child's year group on starts_on " + _YEAR_GROUP + "; the placements service "
            "always sets it (null would mean not known)."
        ),
    )
    starts_on: date = Field(description="The child's first day at the setting.")
    transfer: TransferKind | None = Field(
        None,
        description=(
            "The transfer this start makes from the child's previous placement: "
            "early-years-to-reception, infant-to-junior (Year 2 at an infant school to Year 3), "
            "primary-to-secondary, pre-16-to-post-16, post-16-to-post-16 (another post-16 "
            "institution). Null for a first placement or a move within a phase. Funding asks "
            "for a new HNF application after primary-to-secondary and pre-16-to-post-16."
        ),
    )
    previous_setting_id: str | None = Field(
        None,
        description=(
            "The setting of the child's previous (ended) placement, which may be the same "
            "setting; null for the child's first placement."
        ),
    )
    move_reason: str | None = Field(
        None,
        description=(
            "The move_purpose recorded when the previous placement ended with moved_provision "
            "(values as placements.placement.ended's move_purpose); null otherwise."
        ),
    )
    offer_id: str | None = Field(
        None,
        description=(
            "The accepted offer the placement started from; the placements service always "
            "sets it (null would mean not known)."
        ),
    )


class PlacementEnded(EventData):
    """A child's placement at a setting ended, with a reason code. ``left_early_years`` marks a
    child leaving an early years setting, which ends any SENIF award there."""

    placement_id: str = Field(description=_PLACEMENT_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting the child left.")
    setting_type: SettingType = Field(description=_SETTING_TYPE)
    district: District = Field(description=_SETTING_DISTRICT)
    area: Area = Field(description=_SETTING_AREA)
    ends_on: date = Field(description="The last day of the placement.")
    reason: str = Field(
        description=(
            "Why it ended: phase_transfer, moved_provision, left_kent, left_education or "
            "permanently_excluded."
        )
    )
    left_early_years: bool = Field(
        False,
        description=(
            "True when the placement was at an early-years setting, whatever the reason "
            "(a move too); false for every other setting type, portage included."
        ),
    )
    move_purpose: str | None = Field(
        None,
        description=(
            "The purpose of a move, when reason is moved_provision: meet_changed_needs, "
            "return_to_mainstream, time_limited_intervention, assessment_placement or "
            "nearer_home. Null for every other reason."
        ),
    )


class YearGroupPlaces(EventData):
    year_group: int = Field(description="The year group " + _YEAR_GROUP + ".")
    places: int = Field(description="The setting's places in that year group (0 or more).")


class CapacitySet(EventData):
    """A setting's places for an academic year, by year group or for its whole designation."""

    setting_id: str = Field(description=_SETTING_ID)
    setting_type: SettingType = Field(description=_SETTING_TYPE)
    district: District = Field(description=_SETTING_DISTRICT)
    area: Area = Field(description=_SETTING_AREA)
    academic_year: str = Field(
        description=_ACADEMIC_YEAR + " Replaces what was recorded for this setting and year."
    )
    by_year_group: tuple[YearGroupPlaces, ...] = Field(
        (),
        description=(
            "Places per year group, each year group at most once (one not listed has none); "
            "empty when places are counted for the whole designation."
        ),
    )
    designated_places: int | None = Field(
        None,
        description=(
            "Places for the whole designation, whatever the year group; null when places are "
            "counted by year group."
        ),
    )
    total_places: int = Field(description="All the setting's places in the academic year.")


class CapacityOverridden(EventData):
    """A place offered beyond a setting's capacity, on an officer's authorised override."""

    setting_id: str = Field(description=_SETTING_ID)
    academic_year: str = Field(description=_ACADEMIC_YEAR)
    year_group: int = Field(description="The year group of the place offered " + _YEAR_GROUP + ".")
    offer_id: str = Field(description="The offer made beyond capacity.")
    decision_id: str = Field(description="The placement decision the offer follows.")
    places: int = Field(
        description=(
            "The places that count for the year group: those of the year group, or the whole "
            "designation's when places are counted by designation."
        )
    )
    held_before: int = Field(
        description="Places already held (by offers made or accepted) in that count before it."
    )
    authorised_by: PersonId = Field(description="The id of the person who authorised it.")
    authorised_role: str = Field(
        description=(
            "Their role: kcc-officer or headteacher (the placements API lets only a KCC officer "
            "authorise today)."
        )
    )
    reason: str = Field(description="Why the override was allowed, as a snake_case code.")


class PlacementRequested(EventData):
    """A placement requested for a child: coarse attributes and the family's ranked settings."""

    request_id: str = Field(description=_REQUEST_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    district: District = Field(description="The Kent district where the child lives.")
    area: Area = Field(description="The Kent area (Area Board) of the child's district.")
    academic_year: str = Field(description=_ACADEMIC_YEAR + " The year the place is for.")
    phase: Phase = Field(description=_PHASE)
    year_group: int = Field(
        description="The year group the child is to be placed in " + _YEAR_GROUP + "."
    )
    need_type: NeedType = Field(description=_NEED_TYPE)
    has_ehcp: bool = Field(description="True when the child has an EHCP.")
    provision_sought: SettingType = Field(
        description="The kind of provision requested (values as setting_type elsewhere)."
    )
    preferences: tuple[str, ...] = Field(
        (),
        description=(
            "The family's preferred settings by id, most preferred first (at most 10); empty "
            "when they named none."
        ),
    )
    received_on: date = Field(description="The day the request was received.")


class ConsultationSent(EventData):
    """A setting consulted on a request; its reply is due on ``reply_due_on``."""

    consultation_id: str = Field(description=_CONSULTATION_ID)
    request_id: str = Field(description=_REQUEST_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description=_CONSULTED_SETTING_ID)
    setting_type: SettingType = Field(description=_SETTING_TYPE + " As it was when consulted.")
    nearest_mainstream: bool = Field(
        description=(
            "True for the nearest suitable mainstream school, which is always consulted, "
            "named by the family or not."
        )
    )
    preference_rank: int | None = Field(
        None,
        description=(
            "The family's rank for the setting (1 = first preference); null when the family "
            "did not name it."
        ),
    )
    sent_on: date = Field(description="The day the setting was consulted.")
    reply_due_on: date = Field(
        description=_REPLY_DUE_ON + " sent_on plus the reply days (15 under send-regulations-2014)."
    )
    timescales_version: str = Field(description=_TIMESCALES_VERSION)


class ConsultationAnswered(EventData):
    """A consulted setting accepted or declined (with a reason code)."""

    consultation_id: str = Field(description=_CONSULTATION_ID)
    request_id: str = Field(description=_REQUEST_ID)
    setting_id: str = Field(description=_CONSULTED_SETTING_ID)
    answer: Literal["accept", "decline"] = Field(
        description="Whether the setting can take the child."
    )
    reason: str | None = Field(
        None,
        description=(
            "The setting's reason, as a snake_case code; always given with a decline, null "
            "when an acceptance gave none."
        ),
    )
    answered_on: date = Field(description="The day the setting replied.")
    reply_due_on: date = Field(description=_REPLY_DUE_ON)
    on_time: bool = Field(description="True when answered_on is on or before reply_due_on.")


class ConsultationReplyDueSoon(EventData):
    """A consultation's reply clock reached its warning point with no reply (raised once)."""

    consultation_id: str = Field(description=_CONSULTATION_ID)
    request_id: str = Field(description=_REQUEST_ID)
    setting_id: str = Field(description=_CONSULTED_SETTING_ID)
    reply_due_on: date = Field(description=_REPLY_DUE_ON)
    as_of: date = Field(description=_AS_OF)
    days_left: int = Field(
        description="Calendar days from as_of to reply_due_on; 0 when the reply is due that day."
    )


class ConsultationOverdue(EventData):
    """A consulted setting did not reply within the statutory days (raised once)."""

    consultation_id: str = Field(description=_CONSULTATION_ID)
    request_id: str = Field(description=_REQUEST_ID)
    setting_id: str = Field(description=_CONSULTED_SETTING_ID)
    reply_due_on: date = Field(description=_REPLY_DUE_ON)
    as_of: date = Field(description=_AS_OF)
    days_overdue: int = Field(description="Calendar days from reply_due_on to as_of; at least 1.")


class OptionConsideredRecord(EventData):
    option: str = Field(
        description=(
            "An option considered before a specialist placement: graduated_response, "
            "lift_or_stls, nearest_mainstream or srp."
        )
    )
    not_enough_because: str = Field(
        description="Why the option was not enough, as a snake_case code."
    )


class PreferenceRefusalRecord(EventData):
    setting_id: str = Field(description="The family's preferred setting that was not named.")
    reason: str = Field(
        description=(
            "The statutory reason: unsuitable_for_age_ability_aptitude_or_need, "
            "incompatible_with_efficient_education_of_others or "
            "incompatible_with_efficient_use_of_resources (cost, transport included)."
        )
    )


class PanelMemberRecord(EventData):
    member_id: PersonId = Field(description="The person id of the panel member.")
    role: str = Field(
        description="What the member sits on the panel as: senco, headteacher or kcc-officer."
    )
    declared_interests: tuple[str, ...] = Field(
        description="Ids of the settings the member declared an interest in; may be empty."
    )
    recused: bool = Field(
        description=(
            "True when the member declared an interest in a setting under decision (the named "
            "setting, a preference or a consulted setting), so did not vote."
        )
    )


class VoteRecord(EventData):
    member_id: PersonId = Field(description="The person id of the member who voted.")
    choice: str = Field(
        description="for, against or abstain (an abstention counts towards quorum)."
    )


class PlacementDecided(EventData):
    """The panel named a setting for a request. ``record`` is the full decision as an auditor
    re-derives it; the rationale is a reference (document id and keyed digest), never its text."""

    decision_id: str = Field(description="Pseudonymous id of the decision.")
    request_id: str = Field(description=_REQUEST_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting the panel named.")
    setting_type: SettingType = Field(description=_SETTING_TYPE)
    district: District = Field(description="The named setting's Kent district.")
    area: Area = Field(description="The Kent area (Area Board) of the named setting's district.")
    academic_year: str = Field(description=_ACADEMIC_YEAR + " The year the place is for.")
    phase: Phase = Field(description=_PHASE)
    year_group: int = Field(
        description="The year group the child is to be placed in " + _YEAR_GROUP + "."
    )
    need_type: NeedType = Field(description=_NEED_TYPE)
    decided_on: date = Field(description="The day the panel decided.")
    options_considered: tuple[OptionConsideredRecord, ...] = Field(
        (),
        description=(
            "The less specialist options considered and why each was not enough: every option "
            "before an srp for an srp placement, all four for special or pru; may be empty for "
            "other provision."
        ),
    )
    preference_refusals: tuple[PreferenceRefusalRecord, ...] = Field(
        (),
        description=(
            "The family's preferences not named, each with its statutory reason; every "
            "preference ranked above the named setting (every preference, when the named "
            "setting is not one) is among them."
        ),
    )
    panel_id: str = Field(description="Pseudonymous id of the panel that decided.")
    panel: tuple[PanelMemberRecord, ...] = Field(description="The panel's members, at least one.")
    votes: tuple[VoteRecord, ...] = Field(
        description=(
            "The votes cast; more for than against, and none from a recused member. On a "
            "proposal, every vote cast on it, in the order cast, each by the member as "
            "themselves (see placements.panel.vote-cast)."
        )
    )
    proposal_id: str | None = Field(
        None,
        description=(
            "The proposal the panel voted on (see placements.panel.vote-cast); null for "
            "decisions recorded before panels kept rosters."
        ),
    )
    proposed_by: PersonId | None = Field(
        None,
        description=(
            "The person id of the KCC officer who put the proposal to the panel; null when "
            "proposal_id is."
        ),
    )
    roster_version: int | None = Field(
        None,
        description=(
            "The version of the panel's roster (see placements.panel.roster-set) whose members "
            "eligible on decided_on sat for the decision, under its quorum; null when "
            "proposal_id is."
        ),
    )
    rationale_document_id: str = Field(
        description=(
            "Id of the panel's written rationale, kept (encrypted) in the placements service."
        )
    )
    rationale_digest: str | None = Field(
        None,
        description=(
            "Lower-case hex HMAC-SHA256 of the rationale's UTF-8 text, surrounding whitespace "
            "trimmed, under a key derived from the child's personal-data key (the placements "
            "service recomputes it for the auditor while the key exists); erasing the child's "
            "key leaves it unverifiable and unlinkable. Null only for decisions recorded before "
            "rationale digests were keyed."
        ),
    )
    rationale_sha256: str | None = Field(
        None,
        description=(
            "No longer set: null since rationale digests were keyed (see rationale_digest). "
            "Decisions recorded before carry the plain SHA-256 of the rationale's text, which "
            "outlives the child's erasure."
        ),
    )
    record: dict[str, Any] = Field(
        description=(
            "The full decision record an auditor re-derives, as JSON: the request, the named "
            "setting, the consultations, the panel with its quorum, the proposal, the recused "
            "members and the rationale reference. Its shape is the placements service's."
        )
    )


class OfferMade(EventData):
    """A place offered following a decision; ``over_capacity`` when an override allowed it."""

    offer_id: str = Field(description=_OFFER_ID)
    decision_id: str = Field(description="The placement decision the offer follows.")
    request_id: str = Field(description=_REQUEST_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting offering the place.")
    setting_type: SettingType = Field(description=_SETTING_TYPE)
    district: District = Field(description=_SETTING_DISTRICT)
    area: Area = Field(description=_SETTING_AREA)
    academic_year: str = Field(description=_ACADEMIC_YEAR + " The year the place is for.")
    year_group: int = Field(description="The year group of the place " + _YEAR_GROUP + ".")
    made_on: date = Field(description="The day the offer was made.")
    over_capacity: bool = Field(
        False,
        description=(
            "True when no place was left and an authorised override allowed the offer "
            "(placements.setting.capacity-overridden records it)."
        ),
    )


class OfferAccepted(EventData):
    offer_id: str = Field(description=_OFFER_ID)
    request_id: str = Field(description=_REQUEST_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting offering the place.")
    accepted_on: date = Field(
        description="The day the offer was accepted (by the family, or an officer for them)."
    )


class OfferDeclined(EventData):
    """An offer declined, with a reason code; the place is freed."""

    offer_id: str = Field(description=_OFFER_ID)
    request_id: str = Field(description=_REQUEST_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting offering the place.")
    declined_on: date = Field(description="The day the offer was declined.")
    reason: str = Field(description="Why it was declined, as a snake_case code.")


class AmendedPlanIssued(EventData):
    """The amended plan naming the child's next placement was issued; it stops the placement's
    transfer and post-16 move clocks."""

    placement_id: str = Field(description="The child's current placement, whose clocks it stops.")
    child_id: ChildId = Field(description=_CHILD_ID)
    issued_on: date = Field(description="The day the amended plan was issued.")


class Post16MovePlanned(EventData):
    """A move between post-16 institutions planned; the amended plan is due ``due_on``."""

    placement_id: str = Field(description="The child's current post-16 placement.")
    child_id: ChildId = Field(description=_CHILD_ID)
    moves_on: date = Field(description="The day the child is to move.")
    due_on: date = Field(
        description=(
            "The last day for the amended plan: moves_on less the notice (5 months under "
            "send-regulations-2014)."
        )
    )


class AssessmentStepRecorded(EventData):
    """A step of an EHC needs assessment, which starts or stops its statutory clocks."""

    assessment_id: str = Field(description="Pseudonymous id of the EHC needs assessment.")
    child_id: ChildId = Field(description=_CHILD_ID)
    district: District = Field(
        description="The district recorded when the assessment was requested."
    )
    area: Area = Field(description="The Kent area (Area Board) of that district.")
    step: Literal[
        "assessment_requested",
        "decided_to_assess",
        "decided_not_to_assess",
        "draft_plan_issued",
        "decided_not_to_issue",
        "final_plan_issued",
    ] = Field(
        description=(
            "The step: assessment_requested starts the decide_to_assess, decide_not_to_issue "
            "and final_ehcp clocks; the later steps meet or withdraw them."
        )
    )
    on: date = Field(description="The day the step happened; the clocks count from it.")


class ClockExceptionRecorded(EventData):
    """An allowed exception to a statutory clock, with its kind and a reason code."""

    exception_id: str = Field(description="Pseudonymous id of the exception.")
    subject_id: str = Field(description="The EHC needs assessment whose clock it applies to.")
    child_id: ChildId = Field(description=_CHILD_ID)
    clock: ClockKind = Field(
        description=(
            "The clock excepted; under send-regulations-2014 only decide_to_assess, "
            "decide_not_to_issue and final_ehcp allow exceptions."
        )
    )
    kind: Literal["child_away", "exceptional_personal_circumstances", "setting_closed"] = Field(
        description=(
            "The exception the regulations allow; child_away and setting_closed last at least "
            "4 weeks (under send-regulations-2014). The due day does not move: the case leaves "
            "the timeliness figure reported excluding exceptions."
        )
    )
    reason: str = Field(description="The reason, as a snake_case code.")
    from_on: date = Field(description="The first day of the period the exception covers.")
    until: date | None = Field(
        None,
        description=(
            "The last day of the period, inclusive; null when open-ended, which only "
            "exceptional_personal_circumstances may be."
        ),
    )


class DeadlineWarning(EventData):
    """A statutory clock reached its warning point unmet (raised once per clock)."""

    subject_id: str = Field(description=_SUBJECT_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    clock: ClockKind = Field(description=_CLOCK)
    due_on: date = Field(description="The last day on which the duty is met on time.")
    as_of: date = Field(description=_AS_OF)
    days_left: int = Field(
        description=(
            "Calendar days from as_of to due_on; 0 when due that day. The warning point is a "
            "configured number of days before due_on for each kind of clock."
        )
    )
    timescales_version: str = Field(description=_TIMESCALES_VERSION)


class DeadlineBreached(EventData):
    """A statutory clock passed its due day unmet (raised once per clock)."""

    subject_id: str = Field(description=_SUBJECT_ID)
    child_id: ChildId = Field(description=_CHILD_ID)
    clock: ClockKind = Field(description=_CLOCK)
    due_on: date = Field(description="The last day on which the duty was met on time.")
    as_of: date = Field(description=_AS_OF)
    days_overdue: int = Field(description="Calendar days from due_on to as_of; at least 1.")
    timescales_version: str = Field(description=_TIMESCALES_VERSION)


_PANEL_ID = "Pseudonymous id of the panel: a local placement panel of one area."


class RosterMemberRecord(EventData):
    member_id: PersonId = Field(description="The person id of the panel member.")
    role: Literal["senco", "headteacher", "kcc-officer"] = Field(
        description="What the member sits on the panel as."
    )
    term_from: date = Field(description="The first day of the member's term on the panel.")
    term_to: date = Field(description="The last day of the member's term on the panel.")
    trained_on: date | None = Field(
        description=(
            "The day the member completed panel training; null if not yet trained. A member "
            "votes only on days within their term and on or after this day."
        )
    )
    declared_interests: tuple[str, ...] = Field(
        description=(
            "Ids of the settings the member declared an interest in; they recuse from "
            "decisions about those settings (named, preferred or consulted). May be empty."
        )
    )


class QuorumRecord(EventData):
    min_voting_members: int = Field(description="Members who must vote, at least (1 or more).")
    min_kcc_officers: int = Field(description="KCC officers among them, at least.")
    min_sencos: int = Field(description="SENCOs among them, at least.")


class PanelRosterSet(EventData):
    """A new version of a placement panel's stored roster, kept by an officer or added to by a
    member declaring an interest; the whole roster and its quorum, not a change to them."""

    panel_id: str = Field(description=_PANEL_ID)
    area: Area = Field(description="The Kent area the panel serves; it never changes.")
    version: int = Field(description="The roster's version: 1, then one more for each change.")
    members: tuple[RosterMemberRecord, ...] = Field(
        description="Every member on the roster, eligible or not, in the order kept."
    )
    quorum: QuorumRecord = Field(
        description="The panel's terms of reference: how many must vote, officers and SENCOs."
    )
    set_on: date = Field(description="The day this version was set.")


class VoteCast(EventData):
    """A placement panel member's vote on a proposal, cast by the member as themselves."""

    proposal_id: str = Field(description="Pseudonymous id of the proposal voted on.")
    request_id: str = Field(description="The placement request the proposal decides.")
    panel_id: str = Field(description=_PANEL_ID)
    member_id: PersonId = Field(
        description="The person id of the member who voted: their token's person."
    )
    choice: Literal["for", "against", "abstain"] = Field(description="How the member voted.")
    cast_on: date = Field(description="The day the vote was cast.")
    roster_version: int = Field(
        description="The version of the panel's roster the member was eligible under."
    )


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
ROSTER_SET = CONTRACTS.register("placements.panel.roster-set", PANEL, PanelRosterSet)
VOTE_CAST = CONTRACTS.register("placements.panel.vote-cast", PANEL, VoteCast)
