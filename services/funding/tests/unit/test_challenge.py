"""Challenges to panel decisions, and overturn rates per panel and per district."""

from collections.abc import Callable
from datetime import date
from fractions import Fraction

import pytest

from funding.domain.challenge import (
    Challenge,
    ChallengeStatus,
    OverturnRate,
    lodge_challenge,
    overturn,
    uphold,
)
from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import PanelDecision, Proposal, ProposeApproval, decide_hnf
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.panel import Panel
from funding.domain.policy import FundingPolicy
from inclusion_shared.kent import District


@pytest.fixture
def decision(
    application: HighNeedsApplication,
    panel: Panel,
    policy: FundingPolicy,
    decided_on: date,
    carried: Callable[[ProposeApproval], Proposal],
    approve_band_3: ProposeApproval,
) -> PanelDecision:
    evaluation = evaluate_hnf(application, policy, decided_on)
    return decide_hnf(application, evaluation, panel, carried(approve_band_3), policy)


@pytest.fixture
def lodged(decision: PanelDecision) -> Challenge:
    return lodge_challenge(decision, "challenge-1", date(2026, 10, 20))


def test_a_challenge_is_lodged_against_the_panel_and_district_of_the_decision(
    lodged: Challenge,
) -> None:
    assert lodged.status is ChallengeStatus.LODGED
    assert (lodged.decision_id, lodged.panel_id, lodged.district) == (
        "decision-1",
        "panel-east-kent-1",
        District.THANET,
    )


def test_a_challenge_cannot_be_lodged_before_the_decision(decision: PanelDecision) -> None:
    with pytest.raises(DecisionRefused) as refused:
        lodge_challenge(decision, "challenge-1", date(2026, 10, 4))
    assert refused.value.code is RefusalCode.CHALLENGE_BEFORE_DECISION


@pytest.mark.parametrize(
    ("resolve", "status"),
    [(uphold, ChallengeStatus.UPHELD), (overturn, ChallengeStatus.OVERTURNED)],
    ids=["upheld", "overturned"],
)
def test_a_challenge_is_resolved_with_reasons(
    lodged: Challenge,
    resolve: Callable[[Challenge, date, tuple[str, ...]], Challenge],
    status: ChallengeStatus,
) -> None:
    resolved = resolve(lodged, date(2026, 11, 30), ("new_evidence_of_need",))
    assert (resolved.status, resolved.resolved_on, resolved.reasons) == (
        status,
        date(2026, 11, 30),
        ("new_evidence_of_need",),
    )


@pytest.mark.parametrize(
    ("reasons", "on", "code"),
    [
        ((), date(2026, 11, 30), RefusalCode.CHALLENGE_WITHOUT_REASONS),
        (("new_evidence_of_need",), date(2026, 10, 19), RefusalCode.RESOLVED_BEFORE_LODGED),
    ],
    ids=["without_reasons", "before_lodged"],
)
def test_a_challenge_resolution_must_make_sense(
    lodged: Challenge, reasons: tuple[str, ...], on: date, code: RefusalCode
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        overturn(lodged, on, reasons)
    assert refused.value.code is code


def test_a_resolved_challenge_cannot_be_resolved_again(lodged: Challenge) -> None:
    upheld = uphold(lodged, date(2026, 11, 30), ("decision_followed_policy",))
    with pytest.raises(DecisionRefused) as refused:
        overturn(upheld, date(2026, 12, 1), ("new_evidence_of_need",))
    assert refused.value.code is RefusalCode.CHALLENGE_ALREADY_RESOLVED


def test_an_overturn_rate_is_the_exact_share_of_resolved_challenges_overturned() -> None:
    # The database counts them per panel and district (tests/integration).
    assert OverturnRate(resolved=3, overturned=1).rate == Fraction(1, 3)


def test_an_overturn_rate_with_nothing_resolved_is_not_zero() -> None:
    assert OverturnRate(resolved=0, overturned=0).rate is None
