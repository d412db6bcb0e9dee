"""How the domain's refusals reach an HTTP client: a problem naming the rule, 409 when the thing
is in the wrong state for it, 422 otherwise."""

from __future__ import annotations

from feedback.domain.errors import FeedbackRefused, RefusalCode
from inclusion_shared.web.problems import Conflict, Problem, Unprocessable

WRONG_STATE = {
    RefusalCode.SURVEY_NOT_DRAFT,
    RefusalCode.SURVEY_NOT_OPEN,
    RefusalCode.SURVEY_CLOSED,
    RefusalCode.RESPONSE_NOT_OPEN_TO_MODERATION,
    RefusalCode.CONSENT_ALREADY_WITHDRAWN,
    RefusalCode.ACTION_ALREADY_FINISHED,
    RefusalCode.ACTION_STATUS_UNCHANGED,
    RefusalCode.ACTION_CANNOT_GO_BACK,
}


def as_problem(refusal: FeedbackRefused) -> Problem:
    kind = Conflict if refusal.code in WRONG_STATE else Unprocessable
    return kind(str(refusal), code=refusal.code.value, details=list(refusal.details))
