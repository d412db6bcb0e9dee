"""SENIF, the early years Special Educational Needs Inclusion Fund: application and rules.

For private, voluntary and independent settings, maintained nurseries and childminders, for
children without an EHCP taking up funded early education. Every criterion is a named rule.
"""

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy, ensure_in_force
from funding.domain.rules import Evaluation, RuleResult, Scheme, evaluation_of
from funding.domain.values import DomainModel, Hours, PseudonymousId
from inclusion_shared.identifiers import ChildId


class EarlyYearsSettingType(StrEnum):
    """Settings that can apply for SENIF."""

    PRIVATE_VOLUNTARY_INDEPENDENT = "pvi"
    MAINTAINED_NURSERY = "maintained-nursery"
    CHILDMINDER = "childminder"


class SenifRoute(StrEnum):
    """The usual route evidences a reviewed support plan; Portage is a route of its own."""

    SUPPORT_PLAN = "support-plan"
    PORTAGE = "portage"


class SenifApplication(DomainModel):
    """A setting's SENIF application for one child, identified only by a pseudonymous id."""

    application_id: PseudonymousId
    child_id: ChildId
    setting_id: PseudonymousId
    setting_type: EarlyYearsSettingType
    route: SenifRoute
    takes_up_funded_early_education: bool
    has_ehcp: bool
    eligible_two_year_old: bool
    funded_hours_attended_per_week: Hours
    hours_requested_per_week: Hours
    for_one_to_one_support: bool
    ordinarily_available_provision_in_place: bool
    support_plan_id: PseudonymousId | None = None
    support_plan_reviewed_on: date | None = None
    portage_weeks: Annotated[int, Field(strict=True, ge=0)] = 0


class SenifRule(StrEnum):
    """The SENIF eligibility rules, in the order they are evaluated and recorded."""

    TAKES_UP_FUNDED_EARLY_EDUCATION = "takes_up_funded_early_education"
    NO_EHCP = "no_ehcp"
    HOURS_WITHIN_WEEKLY_CAP = "hours_within_weekly_cap"
    HOURS_PRO_RATA_TO_ATTENDANCE = "hours_pro_rata_to_attendance"
    NOT_FOR_ONE_TO_ONE_SUPPORT = "not_for_one_to_one_support"
    ORDINARILY_AVAILABLE_PROVISION_IN_PLACE = "ordinarily_available_provision_in_place"
    SUPPORT_PLAN_REVIEWED = "support_plan_reviewed"
    PORTAGE_FOR_MINIMUM_WEEKS = "portage_for_minimum_weeks"


Verdict = tuple[bool, str]
Check = Callable[[SenifApplication, FundingPolicy], Verdict]


def _funded_early_education(app: SenifApplication, _: FundingPolicy) -> Verdict:
    if app.takes_up_funded_early_education:
        return True, "takes_up_funded_early_education"
    return False, "no_funded_early_education"


def _no_ehcp(app: SenifApplication, _: FundingPolicy) -> Verdict:
    return (False, "child_has_ehcp") if app.has_ehcp else (True, "no_ehcp")


def weekly_cap(app: SenifApplication, policy: FundingPolicy) -> int:
    """The most SENIF hours a week this child can have: lower for eligible two-year-olds."""
    if app.eligible_two_year_old:
        return policy.senif_max_hours_per_week_eligible_two_year_olds
    return policy.senif_max_hours_per_week


def _within_cap(app: SenifApplication, policy: FundingPolicy) -> Verdict:
    if app.hours_requested_per_week > weekly_cap(app, policy):
        if app.eligible_two_year_old:
            return False, "above_two_year_old_weekly_cap"
        return False, "above_weekly_cap"
    return True, "within_weekly_cap"


def _pro_rata(app: SenifApplication, _: FundingPolicy) -> Verdict:
    if app.hours_requested_per_week > app.funded_hours_attended_per_week:
        return False, "more_hours_than_attended"
    return True, "within_attended_hours"


def _not_one_to_one(app: SenifApplication, _: FundingPolicy) -> Verdict:
    if app.for_one_to_one_support:
        return False, "for_one_to_one_support"
    return True, "not_for_one_to_one_support"


def _ordinarily_available(app: SenifApplication, _: FundingPolicy) -> Verdict:
    if app.ordinarily_available_provision_in_place:
        return True, "ordinarily_available_provision_in_place"
    return False, "ordinarily_available_provision_not_in_place"


def _support_plan_reviewed(app: SenifApplication, _: FundingPolicy) -> Verdict:
    if app.route is SenifRoute.PORTAGE:
        return True, "not_required_on_portage_route"
    if app.support_plan_id is None:
        return False, "support_plan_missing"
    if app.support_plan_reviewed_on is None:
        return False, "support_plan_not_reviewed"
    return True, "support_plan_reviewed"


def _portage(app: SenifApplication, policy: FundingPolicy) -> Verdict:
    if app.route is not SenifRoute.PORTAGE:
        return True, "not_required_on_support_plan_route"
    if app.portage_weeks < policy.senif_portage_min_weeks:
        return False, "too_few_weeks_of_portage"
    return True, "portage_for_minimum_weeks"


_CHECKS: dict[SenifRule, Check] = {
    SenifRule.TAKES_UP_FUNDED_EARLY_EDUCATION: _funded_early_education,
    SenifRule.NO_EHCP: _no_ehcp,
    SenifRule.HOURS_WITHIN_WEEKLY_CAP: _within_cap,
    SenifRule.HOURS_PRO_RATA_TO_ATTENDANCE: _pro_rata,
    SenifRule.NOT_FOR_ONE_TO_ONE_SUPPORT: _not_one_to_one,
    SenifRule.ORDINARILY_AVAILABLE_PROVISION_IN_PLACE: _ordinarily_available,
    SenifRule.SUPPORT_PLAN_REVIEWED: _support_plan_reviewed,
    SenifRule.PORTAGE_FOR_MINIMUM_WEEKS: _portage,
}


def evaluate_senif(app: SenifApplication, policy: FundingPolicy, decided_on: date) -> Evaluation:
    """Evaluate every SENIF rule for the application's route."""
    ensure_in_force(policy, decided_on)
    results = []
    for rule in SenifRule:
        passed, reason = _CHECKS[rule](app, policy)
        results.append(RuleResult(rule=rule.value, passed=passed, reason=reason))
    return evaluation_of(Scheme.SENIF, app.application_id, policy.version, decided_on, (), results)


HOURS_RULES = (SenifRule.HOURS_WITHIN_WEEKLY_CAP, SenifRule.HOURS_PRO_RATA_TO_ATTENDANCE)


def check_hours_requested(app: SenifApplication, policy: FundingPolicy) -> None:
    """Refuse a request for more hours than SENIF can ever give this child: above the weekly
    cap, or above the funded hours the child attends. The setting amends its request; this is
    not a decision about the child, so nothing is recorded."""
    verdicts = (_CHECKS[rule](app, policy) for rule in HOURS_RULES)
    above = tuple(reason for passed, reason in verdicts if not passed)
    if above:
        raise DecisionRefused(RefusalCode.SENIF_HOURS_ABOVE_CAP, above)
