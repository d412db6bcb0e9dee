"""Each Kent HNF criterion is a named rule that can fail on its own."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.hnf_application import HighNeedsApplication, LiftOutcome, SettingType
from funding.domain.hnf_eligibility import HnfRule, evaluate_hnf
from funding.domain.policy import FundingPolicy
from funding.domain.rules import Eligibility, Evaluation, RuleResult


def _lift(application: HighNeedsApplication, **changes: bool) -> LiftOutcome:
    assert application.lift_outcome is not None
    return application.lift_outcome.evolve(**changes)


def test_an_application_meeting_every_rule_is_eligible(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    evaluation = evaluate_hnf(application, policy, decided_on)
    assert evaluation.eligibility is Eligibility.ELIGIBLE
    assert [result.rule for result in evaluation.rules] == [rule.value for rule in HnfRule]
    assert all(result.passed for result in evaluation.rules)
    assert evaluation.policy_version == policy.version


@pytest.mark.parametrize(
    ("rule", "changes", "reason"),
    [
        (HnfRule.MAINSTREAM_SCHOOL_ONLY, {"setting_type": SettingType.SRP}, "setting_is_srp"),
        (
            HnfRule.MAINSTREAM_SCHOOL_ONLY,
            {"setting_type": SettingType.SPECIAL},
            "setting_is_special",
        ),
        (HnfRule.MAINSTREAM_SCHOOL_ONLY, {"setting_type": SettingType.PRU}, "setting_is_pru"),
        (
            HnfRule.EHCP_OR_SEVERE_AND_COMPLEX_SEN_SUPPORT,
            {"sen_support_severe_and_complex": False},
            "neither_ehcp_nor_severe_and_complex_needs",
        ),
        (HnfRule.ON_ROLL_FULL_TIME, {"on_roll_full_time": False}, "not_on_roll_full_time"),
        (
            HnfRule.NORMALLY_AVAILABLE_RESOURCES_USED,
            {"normally_available_resources_used": False},
            "normally_available_resources_not_used",
        ),
        (
            HnfRule.MATCHES_CORE_STANDARDS,
            {"matches_mainstream_core_standards": False},
            "does_not_match_mainstream_core_standards",
        ),
        (
            HnfRule.RECOMMENDATIONS_IMPLEMENTED_AND_EVALUATED,
            {"lift_outcome": {"recommendations_implemented": False}},
            "recommendations_not_implemented",
        ),
        (
            HnfRule.RECOMMENDATIONS_IMPLEMENTED_AND_EVALUATED,
            {"lift_outcome": {"recommendations_evaluated": False}},
            "recommendations_not_evaluated",
        ),
        (
            HnfRule.STAFF_TRAINED_WITHIN_TWO_YEARS,
            {"staff_trained_on": date(2024, 10, 4)},
            "staff_training_too_old",
        ),
        (
            HnfRule.STAFF_TRAINED_WITHIN_TWO_YEARS,
            {"staff_trained_on": date(2026, 10, 6)},
            "staff_training_date_in_future",
        ),
        (
            HnfRule.COSTED_PROVISION_ABOVE_SCHOOL_THRESHOLD,
            {"costed_provision_pence": 600_000},
            "costed_provision_within_school_threshold",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_rule_fails_on_its_own(
    application: HighNeedsApplication,
    policy: FundingPolicy,
    decided_on: date,
    rule: HnfRule,
    changes: dict[str, Any],
    reason: str,
) -> None:
    if isinstance(changes.get("lift_outcome"), dict):
        changes = {"lift_outcome": _lift(application, **changes["lift_outcome"])}
    evaluation = evaluate_hnf(application.evolve(**changes), policy, decided_on)
    assert evaluation.eligibility is Eligibility.INELIGIBLE
    assert evaluation.failed_rules == (rule.value,)
    assert RuleResult(rule=rule.value, passed=False, reason=reason) in evaluation.rules


def test_no_lift_advice_without_an_ehcp_fails_both_lift_rules_and_is_incomplete(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    evaluation = evaluate_hnf(application.evolve(lift_outcome=None), policy, decided_on)
    assert evaluation.failed_rules == (
        HnfRule.LIFT_ADVICE_SOUGHT_WITHOUT_EHCP.value,
        HnfRule.RECOMMENDATIONS_IMPLEMENTED_AND_EVALUATED.value,
    )
    assert evaluation.eligibility is Eligibility.INCOMPLETE


def test_with_an_ehcp_lift_advice_is_not_required(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    with_ehcp = application.evolve(
        has_ehcp=True, sen_support_severe_and_complex=False, lift_outcome=None
    )
    evaluation = evaluate_hnf(with_ehcp, policy, decided_on)
    assert evaluation.eligibility is Eligibility.ELIGIBLE
    lift_rules = [r for r in evaluation.rules if r.rule.startswith(("lift", "recommendations"))]
    assert {r.reason for r in lift_rules} == {"not_required_with_ehcp"}


def test_an_agreed_exception_lets_a_pupil_not_on_roll_full_time_qualify(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    part_time = application.evolve(on_roll_full_time=False, full_time_exception_agreed=True)
    assert evaluate_hnf(part_time, policy, decided_on).eligibility is Eligibility.ELIGIBLE


def test_staff_trained_exactly_two_years_before_the_decision_still_count(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    trained = application.evolve(staff_trained_on=date(2024, 10, 5))
    assert evaluate_hnf(trained, policy, decided_on).eligibility is Eligibility.ELIGIBLE


def test_provision_one_penny_above_the_school_threshold_qualifies(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    costed = application.evolve(costed_provision_pence=600_001)
    assert evaluate_hnf(costed, policy, decided_on).eligibility is Eligibility.ELIGIBLE


def test_the_school_threshold_comes_from_the_policy_not_the_code(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    dearer = policy.evolve(school_met_threshold_pence=1_500_000)
    evaluation = evaluate_hnf(application, dearer, decided_on)
    assert evaluation.failed_rules == (HnfRule.COSTED_PROVISION_ABOVE_SCHOOL_THRESHOLD.value,)


def test_rule_results_survive_a_round_trip_through_json(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    evaluation = evaluate_hnf(application.evolve(phase="secondary"), policy, decided_on)
    assert Evaluation.model_validate_json(evaluation.model_dump_json()) == evaluation


def test_an_evaluation_cannot_claim_an_eligibility_its_rules_do_not_support(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    evaluation = evaluate_hnf(application.evolve(on_roll_full_time=False), policy, decided_on)
    with pytest.raises(ValidationError, match="does not follow"):
        evaluation.evolve(eligibility=Eligibility.ELIGIBLE)


def test_evaluating_under_a_policy_not_yet_in_force_is_refused(
    application: HighNeedsApplication, policy: FundingPolicy
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        evaluate_hnf(application, policy, date(2026, 8, 31))
    assert refused.value.code is RefusalCode.POLICY_NOT_IN_FORCE
