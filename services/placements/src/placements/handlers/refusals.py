"""How the domain's refusals reach an HTTP client: a problem naming the rule, 409 when the
refusal is about the state a thing is already in, 403 when it is about who the caller is, 422
otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from inclusion_shared.web.problems import Conflict, Forbidden, Problem, Unprocessable
from placements.domain.errors import DecisionRefused, RefusalCode

CONFLICTS = frozenset(
    {
        RefusalCode.SETTING_ALREADY_REGISTERED,
        RefusalCode.ALREADY_REPLIED,
        RefusalCode.OFFER_ALREADY_ANSWERED,
        RefusalCode.PLACEMENT_ALREADY_ENDED,
        RefusalCode.PANEL_AREA_FIXED,
        RefusalCode.MUST_RECUSE,
        RefusalCode.MEMBER_VOTED_TWICE,
    }
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


@contextmanager
def the_rules() -> Iterator[None]:
    """Run domain code; a refusal becomes the client's problem (and rolls the command back)."""
    try:
        yield
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
