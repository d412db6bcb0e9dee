"""Kent's published HNF eligibility criteria, each one a named rule."""

from collections.abc import Callable
from datetime import date
from enum import StrEnum

from funding.domain.dates import years_before
from funding.domain.hnf_application import HighNeedsApplication, SettingType
from funding.domain.hnf_completeness import check_completeness
from funding.domain.policy import FundingPolicy, ensure_in_force
from funding.domain.rules import Evaluation, RuleResult, Scheme, evaluation_of


class HnfRule(StrEnum):
    """The HNF eligibility rules, in the order they are evaluated and recorded."""

    MAINSTREAM_SCHOOL_ONLY = "mainstream_school_only"
    EHCP_OR_SEVERE_AND_COMPLEX_SEN_SUPPORT = "ehcp_or_severe_and_complex_sen_support"
    ON_ROLL_FULL_TIME = "on_roll_full_time"
    NORMALLY_AVAILABLE_RESOURCES_USED = "normally_available_resources_used"
    MATCHES_CORE_STANDARDS = "matches_core_standards"
    LIFT_ADVICE_SOUGHT_WITHOUT_EHCP = "lift_advice_sought_without_ehcp"
    RECOMMENDATIONS_IMPLEMENTED_AND_EVALUATED = "recommendations_implemented_and_evaluated"
    STAFF_TRAINED_WITHIN_TWO_YEARS = "staff_trained_within_two_years"
    COSTED_PROVISION_ABOVE_SCHOOL_THRESHOLD = "costed_provision_above_school_threshold"


Verdict = tuple[bool, str]
Check = Callable[[HighNeedsApplication, FundingPolicy, date], Verdict]


def _mainstream_school_only(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.setting_type is SettingType.MAINSTREAM:
        return True, "mainstream_school"
    return False, f"setting_is_{app.setting_type.value.replace('-', '_')}"


def _ehcp_or_severe_and_complex(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.has_ehcp:
        return True, "has_ehcp"
    if app.sen_support_severe_and_complex:
        return True, "sen_support_severe_and_complex"
    return False, "neither_ehcp_nor_severe_and_complex_needs"


def _on_roll_full_time(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.on_roll_full_time:
        return True, "on_roll_full_time"
    if app.full_time_exception_agreed:
        return True, "full_time_exception_agreed"
    return False, "not_on_roll_full_time"


def _resources_used(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.normally_available_resources_used:
        return True, "normally_available_resources_used"
    return False, "normally_available_resources_not_used"


def _matches_core_standards(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.matches_mainstream_core_standards:
        return True, "matches_mainstream_core_standards"
    return False, "does_not_match_mainstream_core_standards"


def _lift_advice_sought(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.has_ehcp:
        return True, "not_required_with_ehcp"
    if app.lift_outcome is None:
        return False, "lift_outcome_missing"
    return True, "lift_advice_sought"


def _recommendations_acted_on(app: HighNeedsApplication, _: FundingPolicy, __: date) -> Verdict:
    if app.has_ehcp:
        return True, "not_required_with_ehcp"
    lift = app.lift_outcome
    if lift is None:
        return False, "lift_outcome_missing"
    if not lift.recommendations_implemented:
        return False, "recommendations_not_implemented"
    if not lift.recommendations_evaluated:
        return False, "recommendations_not_evaluated"
    return True, "recommendations_implemented_and_evaluated"


def _staff_trained_recently(app: HighNeedsApplication, policy: FundingPolicy, on: date) -> Verdict:
    trained_on = app.staff_trained_on
    if trained_on is None:
        return False, "staff_training_date_missing"
    if trained_on > on:
        return False, "staff_training_date_in_future"
    if trained_on < years_before(on, policy.staff_training_max_age_years):
        return False, "staff_training_too_old"
    return True, "staff_trained_recently"


def _above_school_threshold(app: HighNeedsApplication, policy: FundingPolicy, _: date) -> Verdict:
    cost = app.costed_provision_pence
    if cost is None:
        return False, "costed_provision_missing"
    # The school meets the threshold itself: top-up is only for provision costing more.
    if cost <= policy.school_met_threshold_pence:
        return False, "costed_provision_within_school_threshold"
    return True, "costed_provision_above_school_threshold"


_CHECKS: dict[HnfRule, Check] = {
    HnfRule.MAINSTREAM_SCHOOL_ONLY: _mainstream_school_only,
    HnfRule.EHCP_OR_SEVERE_AND_COMPLEX_SEN_SUPPORT: _ehcp_or_severe_and_complex,
    HnfRule.ON_ROLL_FULL_TIME: _on_roll_full_time,
    HnfRule.NORMALLY_AVAILABLE_RESOURCES_USED: _resources_used,
    HnfRule.MATCHES_CORE_STANDARDS: _matches_core_standards,
    HnfRule.LIFT_ADVICE_SOUGHT_WITHOUT_EHCP: _lift_advice_sought,
    HnfRule.RECOMMENDATIONS_IMPLEMENTED_AND_EVALUATED: _recommendations_acted_on,
    HnfRule.STAFF_TRAINED_WITHIN_TWO_YEARS: _staff_trained_recently,
    HnfRule.COSTED_PROVISION_ABOVE_SCHOOL_THRESHOLD: _above_school_threshold,
}


def evaluate_hnf(app: HighNeedsApplication, policy: FundingPolicy, decided_on: date) -> Evaluation:
    """Evaluate every HNF rule and the evidence, as of the day of decision."""
    ensure_in_force(policy, decided_on)
    results = []
    for rule in HnfRule:
        passed, reason = _CHECKS[rule](app, policy, decided_on)
        results.append(RuleResult(rule=rule.value, passed=passed, reason=reason))
    return evaluation_of(
        Scheme.HIGH_NEEDS_FUNDING,
        app.application_id,
        policy.version,
        decided_on,
        check_completeness(app, policy),
        results,
    )
