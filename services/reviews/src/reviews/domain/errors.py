"""The reviews service's one error type, and the codes it carries."""

from enum import StrEnum


class RefusalCode(StrEnum):
    """Why the domain refused to do something. Stable codes for APIs and the decision log."""

    SETTING_NOT_IN_CYCLE = "setting_not_in_cycle"
    REVIEW_NOT_IN_CYCLE = "review_not_in_cycle"

    INVALID_TRANSITION = "invalid_transition"
    WRONG_STAGE = "wrong_stage"
    SELF_EVALUATION_MISSING = "self_evaluation_missing"
    NO_REVIEWER = "no_reviewer"
    REPORT_MISSING = "report_missing"
    ACTION_PLAN_MISSING = "action_plan_missing"
    FOLLOW_UP_MISSING = "follow_up_missing"

    REVIEWER_NOT_ENROLLED = "reviewer_not_enrolled"
    REVIEWER_NOT_ELIGIBLE = "reviewer_not_eligible"
    REVIEWER_FROM_REVIEWED_SETTING = "reviewer_from_reviewed_setting"
    REVIEWER_DECLARED_CONFLICT = "reviewer_declared_conflict"
    REVIEWER_NOT_TRAINED = "reviewer_not_trained"
    REVIEWER_NOT_A_PARTNER = "reviewer_not_a_partner"
    REVIEWER_ALREADY_ASSIGNED = "reviewer_already_assigned"
    RECIPROCAL_REVIEW = "reciprocal_review"

    ESTIMATES_NOT_TURNED_ON = "estimates_not_turned_on"

    ACTION_NOT_FOR_AN_AREA_FOR_DEVELOPMENT = "action_not_for_an_area_for_development"
    ACTION_ALREADY_DONE = "action_already_done"
    ACTION_DUE_BEFORE_AGREED = "action_due_before_agreed"
    UNKNOWN_ACTION = "unknown_action"
    DONE_BEFORE_AGREED = "done_before_agreed"
    FOLLOW_UP_BEFORE_AGREED = "follow_up_before_agreed"
    FOLLOW_UP_NOT_ONCE_PER_ACTION = "follow_up_not_once_per_action"

    GRANT_TO_THEMES_ONLY_ROLE = "grant_to_themes_only_role"
    DUPLICATE_GRANT = "duplicate_grant"
    UNKNOWN_GRANT = "unknown_grant"
    GRANT_ALREADY_REVOKED = "grant_already_revoked"
    REVOKED_BEFORE_GRANTED = "revoked_before_granted"


class ReviewRefused(Exception):
    """The domain refused: `code` says why, `details` name what (ids, stages, areas).

    For `INVALID_TRANSITION` the details are the allowed next stages (none once closed); the API
    answers 409 Conflict with them.
    """

    def __init__(self, code: RefusalCode, details: tuple[str, ...] = ()) -> None:
        super().__init__(code.value if not details else f"{code.value}: {', '.join(details)}")
        self.code = code
        self.details = details
