"""Publishing a version of the funding rules and rates: an audited event, never an overwrite."""

from __future__ import annotations

from funding.adapters import FundingStore
from funding.domain.errors import DecisionRefused
from funding.domain.policy import FundingPolicy, add_policy
from funding.handlers.refusals import as_problem
from inclusion_shared.contracts.funding import POLICY_PUBLISHED, PolicyPublished
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict


async def publish_policy(work: UnitOfWork, policy: FundingPolicy, published_by: str) -> None:
    store = FundingStore(work.connection)
    await work.connection.execute("LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE")
    history = await store.policies()
    if any(known.version == policy.version for known in history):
        raise Conflict(
            f"policy version {policy.version} is already published; publish a new version"
        )
    try:
        add_policy(history, policy)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    await store.add_policy(policy, published_by)
    work.emit(
        POLICY_PUBLISHED.type,
        policy.version,
        PolicyPublished(
            version=policy.version,
            effective_from=policy.effective_from,
            label=policy.label,
            document=policy.model_dump(mode="json"),
        ),
    )
