"""The funding service's one error type, and the codes it carries."""

from enum import StrEnum


class RefusalCode(StrEnum):
    """Why the domain refused to do something. Stable codes for APIs and decision logs."""

    NO_POLICY_IN_FORCE = "no_policy_in_force"
    POLICY_NOT_IN_FORCE = "policy_not_in_force"
    AMBIGUOUS_POLICY = "ambiguous_policy"
    POLICY_VERSION_CONFLICT = "policy_version_conflict"
    UNKNOWN_POLICY_VERSION = "unknown_policy_version"
    POLICY_VERSION_MISMATCH = "policy_version_mismatch"
    UNKNOWN_BAND = "unknown_band"

    EVALUATION_DOES_NOT_MATCH_APPLICATION = "evaluation_does_not_match_application"
    RATIONALE_MISSING = "rationale_missing"
    VOTE_FROM_NON_MEMBER = "vote_from_non_member"
    MEMBER_VOTED_TWICE = "member_voted_twice"
    RECUSED_MEMBER_VOTED = "recused_member_voted"
    QUORUM_NOT_MET = "quorum_not_met"
    PROPOSAL_NOT_CARRIED = "proposal_not_carried"
    NOT_ON_PANEL = "not_on_panel"
    MEMBER_NOT_ELIGIBLE = "member_not_eligible"
    MUST_RECUSE = "must_recuse"
    NO_ELIGIBLE_MEMBERS = "no_eligible_members"
    PANEL_AREA_FIXED = "panel_area_fixed"
    APPLICATION_INCOMPLETE = "application_incomplete"
    APPLICATION_INELIGIBLE = "application_ineligible"
    DECLINE_WITHOUT_REASONS = "decline_without_reasons"
    DEFERRAL_WITHOUT_ITEMS = "deferral_without_items"
    DEFERRAL_OMITS_MISSING_ITEMS = "deferral_omits_missing_items"
    REVIEW_NOT_AFTER_START = "review_not_after_start"
    REVIEW_TOO_LATE = "review_too_late"

    SENIF_INELIGIBLE = "senif_ineligible"
    SENIF_HOURS_ABOVE_CAP = "senif_hours_above_cap"
    QUALITY_ASSURED_BY_DECIDING_OFFICER = "quality_assured_by_deciding_officer"
    AWARD_ALREADY_ENDED = "award_already_ended"
    EVENT_FOR_ANOTHER_CHILD = "event_for_another_child"
    EVENT_FOR_ANOTHER_SETTING = "event_for_another_setting"
    AWARD_ENDS_BEFORE_START = "award_ends_before_start"

    CHILD_NOT_ON_DLA = "child_not_on_dla"
    DAF_ALREADY_CLAIMED = "daf_already_claimed"

    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    OVER_COMMITMENT_WITHOUT_OVERRIDE = "over_commitment_without_override"
    OVERRIDE_WITHOUT_REASON = "override_without_reason"
    DUPLICATE_COMMITMENT = "duplicate_commitment"
    UNKNOWN_COMMITMENT = "unknown_commitment"
    RELEASE_EXCEEDS_COMMITMENT = "release_exceeds_commitment"

    DECIDED_BEFORE_COMPLETE = "decided_before_complete"

    CHALLENGE_BEFORE_DECISION = "challenge_before_decision"
    CHALLENGE_ALREADY_RESOLVED = "challenge_already_resolved"
    CHALLENGE_WITHOUT_REASONS = "challenge_without_reasons"
    RESOLVED_BEFORE_LODGED = "resolved_before_lodged"


class DecisionRefused(Exception):
    """The domain refused: `code` says why, `details` name what (rule names, item codes)."""

    def __init__(self, code: RefusalCode, details: tuple[str, ...] = ()) -> None:
        super().__init__(code.value if not details else f"{code.value}: {', '.join(details)}")
        self.code = code
        self.details = details
