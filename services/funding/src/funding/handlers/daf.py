"""The Disability Access Fund: a provider claims the yearly lump sum for a child on DLA."""

from __future__ import annotations

from datetime import date

from funding.access import POLICY
from funding.adapters import FundingStore
from funding.domain.daf import DafClaim, claim_daf
from funding.domain.dates import financial_year_of
from funding.domain.errors import DecisionRefused
from funding.handlers.hnf import policy_in_force
from funding.handlers.refusals import as_problem
from funding.handlers.senif import EARLY_YEARS
from inclusion_shared.access import Record
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.funding import DECISION_RECORDED, DecisionRecorded
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, Unprocessable


async def claim_disability_access_fund(
    work: UnitOfWork,
    who: Principal,
    *,
    claim_id: str,
    decision_id: str,
    child_id: str,
    provider_id: str,
    child_receives_dla: bool,
    today: date,
) -> DafClaim:
    """Accept the claim for this financial year, or refuse it: the child is not on DLA, or a
    provider (this one or another) has already claimed for the child this year."""
    POLICY.check(who, "daf.claim", Record(setting=provider_id, child=child_id))
    store = FundingStore(work.connection)
    provider = await store.setting(provider_id)
    if provider is None:
        raise Unprocessable(f"setting {provider_id} is not registered", code="unknown_setting")
    if provider.setting_type != EARLY_YEARS:
        raise Unprocessable(
            "DAF is paid to early years providers; the registry has this setting as "
            f"{provider.setting_type}",
            code="not_an_early_years_setting",
        )
    if await store.has_daf_claim(claim_id):
        raise Conflict(f"claim {claim_id} already exists")
    year = financial_year_of(today)
    policy = await policy_in_force(store, today)
    try:
        claim = claim_daf(
            claim_id=claim_id,
            child_id=child_id,
            provider_id=provider_id,
            financial_year=year,
            child_receives_dla=child_receives_dla,
            existing_claims=await store.daf_claims_of(child_id, year),
            policy=policy,
        )
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    await store.add_daf_claim(claim, decision_id, today)
    record = {"claim": claim.model_dump(mode="json"), "child_receives_dla": child_receives_dla}
    work.emit(
        DECISION_RECORDED.type,
        decision_id,
        DecisionRecorded(
            decision_id=decision_id,
            application_id=claim_id,
            scheme="daf",
            child_id=child_id,
            setting_id=provider_id,
            district=provider.district,
            area=provider.area,
            outcome="awarded",
            annual_amount_pence=claim.amount_pence,
            policy_version=policy.version,
            decided_on=today,
            record=record,
        ),
    )
    return claim
