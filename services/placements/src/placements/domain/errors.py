"""The placements service's one error type, and the codes it carries."""

from enum import StrEnum


class RefusalCode(StrEnum):
    """Why the domain refused to do something. Stable codes for APIs and decision logs."""

    UNKNOWN_SETTING = "unknown_setting"
    SETTING_ALREADY_REGISTERED = "setting_already_registered"
    YEAR_RANGE_REVERSED = "year_range_reversed"
    PRE_SCHOOL_PROVISION_TAKES_SCHOOL_YEARS = "pre_school_provision_takes_school_years"
    DESIGNATION_ON_UNDESIGNATED_PROVISION = "designation_on_undesignated_provision"
    DESIGNATION_WITHOUT_NEED_TYPES = "designation_without_need_types"
    NEED_TYPE_DESIGNATED_TWICE = "need_type_designated_twice"
    SEMH_SRP = "semh_srp"
    SECONDARY_SRP_OUTSIDE_YEARS_7_TO_11 = "secondary_srp_outside_years_7_to_11"
    YEAR_GROUP_NOT_TAKEN = "year_group_not_taken"
    NEED_NOT_IN_DESIGNATION = "need_not_in_designation"

    CONSULTED_BEFORE_REQUEST = "consulted_before_request"
    NEAREST_IS_NOT_MAINSTREAM = "nearest_is_not_mainstream"
    ALREADY_REPLIED = "already_replied"
    REPLY_BEFORE_CONSULTATION = "reply_before_consultation"
    DECLINE_WITHOUT_REASON = "decline_without_reason"

    NOT_A_PREFERENCE = "not_a_preference"
    REFUSAL_WITHOUT_STATUTORY_REASON = "refusal_without_statutory_reason"
    OPTIONS_NOT_EXHAUSTED = "options_not_exhausted"
    OPTION_CONSIDERED_TWICE = "option_considered_twice"

    RATIONALE_MISSING = "rationale_missing"
    DECIDED_BEFORE_REQUEST = "decided_before_request"
    CONSULTATION_FOR_ANOTHER_REQUEST = "consultation_for_another_request"
    NEAREST_MAINSTREAM_NOT_CONSULTED = "nearest_mainstream_not_consulted"
    SETTING_NOT_CONSULTED = "setting_not_consulted"
    REFUSAL_FOR_ANOTHER_REQUEST = "refusal_for_another_request"
    NAMED_SETTING_REFUSED = "named_setting_refused"
    PREFERENCE_NOT_REFUSED = "preference_not_refused"
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

    OFFER_BEFORE_DECISION = "offer_before_decision"
    CAPACITY_OF_ANOTHER_SETTING = "capacity_of_another_setting"
    CAPACITY_FOR_ANOTHER_YEAR = "capacity_for_another_year"
    OVER_CAPACITY_WITHOUT_OVERRIDE = "over_capacity_without_override"
    OFFER_ALREADY_ANSWERED = "offer_already_answered"
    ANSWER_BEFORE_OFFER = "answer_before_offer"

    OFFER_NOT_ACCEPTED = "offer_not_accepted"
    START_BEFORE_ACCEPTANCE = "start_before_acceptance"
    PLACEMENT_OF_ANOTHER_CHILD = "placement_of_another_child"
    PREVIOUS_PLACEMENT_NOT_ENDED = "previous_placement_not_ended"
    PLACEMENT_ALREADY_ENDED = "placement_already_ended"
    ENDS_BEFORE_START = "ends_before_start"
    MOVE_WITHOUT_PURPOSE = "move_without_purpose"
    PURPOSE_WITHOUT_MOVE = "purpose_without_move"

    NOT_ONE_ASSESSMENT_REQUEST = "not_one_assessment_request"
    STEP_BEFORE_REQUEST = "step_before_request"
    NO_PHASE_TRANSFER_AHEAD = "no_phase_transfer_ahead"
    NO_EXCEPTIONS_TO_THIS_CLOCK = "no_exceptions_to_this_clock"
    EXCEPTION_ENDS_BEFORE_IT_STARTS = "exception_ends_before_it_starts"
    EXCEPTION_TOO_SHORT = "exception_too_short"
    NOT_A_POST_16_PLACEMENT = "not_a_post_16_placement"
    MOVE_BEFORE_PLACEMENT_STARTS = "move_before_placement_starts"


class DecisionRefused(Exception):
    """The domain refused: `code` says why, `details` name what (setting ids, options, codes)."""

    def __init__(self, code: RefusalCode, details: tuple[str, ...] = ()) -> None:
        super().__init__(code.value if not details else f"{code.value}: {', '.join(details)}")
        self.code = code
        self.details = details
