"""How the domain's refusals reach an HTTP client: a 422 problem naming the rule."""

from __future__ import annotations

from funding.domain.errors import DecisionRefused
from inclusion_shared.web.problems import Unprocessable


def as_problem(refusal: DecisionRefused) -> Unprocessable:
    return Unprocessable(str(refusal), code=refusal.code.value, details=list(refusal.details))
