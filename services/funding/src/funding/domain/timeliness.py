"""Time to decision, from a complete application, against the policy's target."""

from datetime import date

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy


def days_to_decision(complete_on: date, decided_on: date) -> int:
    """Calendar days from the day the application was complete to the day it was decided."""
    if decided_on < complete_on:
        raise DecisionRefused(
            RefusalCode.DECIDED_BEFORE_COMPLETE, (complete_on.isoformat(), decided_on.isoformat())
        )
    return (decided_on - complete_on).days


def is_breach(complete_on: date, decided_on: date, policy: FundingPolicy) -> bool:
    """True when the decision took longer than the policy's target number of days."""
    return days_to_decision(complete_on, decided_on) > policy.decision_target_days
