"""Challenges to panel decisions: lodged by an officer or the child's family, then resolved by
an officer as upheld or overturned, with reason codes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from funding.access import POLICY, check_case
from funding.adapters import FundingStore, RecordedDecision
from funding.domain.challenge import Challenge, lodge_challenge, overturn, uphold
from funding.domain.errors import DecisionRefused
from funding.domain.hnf_decision import PanelDecision
from funding.handlers.refusals import as_problem
from inclusion_shared.access import Record
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.funding import (
    CHALLENGE_LODGED,
    CHALLENGE_RESOLVED,
    ChallengeLodged,
    ChallengeResolved,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound, Unprocessable


async def lodge(
    work: UnitOfWork, who: Principal, decision_id: str, challenge_id: str, today: date
) -> Challenge:
    """Lodge a challenge to a panel decision in the caller's scope: an officer's places, a
    parent's or young person's own child."""
    store = FundingStore(work.connection)
    recorded = await store.recorded_decision(decision_id, for_update=True)
    if recorded is None:
        raise NotFound(f"no decision {decision_id}")
    check_case(
        who,
        "challenge.lodge",
        district=recorded.district,
        area=recorded.area,
        setting=recorded.setting_id,
        child=recorded.child_id,
        panels=[recorded.panel_id] if recorded.panel_id else [],
    )
    open_challenge = await store.open_challenge_of(decision_id)
    if open_challenge is not None:
        raise Conflict(f"decision {decision_id} is already challenged ({open_challenge})")
    try:
        challenge = lodge_challenge(_panel_decision(recorded), challenge_id, today)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    await store.add_challenge(challenge, recorded.child_id)
    work.emit(
        CHALLENGE_LODGED.type,
        challenge.challenge_id,
        ChallengeLodged(
            challenge_id=challenge.challenge_id,
            decision_id=decision_id,
            district=challenge.district,
            panel_id=challenge.panel_id,
        ),
    )
    return challenge


async def resolve(
    work: UnitOfWork,
    who: Principal,
    challenge_id: str,
    result: Literal["upheld", "overturned"],
    reasons: tuple[str, ...],
    today: date,
) -> Challenge:
    """The decision stands (upheld) or is overturned, for the reasons given as codes."""
    store = FundingStore(work.connection)
    stored = await store.challenge(challenge_id, for_update=True)
    if stored is None:
        raise NotFound(f"no challenge {challenge_id}")
    challenge = stored.challenge
    POLICY.check(
        who,
        "challenge.resolve",
        Record(district=challenge.district, panel=challenge.panel_id, child=stored.child_id),
    )
    try:
        resolved = (uphold if result == "upheld" else overturn)(challenge, today, reasons)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    await store.save_challenge(resolved)
    work.emit(
        CHALLENGE_RESOLVED.type,
        challenge_id,
        ChallengeResolved(
            challenge_id=challenge_id,
            decision_id=resolved.decision_id,
            result=result,
            reasons=resolved.reasons,
        ),
    )
    return resolved


def _panel_decision(recorded: RecordedDecision) -> PanelDecision:
    # Overturn rates are kept per panel: only a panel's decisions are challenged here.
    if recorded.scheme != "hnf":
        raise Unprocessable(
            f"decision {recorded.decision_id} was not made by a panel", code="not_a_panel_decision"
        )
    return PanelDecision.model_validate(recorded.record)
