"""Funding policy as versioned data: every rate and threshold a decision depends on.

Kent's rules and rates change almost every year, so none of them live in code. A decision
records the policy version it was made under; older versions are kept, never overwritten.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from itertools import pairwise
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, model_validator

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.values import DomainModel, Pence

PolicyVersion = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$", max_length=64)
]
Count = Annotated[int, Field(strict=True, ge=0)]
MAX_BANDS = 20  # Kent's banding model has a handful of levels of support
PositiveCount = Annotated[int, Field(strict=True, ge=1)]


class Band(DomainModel):
    """A funding band, defined by level of support rather than diagnosis."""

    band: PositiveCount
    annual_top_up_pence: Pence
    level_of_support: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class QuorumRule(DomainModel):
    """How many members a panel needs voting, and how many of them must be KCC officers."""

    min_voting_members: PositiveCount
    min_kcc_officers: Count


class FundingPolicy(DomainModel):
    """One version of the funding rules, in force from `effective_from`."""

    version: PolicyVersion
    effective_from: date
    label: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    school_met_threshold_pence: Pence
    bands: Annotated[tuple[Band, ...], Field(min_length=1, max_length=MAX_BANDS)]
    provision_plans_required: PositiveCount
    decision_target_days: PositiveCount
    staff_training_max_age_years: PositiveCount
    award_review_within_months: PositiveCount
    panel_quorum: QuorumRule
    senif_max_hours_per_week: PositiveCount
    senif_max_hours_per_week_eligible_two_year_olds: PositiveCount
    senif_portage_min_weeks: PositiveCount
    daf_annual_amount_pence: Pence

    @model_validator(mode="after")
    def _bands_rise_with_support(self) -> Self:
        numbers = [band.band for band in self.bands]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("bands must be numbered 1, 2, 3, ... in order")
        amounts = [band.annual_top_up_pence for band in self.bands]
        if any(lower >= higher for lower, higher in pairwise(amounts)):
            raise ValueError("each band must fund more than the band below it")
        if self.senif_max_hours_per_week_eligible_two_year_olds > self.senif_max_hours_per_week:
            raise ValueError("the two-year-olds' SENIF cap cannot exceed the general cap")
        return self

    def band_numbered(self, number: int) -> Band:
        """The band with this number; refused if the policy has no such band."""
        for band in self.bands:
            if band.band == number:
                return band
        raise DecisionRefused(RefusalCode.UNKNOWN_BAND, (str(number),))


def load_policy(data: Mapping[str, Any]) -> FundingPolicy:
    """Validate policy data (e.g. a parsed JSON file) into a `FundingPolicy`."""
    return FundingPolicy.model_validate(data)


def ensure_in_force(policy: FundingPolicy, on: date) -> None:
    """Refuse to apply a policy to a day before it took effect."""
    if policy.effective_from > on:
        raise DecisionRefused(RefusalCode.POLICY_NOT_IN_FORCE, (policy.version, on.isoformat()))


def select_policy(policies: Iterable[FundingPolicy], on: date) -> FundingPolicy:
    """The policy in force on a day: the latest to take effect on or before it."""
    in_force = [policy for policy in policies if policy.effective_from <= on]
    if not in_force:
        raise DecisionRefused(RefusalCode.NO_POLICY_IN_FORCE, (on.isoformat(),))
    latest = max(policy.effective_from for policy in in_force)
    current = sorted({p.version for p in in_force if p.effective_from == latest})
    if len(current) > 1:
        raise DecisionRefused(RefusalCode.AMBIGUOUS_POLICY, tuple(current))
    return next(policy for policy in in_force if policy.version == current[0])


def add_policy(
    policies: tuple[FundingPolicy, ...], policy: FundingPolicy
) -> tuple[FundingPolicy, ...]:
    """Add a policy version to the history. Existing versions are never replaced.

    Re-adding an identical version changes nothing; a different policy under an existing version,
    or a second policy taking effect on the same day, is refused.
    """
    for existing in policies:
        if existing.version == policy.version:
            if existing == policy:
                return policies
            raise DecisionRefused(RefusalCode.POLICY_VERSION_CONFLICT, (policy.version,))
        if existing.effective_from == policy.effective_from:
            raise DecisionRefused(RefusalCode.AMBIGUOUS_POLICY, (existing.version, policy.version))
    return (*policies, policy)


def policy_of_version(policies: Iterable[FundingPolicy], version: str) -> FundingPolicy:
    """The policy with this version, as an auditor needs to re-derive a recorded decision."""
    for policy in policies:
        if policy.version == version:
            return policy
    raise DecisionRefused(RefusalCode.UNKNOWN_POLICY_VERSION, (version,))
