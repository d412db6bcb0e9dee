"""A SENIF award: decided by one officer, quality assured by another, tied to one setting.

SENIF does not transfer: when the child moves or leaves, the award ends and a new setting applies
again.
"""

from datetime import date
from enum import StrEnum

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import FundingPolicy
from funding.domain.rules import Eligibility, Evaluation
from funding.domain.senif import SenifApplication, SenifRoute, evaluate_senif
from funding.domain.values import DomainModel, Hours, PseudonymousId
from inclusion_shared.identifiers import ChildId, PersonId


class SenifEndReason(StrEnum):
    """Why an award ended. SENIF does not transfer between settings."""

    MOVED_SETTING = "moved_setting"
    LEFT_SETTING = "left_setting"


class SenifAward(DomainModel):
    """SENIF hours for one child at one setting, with the evaluation it rests on."""

    award_id: PseudonymousId
    child_id: ChildId
    setting_id: PseudonymousId
    route: SenifRoute
    hours_per_week: Hours
    start_on: date
    decided_by: PersonId
    quality_assured_by: PersonId
    evaluation: Evaluation
    ended_on: date | None = None
    end_reason: SenifEndReason | None = None


def award_senif(
    app: SenifApplication,
    policy: FundingPolicy,
    decided_on: date,
    *,
    award_id: str,
    decided_by: str,
    quality_assured_by: str,
    start_on: date,
) -> SenifAward:
    """Award SENIF, or refuse: ineligible (failed rules in the details), or not quality assured
    by a second officer."""
    if quality_assured_by == decided_by:
        raise DecisionRefused(RefusalCode.QUALITY_ASSURED_BY_DECIDING_OFFICER)
    evaluation = evaluate_senif(app, policy, decided_on)
    if evaluation.eligibility is not Eligibility.ELIGIBLE:
        raise DecisionRefused(RefusalCode.SENIF_INELIGIBLE, evaluation.failed_rules)
    return SenifAward(
        award_id=award_id,
        child_id=app.child_id,
        setting_id=app.setting_id,
        route=app.route,
        hours_per_week=app.hours_requested_per_week,
        start_on=start_on,
        decided_by=decided_by,
        quality_assured_by=quality_assured_by,
        evaluation=evaluation,
    )


class ChildMovedSetting(DomainModel):
    """The child moved from one early years setting to another."""

    child_id: ChildId
    from_setting_id: PseudonymousId
    to_setting_id: PseudonymousId
    on: date


class ChildLeftSetting(DomainModel):
    """The child left a setting (a leaver the setting reports)."""

    child_id: ChildId
    setting_id: PseudonymousId
    on: date


def end_senif_award(award: SenifAward, event: ChildMovedSetting | ChildLeftSetting) -> SenifAward:
    """End the award when its child moves or leaves its setting. Nothing carries over."""
    if award.ended_on is not None:
        raise DecisionRefused(RefusalCode.AWARD_ALREADY_ENDED, (award.award_id,))
    if event.child_id != award.child_id:
        raise DecisionRefused(RefusalCode.EVENT_FOR_ANOTHER_CHILD)
    if isinstance(event, ChildMovedSetting):
        setting_id, reason = event.from_setting_id, SenifEndReason.MOVED_SETTING
    else:
        setting_id, reason = event.setting_id, SenifEndReason.LEFT_SETTING
    if setting_id != award.setting_id:
        raise DecisionRefused(RefusalCode.EVENT_FOR_ANOTHER_SETTING)
    if event.on < award.start_on:
        raise DecisionRefused(RefusalCode.AWARD_ENDS_BEFORE_START)
    return award.evolve(ended_on=event.on, end_reason=reason)
