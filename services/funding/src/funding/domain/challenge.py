"""Challenges to panel decisions, and how often each panel or district is overturned."""

from datetime import date
from enum import StrEnum
from fractions import Fraction

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.hnf_decision import PanelDecision
from funding.domain.values import DomainModel, PseudonymousId, ReasonCode
from inclusion_shared.kent import District


class ChallengeStatus(StrEnum):
    """A challenge is lodged, then the decision is either upheld or overturned."""

    LODGED = "lodged"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Challenge(DomainModel):
    """A challenge to one panel decision, with the reasons it was resolved as it was."""

    challenge_id: PseudonymousId
    decision_id: PseudonymousId
    panel_id: PseudonymousId
    district: District
    lodged_on: date
    status: ChallengeStatus = ChallengeStatus.LODGED
    resolved_on: date | None = None
    reasons: tuple[ReasonCode, ...] = ()


def lodge_challenge(decision: PanelDecision, challenge_id: str, lodged_on: date) -> Challenge:
    """Lodge a challenge to a recorded panel decision."""
    if lodged_on < decision.decided_on:
        raise DecisionRefused(RefusalCode.CHALLENGE_BEFORE_DECISION)
    return Challenge(
        challenge_id=challenge_id,
        decision_id=decision.decision_id,
        panel_id=decision.panel.panel_id,
        district=decision.application.district,
        lodged_on=lodged_on,
    )


def _resolve(
    challenge: Challenge, status: ChallengeStatus, on: date, reasons: tuple[str, ...]
) -> Challenge:
    if challenge.status is not ChallengeStatus.LODGED:
        raise DecisionRefused(RefusalCode.CHALLENGE_ALREADY_RESOLVED, (challenge.status.value,))
    if not reasons:
        raise DecisionRefused(RefusalCode.CHALLENGE_WITHOUT_REASONS)
    if on < challenge.lodged_on:
        raise DecisionRefused(RefusalCode.RESOLVED_BEFORE_LODGED)
    return challenge.evolve(status=status, resolved_on=on, reasons=reasons)


def uphold(challenge: Challenge, on: date, reasons: tuple[str, ...]) -> Challenge:
    """The original decision stands, for the reasons given (as codes)."""
    return _resolve(challenge, ChallengeStatus.UPHELD, on, reasons)


def overturn(challenge: Challenge, on: date, reasons: tuple[str, ...]) -> Challenge:
    """The original decision is overturned, for the reasons given (as codes)."""
    return _resolve(challenge, ChallengeStatus.OVERTURNED, on, reasons)


class OverturnRate(DomainModel):
    """Of the resolved challenges, how many were overturned. Lodged ones are not counted yet."""

    resolved: int
    overturned: int

    @property
    def rate(self) -> Fraction | None:
        """Exact share overturned, or None when nothing has been resolved."""
        return Fraction(self.overturned, self.resolved) if self.resolved else None
