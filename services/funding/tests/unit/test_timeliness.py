"""Time from a complete application to its decision, against the policy target."""

from datetime import date

import pytest

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.timeliness import days_to_decision, is_breach

COMPLETE_ON = date(2026, 10, 1)


@pytest.mark.parametrize(
    ("decided_on", "days", "breach"),
    [
        (date(2026, 10, 1), 0, False),
        (date(2026, 10, 15), 14, False),
        (date(2026, 10, 16), 15, True),
    ],
    ids=["same_day", "on_target", "a_day_late"],
)
def test_a_decision_later_than_the_target_is_a_breach(
    policy: FundingPolicy, decided_on: date, days: int, breach: bool
) -> None:
    assert days_to_decision(COMPLETE_ON, decided_on) == days
    assert is_breach(COMPLETE_ON, decided_on, policy) is breach


def test_the_target_comes_from_the_policy(policy: FundingPolicy) -> None:
    six_weeks = policy.evolve(decision_target_days=42)
    assert not is_breach(COMPLETE_ON, date(2026, 11, 12), six_weeks)
    assert is_breach(COMPLETE_ON, date(2026, 11, 12), policy)


def test_a_decision_before_the_application_was_complete_is_refused(policy: FundingPolicy) -> None:
    with pytest.raises(DecisionRefused) as refused:
        is_breach(COMPLETE_ON, date(2026, 9, 30), policy)
    assert refused.value.code is RefusalCode.DECIDED_BEFORE_COMPLETE
