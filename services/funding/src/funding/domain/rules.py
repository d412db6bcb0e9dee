"""Rule results and evaluations: data, so they can be stored in a decision event."""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import model_validator

from funding.domain.hnf_completeness import MissingItem
from funding.domain.values import DomainModel, PseudonymousId, ReasonCode


class Scheme(StrEnum):
    """The funding stream an evaluation is for."""

    HIGH_NEEDS_FUNDING = "high-needs-funding"
    SENIF = "senif"


class Eligibility(StrEnum):
    """Overall result. Incomplete takes precedence: missing evidence is not a failure on merit."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    INCOMPLETE = "incomplete"


class RuleResult(DomainModel):
    """One named rule's result, with a reason code saying why."""

    rule: ReasonCode
    passed: bool
    reason: ReasonCode


class Evaluation(DomainModel):
    """Every rule's result for one application under one policy version, on one day."""

    scheme: Scheme
    application_id: PseudonymousId
    policy_version: str
    decided_on: date
    missing: tuple[MissingItem, ...]
    rules: tuple[RuleResult, ...]
    eligibility: Eligibility

    @model_validator(mode="after")
    def _eligibility_follows_from_results(self) -> Self:
        if self.eligibility is not _eligibility(self.missing, self.rules):
            raise ValueError("eligibility does not follow from the missing items and rules")
        return self

    @property
    def failed_rules(self) -> tuple[str, ...]:
        """Names of the rules that failed, in evaluation order."""
        return tuple(result.rule for result in self.rules if not result.passed)


def _eligibility(missing: tuple[MissingItem, ...], rules: tuple[RuleResult, ...]) -> Eligibility:
    if missing:
        return Eligibility.INCOMPLETE
    if all(result.passed for result in rules):
        return Eligibility.ELIGIBLE
    return Eligibility.INELIGIBLE


def evaluation_of(
    scheme: Scheme,
    application_id: str,
    policy_version: str,
    decided_on: date,
    missing: Iterable[MissingItem],
    rules: Iterable[RuleResult],
) -> Evaluation:
    """Assemble an evaluation, deriving the overall eligibility from the results."""
    missing_items, results = tuple(missing), tuple(rules)
    return Evaluation(
        scheme=scheme,
        application_id=application_id,
        policy_version=policy_version,
        decided_on=decided_on,
        missing=missing_items,
        rules=results,
        eligibility=_eligibility(missing_items, results),
    )
