"""SENIF: early years inclusion funding for children without an EHCP."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.rules import Eligibility
from funding.domain.senif import (
    EarlyYearsSettingType,
    SenifApplication,
    SenifRoute,
    SenifRule,
    check_hours_requested,
    evaluate_senif,
)
from funding.domain.senif_award import SenifAward, award_senif
from inclusion_shared.identifiers import person_id_for

OFFICER_SENIF_1 = person_id_for("officer-senif-1")
OFFICER_SENIF_2 = person_id_for("officer-senif-2")


@pytest.fixture
def senif_application() -> SenifApplication:
    return SenifApplication(
        application_id="senif-app-1",
        child_id="child-b88d32471e6d349d261f",
        setting_id="nursery-0311",
        setting_type=EarlyYearsSettingType.PRIVATE_VOLUNTARY_INDEPENDENT,
        route=SenifRoute.SUPPORT_PLAN,
        takes_up_funded_early_education=True,
        has_ehcp=False,
        eligible_two_year_old=False,
        funded_hours_attended_per_week=Decimal("30"),
        hours_requested_per_week=Decimal("20"),
        for_one_to_one_support=False,
        ordinarily_available_provision_in_place=True,
        support_plan_id="doc-support-plan-1",
        support_plan_reviewed_on=date(2026, 9, 20),
    )


def _award(app: SenifApplication, policy: FundingPolicy, decided_on: date) -> SenifAward:
    return award_senif(
        app,
        policy,
        decided_on,
        award_id="senif-award-1",
        decided_by=OFFICER_SENIF_1,
        quality_assured_by=OFFICER_SENIF_2,
        start_on=date(2026, 10, 12),
    )


def _refusal(app: SenifApplication, policy: FundingPolicy, decided_on: date) -> DecisionRefused:
    with pytest.raises(DecisionRefused) as refused:
        _award(app, policy, decided_on)
    assert refused.value.code is RefusalCode.SENIF_INELIGIBLE
    return refused.value


def test_senif_is_awarded_when_every_rule_is_met(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    award = _award(senif_application, policy, decided_on)
    assert award.hours_per_week == Decimal("20")
    assert award.setting_id == "nursery-0311"
    assert award.evaluation.eligibility is Eligibility.ELIGIBLE
    assert [r.rule for r in award.evaluation.rules] == [rule.value for rule in SenifRule]


def test_senif_is_refused_when_the_child_has_an_ehcp(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    refused = _refusal(senif_application.evolve(has_ehcp=True), policy, decided_on)
    assert refused.details == (SenifRule.NO_EHCP.value,)


@pytest.mark.parametrize(
    ("hours", "eligible"),
    [("30", True), ("30.25", False)],
    ids=["thirty_hours", "a_quarter_hour_over"],
)
def test_senif_hours_are_capped_at_thirty_a_week(
    senif_application: SenifApplication,
    policy: FundingPolicy,
    decided_on: date,
    hours: str,
    eligible: bool,
) -> None:
    app = senif_application.evolve(
        funded_hours_attended_per_week=Decimal("40"), hours_requested_per_week=Decimal(hours)
    )
    evaluation = evaluate_senif(app, policy, decided_on)
    assert (evaluation.eligibility is Eligibility.ELIGIBLE) is eligible
    if not eligible:
        assert evaluation.failed_rules == (SenifRule.HOURS_WITHIN_WEEKLY_CAP.value,)


@pytest.mark.parametrize(
    ("hours", "eligible"), [("15", True), ("15.5", False)], ids=["fifteen_hours", "over_fifteen"]
)
def test_eligible_two_year_olds_are_capped_at_fifteen_hours_a_week(
    senif_application: SenifApplication,
    policy: FundingPolicy,
    decided_on: date,
    hours: str,
    eligible: bool,
) -> None:
    two_year_old = senif_application.evolve(
        eligible_two_year_old=True, hours_requested_per_week=Decimal(hours)
    )
    evaluation = evaluate_senif(two_year_old, policy, decided_on)
    assert (evaluation.eligibility is Eligibility.ELIGIBLE) is eligible
    if not eligible:
        failed = [r for r in evaluation.rules if not r.passed]
        assert [(r.rule, r.reason) for r in failed] == [
            (SenifRule.HOURS_WITHIN_WEEKLY_CAP.value, "above_two_year_old_weekly_cap")
        ]


@pytest.mark.parametrize(
    ("rule", "changes"),
    [
        (SenifRule.TAKES_UP_FUNDED_EARLY_EDUCATION, {"takes_up_funded_early_education": False}),
        (SenifRule.NO_EHCP, {"has_ehcp": True}),
        (SenifRule.HOURS_WITHIN_WEEKLY_CAP, {"hours_requested_per_week": Decimal("31")}),
        (
            SenifRule.HOURS_PRO_RATA_TO_ATTENDANCE,
            {"funded_hours_attended_per_week": Decimal("19.5")},
        ),
        (SenifRule.NOT_FOR_ONE_TO_ONE_SUPPORT, {"for_one_to_one_support": True}),
        (
            SenifRule.ORDINARILY_AVAILABLE_PROVISION_IN_PLACE,
            {"ordinarily_available_provision_in_place": False},
        ),
        (SenifRule.SUPPORT_PLAN_REVIEWED, {"support_plan_reviewed_on": None}),
        (
            SenifRule.SUPPORT_PLAN_REVIEWED,
            {"support_plan_id": None, "support_plan_reviewed_on": None},
        ),
        (SenifRule.PORTAGE_FOR_MINIMUM_WEEKS, {"route": SenifRoute.PORTAGE, "portage_weeks": 7}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_senif_rule_fails_on_its_own(
    senif_application: SenifApplication,
    policy: FundingPolicy,
    decided_on: date,
    rule: SenifRule,
    changes: dict[str, Any],
) -> None:
    if rule is SenifRule.HOURS_WITHIN_WEEKLY_CAP:
        changes = {**changes, "funded_hours_attended_per_week": Decimal("35")}
    refused = _refusal(senif_application.evolve(**changes), policy, decided_on)
    assert refused.details == (rule.value,)


def test_the_portage_route_needs_eight_weeks_of_portage_instead_of_a_support_plan(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    portage = senif_application.evolve(
        route=SenifRoute.PORTAGE,
        portage_weeks=8,
        support_plan_id=None,
        support_plan_reviewed_on=None,
    )
    assert _award(portage, policy, decided_on).route is SenifRoute.PORTAGE


def test_senif_is_quality_assured_by_a_second_officer(
    senif_application: SenifApplication, policy: FundingPolicy, decided_on: date
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        award_senif(
            senif_application,
            policy,
            decided_on,
            award_id="senif-award-1",
            decided_by=OFFICER_SENIF_1,
            quality_assured_by=OFFICER_SENIF_1,
            start_on=date(2026, 10, 12),
        )
    assert refused.value.code is RefusalCode.QUALITY_ASSURED_BY_DECIDING_OFFICER


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        (
            {"funded_hours_attended_per_week": Decimal("35"), "hours_requested_per_week": 31},
            ("above_weekly_cap",),
        ),
        (
            {"eligible_two_year_old": True, "hours_requested_per_week": 16},
            ("above_two_year_old_weekly_cap",),
        ),
        ({"funded_hours_attended_per_week": Decimal("12")}, ("more_hours_than_attended",)),
    ],
    ids=["over_thirty", "two_year_old_over_fifteen", "more_than_attended"],
)
def test_a_request_for_more_senif_hours_than_the_child_can_have_is_sent_back(
    senif_application: SenifApplication,
    policy: FundingPolicy,
    changes: dict[str, Any],
    reasons: tuple[str, ...],
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_hours_requested(senif_application.evolve(**changes), policy)
    assert (refused.value.code, refused.value.details) == (
        RefusalCode.SENIF_HOURS_ABOVE_CAP,
        reasons,
    )


def test_hours_within_the_caps_are_not_sent_back_even_when_another_rule_fails(
    senif_application: SenifApplication, policy: FundingPolicy
) -> None:
    check_hours_requested(senif_application.evolve(has_ehcp=True), policy)
