"""How the domain's refusals reach an HTTP client: a problem naming the rule, 422 unless the
rule is about who the caller is (403) or the state the record is in (409)."""

from __future__ import annotations

from funding.domain.errors import DecisionRefused, RefusalCode
from inclusion_shared.web.problems import Conflict, Forbidden, Problem, Unprocessable

CONFLICTS = frozenset(
    {RefusalCode.PANEL_AREA_FIXED, RefusalCode.MUST_RECUSE, RefusalCode.MEMBER_VOTED_TWICE}
)
FORBIDDEN = frozenset({RefusalCode.NOT_ON_PANEL})


def as_problem(refusal: DecisionRefused) -> Problem:
    kind = (
        Conflict
        if refusal.code in CONFLICTS
        else Forbidden
        if refusal.code in FORBIDDEN
        else Unprocessable
    )
    return kind(str(refusal), code=refusal.code.value, details=list(refusal.details))
