"""High Needs budgets per area and financial year: commitments, releases, over-commitment.

Over-commitment is never silent: it needs an authorised override, recorded with the commitment.
"""

from typing import Annotated

from pydantic import StringConstraints

from funding.domain.dates import FinancialYear
from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.values import DomainModel, Pence, PseudonymousId
from inclusion_shared.identifiers import PersonId
from inclusion_shared.kent import Area


class Override(DomainModel):
    """Who authorised committing beyond the budget, and why."""

    authorised_by: PersonId
    reason: Annotated[str, StringConstraints(strip_whitespace=True)]


class Commitment(DomainModel):
    """Money committed against the budget, e.g. on approving an award.

    `over_commitment_pence` is the part beyond what remained, allowed only by `override`.
    """

    commitment_id: PseudonymousId
    amount_pence: Pence
    over_commitment_pence: Pence = 0
    override: Override | None = None


class Release(DomainModel):
    """Committed money released, e.g. when an award ends early."""

    commitment_id: PseudonymousId
    amount_pence: Pence


class Budget(DomainModel):
    """One area's High Needs budget for one April-March financial year."""

    area: Area
    financial_year: FinancialYear
    annual_amount_pence: Pence
    commitments: tuple[Commitment, ...] = ()
    releases: tuple[Release, ...] = ()


class BudgetView(DomainModel):
    """Where a budget stands. `remaining_pence` goes below zero only through overrides."""

    area: Area
    financial_year: FinancialYear
    annual_amount_pence: Pence
    committed_pence: Pence
    released_pence: Pence
    remaining_pence: int
    over_committed_pence: Pence
    overridden: tuple[Commitment, ...]


def view(budget: Budget) -> BudgetView:
    """Committed, released and remaining amounts, and every overridden commitment."""
    committed = sum(c.amount_pence for c in budget.commitments)
    released = sum(r.amount_pence for r in budget.releases)
    remaining = budget.annual_amount_pence - committed + released
    return BudgetView(
        area=budget.area,
        financial_year=budget.financial_year,
        annual_amount_pence=budget.annual_amount_pence,
        committed_pence=committed,
        released_pence=released,
        remaining_pence=remaining,
        over_committed_pence=max(0, -remaining),
        overridden=tuple(c for c in budget.commitments if c.override is not None),
    )


def commit(
    budget: Budget, commitment_id: str, amount_pence: int, override: Override | None = None
) -> Budget:
    """Commit money against the budget.

    Refused when it would take the budget past its annual amount, unless an authorised override
    with a reason is given; then the over-commitment is recorded on the commitment.
    """
    if amount_pence <= 0:
        raise DecisionRefused(RefusalCode.AMOUNT_NOT_POSITIVE)
    if any(c.commitment_id == commitment_id for c in budget.commitments):
        raise DecisionRefused(RefusalCode.DUPLICATE_COMMITMENT, (commitment_id,))
    over = amount_pence - max(0, view(budget).remaining_pence)
    if over <= 0:
        commitment = Commitment(commitment_id=commitment_id, amount_pence=amount_pence)
    elif override is None:
        raise DecisionRefused(RefusalCode.OVER_COMMITMENT_WITHOUT_OVERRIDE, (f"over_by_{over}",))
    elif not override.reason:
        raise DecisionRefused(RefusalCode.OVERRIDE_WITHOUT_REASON)
    else:
        commitment = Commitment(
            commitment_id=commitment_id,
            amount_pence=amount_pence,
            over_commitment_pence=over,
            override=override,
        )
    return budget.evolve(commitments=(*budget.commitments, commitment))


def release(budget: Budget, commitment_id: str, amount_pence: int) -> Budget:
    """Release committed money, never more than the commitment still holds."""
    if amount_pence <= 0:
        raise DecisionRefused(RefusalCode.AMOUNT_NOT_POSITIVE)
    committed = sum(c.amount_pence for c in budget.commitments if c.commitment_id == commitment_id)
    if not committed:
        raise DecisionRefused(RefusalCode.UNKNOWN_COMMITMENT, (commitment_id,))
    released = sum(r.amount_pence for r in budget.releases if r.commitment_id == commitment_id)
    if released + amount_pence > committed:
        raise DecisionRefused(RefusalCode.RELEASE_EXCEEDS_COMMITMENT, (commitment_id,))
    entry = Release(commitment_id=commitment_id, amount_pence=amount_pence)
    return budget.evolve(releases=(*budget.releases, entry))
