"""The Disability Access Fund: one yearly lump sum per child on DLA, to one provider only."""

from collections.abc import Iterable

from funding.domain.dates import FinancialYear
from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.values import DomainModel, Pence, PseudonymousId
from inclusion_shared.identifiers import ChildId


class DafClaim(DomainModel):
    """A provider's DAF claim for one child for one financial year."""

    claim_id: PseudonymousId
    child_id: ChildId
    provider_id: PseudonymousId
    financial_year: FinancialYear
    amount_pence: Pence
    policy_version: str


def claim_daf(
    *,
    claim_id: str,
    child_id: str,
    provider_id: str,
    financial_year: str,
    child_receives_dla: bool,
    existing_claims: Iterable[DafClaim],
    policy: FundingPolicy,
) -> DafClaim:
    """Accept a DAF claim at the policy's annual amount, or refuse it.

    Refused when the child is not on DLA, or when any provider has already claimed for this
    child in this year: the payment goes to one provider only.
    """
    if not child_receives_dla:
        raise DecisionRefused(RefusalCode.CHILD_NOT_ON_DLA)
    for claim in existing_claims:
        if claim.child_id == child_id and claim.financial_year == financial_year:
            raise DecisionRefused(RefusalCode.DAF_ALREADY_CLAIMED, (claim.claim_id,))
    return DafClaim(
        claim_id=claim_id,
        child_id=child_id,
        provider_id=provider_id,
        financial_year=financial_year,
        amount_pence=policy.daf_annual_amount_pence,
        policy_version=policy.version,
    )
