"""A SENIF award belongs to one setting: a move or a leave ends it."""

from datetime import date
from decimal import Decimal

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.senif import EarlyYearsSettingType, SenifApplication, SenifRoute
from funding.domain.senif_award import (
    ChildLeftSetting,
    ChildMovedSetting,
    SenifAward,
    SenifEndReason,
    award_senif,
    end_senif_award,
)
from inclusion_shared.identifiers import person_id_for

OFFICER_SENIF_1 = person_id_for("officer-senif-1")
OFFICER_SENIF_2 = person_id_for("officer-senif-2")


@pytest.fixture
def award(policy: FundingPolicy, decided_on: date) -> SenifAward:
    app = SenifApplication(
        application_id="senif-app-2",
        child_id="child-7988d7cc449b3541499b",
        setting_id="childminder-0907",
        setting_type=EarlyYearsSettingType.CHILDMINDER,
        route=SenifRoute.PORTAGE,
        takes_up_funded_early_education=True,
        has_ehcp=False,
        eligible_two_year_old=True,
        funded_hours_attended_per_week=Decimal("15"),
        hours_requested_per_week=Decimal("10"),
        for_one_to_one_support=False,
        ordinarily_available_provision_in_place=True,
        portage_weeks=12,
    )
    return award_senif(
        app,
        policy,
        decided_on,
        award_id="senif-award-2",
        decided_by=OFFICER_SENIF_1,
        quality_assured_by=OFFICER_SENIF_2,
        start_on=date(2026, 10, 12),
    )


def _moved(on: date) -> ChildMovedSetting:
    return ChildMovedSetting(
        child_id="child-7988d7cc449b3541499b",
        from_setting_id="childminder-0907",
        to_setting_id="nursery-0311",
        on=on,
    )


def test_moving_setting_ends_the_award_at_the_old_setting(award: SenifAward) -> None:
    ended = end_senif_award(award, _moved(date(2027, 1, 8)))
    assert ended.ended_on == date(2027, 1, 8)
    assert ended.end_reason is SenifEndReason.MOVED_SETTING
    assert ended.setting_id == "childminder-0907"


def test_leaving_ends_the_award(award: SenifAward) -> None:
    left = ChildLeftSetting(
        child_id="child-7988d7cc449b3541499b", setting_id="childminder-0907", on=date(2027, 3, 31)
    )
    ended = end_senif_award(award, left)
    assert (ended.ended_on, ended.end_reason) == (date(2027, 3, 31), SenifEndReason.LEFT_SETTING)


def test_an_ended_award_cannot_end_again(award: SenifAward) -> None:
    ended = end_senif_award(award, _moved(date(2027, 1, 8)))
    with pytest.raises(DecisionRefused) as refused:
        end_senif_award(ended, _moved(date(2027, 2, 1)))
    assert refused.value.code is RefusalCode.AWARD_ALREADY_ENDED


@pytest.mark.parametrize(
    ("event", "code"),
    [
        (
            ChildMovedSetting(
                child_id="child-437b07d451eeba5bc4c4",
                from_setting_id="childminder-0907",
                to_setting_id="nursery-0311",
                on=date(2027, 1, 8),
            ),
            RefusalCode.EVENT_FOR_ANOTHER_CHILD,
        ),
        (
            ChildLeftSetting(
                child_id="child-7988d7cc449b3541499b",
                setting_id="nursery-0311",
                on=date(2027, 1, 8),
            ),
            RefusalCode.EVENT_FOR_ANOTHER_SETTING,
        ),
        (
            ChildLeftSetting(
                child_id="child-7988d7cc449b3541499b",
                setting_id="childminder-0907",
                on=date(2026, 10, 11),
            ),
            RefusalCode.AWARD_ENDS_BEFORE_START,
        ),
    ],
    ids=["another_child", "another_setting", "before_start"],
)
def test_an_award_only_ends_for_its_own_child_setting_and_period(
    award: SenifAward, event: ChildMovedSetting | ChildLeftSetting, code: RefusalCode
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        end_senif_award(award, event)
    assert refused.value.code is code
    assert award.ended_on is None
