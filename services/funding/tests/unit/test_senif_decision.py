"""The officer's SENIF decision: awarded or refused by the rules, quality assured by a second
officer, and re-derivable from its record."""

from datetime import date
from decimal import Decimal

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.senif import EarlyYearsSettingType, SenifApplication, SenifRoute, SenifRule
from funding.domain.senif_decision import SenifDecision, decide_senif, rederive_senif
from inclusion_shared.identifiers import person_id_for

OFFICER_SENIF_1 = person_id_for("officer-senif-1")
OFFICER_SENIF_2 = person_id_for("officer-senif-2")

START_ON = date(2026, 10, 12)


@pytest.fixture
def senif_application() -> SenifApplication:
    return SenifApplication(
        application_id="senif-app-3",
        child_id="child-7e8647a8748273dfb402",
        setting_id="nursery-0311",
        setting_type=EarlyYearsSettingType.MAINTAINED_NURSERY,
        route=SenifRoute.SUPPORT_PLAN,
        takes_up_funded_early_education=True,
        has_ehcp=False,
        eligible_two_year_old=False,
        funded_hours_attended_per_week=Decimal("25"),
        hours_requested_per_week=Decimal("12.5"),
        for_one_to_one_support=False,
        ordinarily_available_provision_in_place=True,
        support_plan_id="doc-support-plan-3",
        support_plan_reviewed_on=date(2026, 9, 1),
    )


def _decide(
    app: SenifApplication,
    policy: FundingPolicy,
    decided_on: date,
    quality_assured_by: str = OFFICER_SENIF_2,
) -> SenifDecision:
    return decide_senif(
        app,
        policy,
        decided_on,
        decision_id="decision-senif-1",
        award_id="senif-award-3",
        decided_by=OFFICER_SENIF_1,
        quality_assured_by=quality_assured_by,
        start_on=START_ON,
    )


def test_senif_is_awarded_for_the_hours_requested_when_every_rule_is_met(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    decision = _decide(senif_application, policy, decided_on)
    assert decision.outcome == "awarded"
    assert decision.award is not None
    assert (decision.award.hours_per_week, decision.award.setting_id) == (
        Decimal("12.5"),
        "nursery-0311",
    )
    assert decision.evaluation.failed_rules == ()


def test_senif_is_refused_citing_the_failed_rule_when_the_child_has_an_ehcp(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    decision = _decide(senif_application.evolve(has_ehcp=True), policy, decided_on)
    assert (decision.outcome, decision.award) == ("refused", None)
    assert decision.evaluation.failed_rules == (SenifRule.NO_EHCP.value,)


def test_the_deciding_officer_cannot_quality_assure_their_own_decision(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        _decide(senif_application, policy, decided_on, quality_assured_by=OFFICER_SENIF_1)
    assert refused.value.code is RefusalCode.QUALITY_ASSURED_BY_DECIDING_OFFICER


@pytest.mark.parametrize("has_ehcp", [False, True], ids=["awarded", "refused"])
def test_a_recorded_senif_decision_rederives_to_itself(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date, has_ehcp: bool
) -> None:
    decision = _decide(senif_application.evolve(has_ehcp=has_ehcp), policy, decided_on)
    recorded = SenifDecision.model_validate_json(decision.model_dump_json())
    assert rederive_senif(recorded, policy) == recorded


def test_a_record_claiming_an_award_the_rules_refuse_does_not_validate(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    refused = _decide(senif_application.evolve(has_ehcp=True), policy, decided_on)
    with pytest.raises(ValueError, match="every rule met"):
        SenifDecision.model_validate({**dict(refused), "outcome": "awarded"})


def test_rederiving_under_another_policy_version_is_refused(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    decision = _decide(senif_application, policy, decided_on)
    with pytest.raises(DecisionRefused) as refused:
        rederive_senif(decision, policy.evolve(version="kent-example-2027.1"))
    assert refused.value.code is RefusalCode.POLICY_VERSION_MISMATCH
