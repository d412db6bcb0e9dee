"""The feedback service's one error type, and the codes it carries."""

from enum import StrEnum


class RefusalCode(StrEnum):
    """Why the domain refused to do something. Stable codes for APIs and the event log."""

    DUPLICATE_QUESTION = "duplicate_question"
    DUPLICATE_OPTION = "duplicate_option"
    DUPLICATE_VOICE = "duplicate_voice"
    SCALE_WITHOUT_RANGE = "scale_without_range"
    SURVEY_NOT_DRAFT = "survey_not_draft"
    SURVEY_NOT_OPEN = "survey_not_open"
    SURVEY_CLOSED = "survey_closed"
    CLOSES_BEFORE_PUBLISHED = "closes_before_published"
    CLOSED_BEFORE_PUBLISHED = "closed_before_published"

    CONSENT_REQUIRED = "consent_required"
    CHILD_VIEWS_NEED_PARENT_CONSENT = "child_views_need_parent_consent"
    VOICE_NOT_INVITED = "voice_not_invited"
    ANONYMOUS_RESPONSE_NAMES_SOMEONE = "anonymous_response_names_someone"
    RESPONDENT_MISSING = "respondent_missing"
    NO_ANSWERS = "no_answers"
    UNKNOWN_QUESTION = "unknown_question"
    QUESTION_ANSWERED_TWICE = "question_answered_twice"
    ANSWER_OF_WRONG_KIND = "answer_of_wrong_kind"
    SCALE_VALUE_OUT_OF_RANGE = "scale_value_out_of_range"
    UNKNOWN_OPTION = "unknown_option"
    FREE_TEXT_TOO_LONG = "free_text_too_long"

    RESPONSE_NOT_OPEN_TO_MODERATION = "response_not_open_to_moderation"
    MODERATED_BEFORE_RECEIVED = "moderated_before_received"
    THEMES_MISSING = "themes_missing"
    CONSENT_ALREADY_WITHDRAWN = "consent_already_withdrawn"
    WITHDRAWN_BEFORE_RECEIVED = "withdrawn_before_received"

    UNKNOWN_THEME = "unknown_theme"
    DUE_BEFORE_PUBLISHED = "due_before_published"
    ACTION_ALREADY_FINISHED = "action_already_finished"
    ACTION_STATUS_UNCHANGED = "action_status_unchanged"
    ACTION_CANNOT_GO_BACK = "action_cannot_go_back"
    REASON_MISSING = "reason_missing"
    UPDATED_BEFORE_LAST_CHANGE = "updated_before_last_change"

    RESPONSE_OF_ANOTHER_SURVEY = "response_of_another_survey"
    NOT_A_COUNTED_QUESTION = "not_a_counted_question"


class FeedbackRefused(Exception):
    """The domain refused: `code` says why, `details` name what (question ids, codes, states)."""

    def __init__(self, code: RefusalCode, details: tuple[str, ...] = ()) -> None:
        super().__init__(code.value if not details else f"{code.value}: {', '.join(details)}")
        self.code = code
        self.details = details
