"""SENIF: a setting applies, one officer decides and a second quality assures, and the award
ends when the child moves or leaves the setting it belongs to."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from funding.access import POLICY, check_case
from funding.adapters import FundingStore, StoredSenifApplication
from funding.domain.errors import DecisionRefused
from funding.domain.senif import SenifApplication, check_hours_requested
from funding.domain.senif_award import ChildLeftSetting, ChildMovedSetting, end_senif_award
from funding.domain.senif_decision import SenifDecision, decide_senif
from funding.domain.timeliness import days_to_decision
from funding.handlers.hnf import policy_in_force
from funding.handlers.refusals import as_problem
from inclusion_shared.access import Record
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.funding import (
    APPLICATION_SUBMITTED,
    AWARD_ENDED,
    DECISION_RECORDED,
    ApplicationSubmitted,
    AwardEnded,
    DecisionRecorded,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound, Unprocessable

# The registry's kind of setting that takes up funded early education: PVI settings, maintained
# nurseries and childminders alike.
EARLY_YEARS = "early-years"


async def submit_senif(
    work: UnitOfWork, who: Principal, app: SenifApplication, today: date
) -> StoredSenifApplication:
    """Record a SENIF application for the officer's decision. Asking for more hours than the
    scheme can give is sent back to be amended, with nothing recorded."""
    POLICY.check(who, "senif.submit", Record(setting=app.setting_id, child=app.child_id))
    store = FundingStore(work.connection)
    setting = await store.setting(app.setting_id)
    if setting is None:
        raise Unprocessable(f"setting {app.setting_id} is not registered", code="unknown_setting")
    if setting.setting_type != EARLY_YEARS:
        raise Unprocessable(
            "SENIF is for early years settings; the registry has this setting as "
            f"{setting.setting_type}",
            code="not_an_early_years_setting",
        )
    if await store.has_application(app.application_id):
        raise Conflict(f"application {app.application_id} already exists")
    try:
        check_hours_requested(app, await policy_in_force(store, today))
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    stored = StoredSenifApplication(
        application=app,
        status="submitted",
        district=setting.district,
        area=setting.area,
        submitted_on=today,
    )
    await store.add_senif_application(stored)
    work.emit(
        APPLICATION_SUBMITTED.type,
        app.application_id,
        ApplicationSubmitted(
            application_id=app.application_id,
            scheme="senif",
            child_id=app.child_id,
            setting_id=app.setting_id,
            district=setting.district,
            area=setting.area,
            submitted_on=today,
        ),
    )
    return stored


async def decide_senif_application(
    work: UnitOfWork,
    who: Principal,
    application_id: str,
    *,
    decision_id: str,
    award_id: str,
    decided_by: str,
    quality_assured_by: str,
    start_on: date,
    today: date,
) -> SenifDecision:
    """Record the officer's decision: awarded when every rule is met, refused otherwise."""
    store = FundingStore(work.connection)
    stored = await store.senif_application(application_id, for_update=True)
    if stored is None:
        raise NotFound(f"no SENIF application {application_id}")
    check_case(
        who,
        "senif.decide",
        district=stored.district,
        area=stored.area,
        setting=stored.application.setting_id,
        child=stored.application.child_id,
    )
    if stored.status != "submitted":
        raise Conflict(f"application {application_id} is {stored.status}; it cannot be decided now")
    policy = await policy_in_force(store, today)
    try:
        decision = decide_senif(
            stored.application,
            policy,
            today,
            decision_id=decision_id,
            award_id=award_id,
            decided_by=decided_by,
            quality_assured_by=quality_assured_by,
            start_on=start_on,
        )
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    days = days_to_decision(stored.submitted_on, today)
    record = decision.model_dump(mode="json")
    await store.add_decision(
        decision_id=decision.decision_id,
        application_id=application_id,
        outcome=decision.outcome,
        policy_version=policy.version,
        decided_on=today,
        days_to_decision=days,
        # The decision target in the policy is High Needs Funding's; SENIF has none of its own.
        target_breached=None,
        record=record,
    )
    if decision.award is not None:
        await store.add_senif_award(decision.award, decision_id, stored.district, stored.area)
    await store.set_status(application_id, decision.outcome)
    app = stored.application
    work.emit(
        DECISION_RECORDED.type,
        decision.decision_id,
        DecisionRecorded(
            decision_id=decision.decision_id,
            application_id=application_id,
            scheme="senif",
            child_id=app.child_id,
            setting_id=app.setting_id,
            district=stored.district,
            area=stored.area,
            outcome=decision.outcome,
            start_on=start_on if decision.award is not None else None,
            failed_rules=decision.evaluation.failed_rules,
            policy_version=policy.version,
            decided_on=today,
            complete_on=stored.submitted_on,
            days_to_decision=days,
            record=record,
        ),
    )
    return decision


async def end_senif_awards(
    work: UnitOfWork, change: ChildMovedSetting | ChildLeftSetting, cause: UUID
) -> None:
    """End the child's running awards at the setting they moved from or left. An award already
    ended is not running, so the same change reported twice ends nothing more."""
    store = FundingStore(work.connection)
    setting_id = (
        change.from_setting_id if isinstance(change, ChildMovedSetting) else change.setting_id
    )
    for running in await store.running_senif_awards(change.child_id, setting_id):
        # A child who leaves before the award starts never draws on it: it ends on its first day.
        effective = change.evolve(on=max(change.on, running.award.start_on))
        ended = end_senif_award(running.award, effective)
        await store.end_senif_award(ended, cause)
        assert ended.ended_on is not None and ended.end_reason is not None
        work.emit(
            AWARD_ENDED.type,
            ended.award_id,
            AwardEnded(
                award_id=ended.award_id,
                decision_id=running.decision_id,
                scheme="senif",
                child_id=ended.child_id,
                setting_id=ended.setting_id,
                district=running.district,
                area=running.area,
                ended_on=ended.ended_on,
                reason=ended.end_reason.value,
            ),
        )
