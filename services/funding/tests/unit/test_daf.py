"""The Disability Access Fund: one lump sum a year per child on DLA, to one provider."""

import pytest
from pydantic import ValidationError

from funding.domain.daf import DafClaim, claim_daf
from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy


def _claim(
    policy: FundingPolicy,
    existing: tuple[DafClaim, ...] = (),
    *,
    claim_id: str = "daf-1",
    provider_id: str = "nursery-0311",
    financial_year: str = "2026-27",
    on_dla: bool = True,
) -> DafClaim:
    return claim_daf(
        claim_id=claim_id,
        child_id="child-b88d32471e6d349d261f",
        provider_id=provider_id,
        financial_year=financial_year,
        child_receives_dla=on_dla,
        existing_claims=existing,
        policy=policy,
    )


def test_a_child_on_dla_gets_the_yearly_lump_sum_from_the_policy(policy: FundingPolicy) -> None:
    claim = _claim(policy)
    assert claim.amount_pence == 91_000
    assert claim.policy_version == policy.version


@pytest.mark.parametrize(
    "provider_id", ["nursery-0311", "childminder-0907"], ids=["same_provider", "other_provider"]
)
def test_a_second_daf_claim_for_the_same_child_and_year_is_refused(
    policy: FundingPolicy, provider_id: str
) -> None:
    first = _claim(policy)
    with pytest.raises(DecisionRefused) as refused:
        _claim(policy, (first,), claim_id="daf-2", provider_id=provider_id)
    assert refused.value.code is RefusalCode.DAF_ALREADY_CLAIMED
    assert refused.value.details == ("daf-1",)


def test_daf_can_be_claimed_again_the_next_year(policy: FundingPolicy) -> None:
    first = _claim(policy)
    assert (
        _claim(policy, (first,), claim_id="daf-2", financial_year="2027-28").amount_pence == 91_000
    )


def test_daf_is_refused_for_a_child_not_on_dla(policy: FundingPolicy) -> None:
    with pytest.raises(DecisionRefused) as refused:
        _claim(policy, on_dla=False)
    assert refused.value.code is RefusalCode.CHILD_NOT_ON_DLA


@pytest.mark.parametrize("year", ["2026-28", "2026/27", "26-27", "1999-00", "2100-01"])
def test_a_daf_year_must_be_one_april_to_march_year(policy: FundingPolicy, year: str) -> None:
    with pytest.raises(ValidationError):
        _claim(policy, financial_year=year)
