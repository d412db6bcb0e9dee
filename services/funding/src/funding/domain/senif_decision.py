"""The SEN Inclusion Funding Officer's SENIF decision, recorded with everything needed to
re-derive it: the application, the rule results, the policy version and both officers."""

from datetime import date
from typing import Literal, Self

from pydantic import model_validator

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.rules import Eligibility, Evaluation
from funding.domain.senif import SenifApplication, evaluate_senif
from funding.domain.senif_award import SenifAward, award_senif
from funding.domain.values import DomainModel, PseudonymousId
from inclusion_shared.identifiers import PersonId


class SenifDecision(DomainModel):
    """SENIF awarded, with the award, or refused, with the failed rules in `evaluation`."""

    decision_id: PseudonymousId
    decided_on: date
    policy_version: str
    application: SenifApplication
    decided_by: PersonId
    quality_assured_by: PersonId
    award_id: PseudonymousId
    start_on: date
    evaluation: Evaluation
    outcome: Literal["awarded", "refused"]
    award: SenifAward | None = None

    @model_validator(mode="after")
    def _outcome_follows_from_the_rules(self) -> Self:
        eligible = self.evaluation.eligibility is Eligibility.ELIGIBLE
        if eligible != (self.outcome == "awarded") or eligible != (self.award is not None):
            raise ValueError("a SENIF award needs every rule met, and a refusal a failed rule")
        return self


def decide_senif(
    app: SenifApplication,
    policy: FundingPolicy,
    decided_on: date,
    *,
    decision_id: str,
    award_id: str,
    decided_by: str,
    quality_assured_by: str,
    start_on: date,
) -> SenifDecision:
    """Award SENIF when every rule is met; otherwise refuse, citing each failed rule.

    Refused outright (nothing to record) when the deciding officer also quality assures.
    """
    record = {
        "decision_id": decision_id,
        "decided_on": decided_on,
        "policy_version": policy.version,
        "application": app,
        "decided_by": decided_by,
        "quality_assured_by": quality_assured_by,
        "award_id": award_id,
        "start_on": start_on,
    }
    try:
        award = award_senif(
            app,
            policy,
            decided_on,
            award_id=award_id,
            decided_by=decided_by,
            quality_assured_by=quality_assured_by,
            start_on=start_on,
        )
    except DecisionRefused as refusal:
        if refusal.code is not RefusalCode.SENIF_INELIGIBLE:
            raise
        evaluation = evaluate_senif(app, policy, decided_on)
        return SenifDecision.model_validate(
            {**record, "evaluation": evaluation, "outcome": "refused"}
        )
    return SenifDecision.model_validate(
        {**record, "evaluation": award.evaluation, "outcome": "awarded", "award": award}
    )


def rederive_senif(decision: SenifDecision, policy: FundingPolicy) -> SenifDecision:
    """Re-make a recorded SENIF decision from its recorded inputs under its recorded policy.

    Equal to the record means it was decided by the rules in force.
    """
    if decision.policy_version != policy.version:
        raise DecisionRefused(
            RefusalCode.POLICY_VERSION_MISMATCH, (decision.policy_version, policy.version)
        )
    return decide_senif(
        decision.application,
        policy,
        decision.decided_on,
        decision_id=decision.decision_id,
        award_id=decision.award_id,
        decided_by=decision.decided_by,
        quality_assured_by=decision.quality_assured_by,
        start_on=decision.start_on,
    )
