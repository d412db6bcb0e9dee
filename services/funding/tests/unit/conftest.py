"""Fixtures for the funding domain: the shipped example policy, an application that meets every
rule, and a panel with one member who must recuse."""

import json
from collections.abc import Callable
from datetime import date
from importlib import resources
from typing import Any

import pytest

from funding.domain.hnf_application import (
    HighNeedsApplication,
    LiftOutcome,
    LiftOutcomeKind,
    ProvisionPlan,
    SettingType,
)
from funding.domain.hnf_decision import Proposal, ProposeApproval, ProposeDecline, ProposeDeferral
from funding.domain.panel import Panel, PanelMember, PanelRole, Vote, VoteChoice
from funding.domain.policy import FundingPolicy, load_policy
from funding.domain.values import Phase
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import District

APPLYING_SCHOOL = "school-0042"

ProposedOutcome = ProposeApproval | ProposeDecline | ProposeDeferral
ProposalFor = Callable[[ProposedOutcome], Proposal]
Votes = Callable[..., tuple[Vote, ...]]


@pytest.fixture
def policy_data() -> dict[str, Any]:
    """The shipped example policy, as parsed JSON."""
    text = resources.files("funding").joinpath("policies/kent-example-2026.1.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.fixture
def decided_on() -> date:
    """A panel day in the first term the example policy is in force."""
    return date(2026, 10, 5)


@pytest.fixture
def policy(policy_data: dict[str, Any]) -> FundingPolicy:
    return load_policy(policy_data)


@pytest.fixture
def application() -> HighNeedsApplication:
    """Complete, and meeting every rule, without an EHCP so the LIFT rules apply."""
    return HighNeedsApplication(
        application_id="hnf-app-1",
        child_id="child-4b8669e033ccb7794915",
        setting_id=APPLYING_SCHOOL,
        setting_type=SettingType.MAINSTREAM,
        district=District.THANET,
        phase=Phase.PRIMARY,
        has_ehcp=False,
        sen_support_severe_and_complex=True,
        on_roll_full_time=True,
        normally_available_resources_used=True,
        matches_mainstream_core_standards=True,
        needs_reports=("doc-ep-report-1",),
        lift_outcome=LiftOutcome(
            document_id="doc-lift-1",
            kind=LiftOutcomeKind.SPECIALIST_INTERVENTION,
            recommendations_implemented=True,
            recommendations_evaluated=True,
        ),
        provision_plans=(
            ProvisionPlan(document_id="doc-plan-1", dated=date(2026, 1, 12)),
            ProvisionPlan(document_id="doc-plan-2", dated=date(2026, 5, 18)),
        ),
        staff_trained_on=date(2025, 6, 30),
        costed_provision_pence=1_450_000,
        requested_band=3,
    )


@pytest.fixture
def panel() -> Panel:
    """Four members; senco-2 has declared an interest in the applying school."""
    return Panel(
        panel_id="panel-east-kent-1",
        members=(
            PanelMember(member_id=person_id_for("officer-1"), role=PanelRole.KCC_OFFICER),
            PanelMember(
                member_id=person_id_for("senco-1"),
                role=PanelRole.SENCO,
                declared_interests=("school-0007",),
            ),
            PanelMember(member_id=person_id_for("head-1"), role=PanelRole.HEADTEACHER),
            PanelMember(
                member_id=person_id_for("senco-2"),
                role=PanelRole.SENCO,
                declared_interests=(APPLYING_SCHOOL,),
            ),
        ),
    )


def _votes(*member_ids: str, choice: VoteChoice = VoteChoice.FOR) -> tuple[Vote, ...]:
    return tuple(Vote(member_id=member_id, choice=choice) for member_id in member_ids)


@pytest.fixture
def votes() -> Votes:
    """Cast the same vote for each named member."""
    return _votes


@pytest.fixture
def carried() -> ProposalFor:
    """A proposal with a rationale, carried by a quorate vote of the members free to vote."""

    def proposal(outcome: ProposedOutcome) -> Proposal:
        return Proposal(
            decision_id="decision-1",
            outcome=outcome,
            rationale="Evidence shows daily individual support is needed; band 3 matches it.",
            votes=_votes(
                person_id_for("officer-1"), person_id_for("senco-1"), person_id_for("head-1")
            ),
        )

    return proposal


@pytest.fixture
def approve_band_3() -> ProposeApproval:
    return ProposeApproval(band=3, start_on=date(2026, 10, 1), review_on=date(2027, 7, 31))
