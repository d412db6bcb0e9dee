"""Completeness names each missing item; incomplete is not the same as ineligible."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from funding.domain.hnf_application import HighNeedsApplication, ProvisionPlan
from funding.domain.hnf_completeness import EvidenceItem, MissingItem, check_completeness
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.policy import FundingPolicy
from funding.domain.rules import Eligibility


def test_a_complete_application_has_nothing_missing(
    application: HighNeedsApplication, policy: FundingPolicy
) -> None:
    assert check_completeness(application, policy) == []


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"needs_reports": ()}, MissingItem(item=EvidenceItem.NEEDS_REPORTS, needed=1, supplied=0)),
        ({"lift_outcome": None}, MissingItem(item=EvidenceItem.LIFT_OUTCOME, needed=1, supplied=0)),
        (
            {"provision_plans": (ProvisionPlan(document_id="doc-plan-2", dated=date(2026, 5, 1)),)},
            MissingItem(item=EvidenceItem.PROVISION_PLANS, needed=2, supplied=1),
        ),
        (
            {"staff_trained_on": None},
            MissingItem(item=EvidenceItem.STAFF_TRAINING_DATE, needed=1, supplied=0),
        ),
        (
            {"costed_provision_pence": None},
            MissingItem(item=EvidenceItem.COSTED_PROVISION, needed=1, supplied=0),
        ),
        (
            {"requested_band": None},
            MissingItem(item=EvidenceItem.REQUESTED_BAND, needed=1, supplied=0),
        ),
    ],
    ids=lambda value: value.item.value if isinstance(value, MissingItem) else "",
)
def test_completeness_names_the_missing_item(
    application: HighNeedsApplication,
    policy: FundingPolicy,
    changes: dict[str, Any],
    missing: MissingItem,
) -> None:
    assert check_completeness(application.evolve(**changes), policy) == [missing]


def test_every_missing_item_is_named_at_once(
    application: HighNeedsApplication, policy: FundingPolicy
) -> None:
    bare = application.evolve(needs_reports=(), lift_outcome=None, provision_plans=())
    assert [m.item for m in check_completeness(bare, policy)] == [
        EvidenceItem.NEEDS_REPORTS,
        EvidenceItem.LIFT_OUTCOME,
        EvidenceItem.PROVISION_PLANS,
    ]


def test_a_lift_outcome_is_not_required_with_an_ehcp(
    application: HighNeedsApplication, policy: FundingPolicy
) -> None:
    assert check_completeness(application.evolve(has_ehcp=True, lift_outcome=None), policy) == []


def test_the_same_provision_plan_sent_twice_counts_once(
    application: HighNeedsApplication, policy: FundingPolicy
) -> None:
    plan = application.provision_plans[0]
    missing = check_completeness(application.evolve(provision_plans=(plan, plan)), policy)
    assert missing == [MissingItem(item=EvidenceItem.PROVISION_PLANS, needed=2, supplied=1)]


def test_an_incomplete_application_is_incomplete_not_ineligible(
    application: HighNeedsApplication, policy: FundingPolicy, decided_on: date
) -> None:
    evaluation = evaluate_hnf(application.evolve(costed_provision_pence=None), policy, decided_on)
    assert evaluation.eligibility is Eligibility.INCOMPLETE
    assert [m.item for m in evaluation.missing] == [EvidenceItem.COSTED_PROVISION]


@pytest.mark.parametrize(
    "smuggled", [{"child_name": "Sam Smith"}, {"date_of_birth": "2019-03-02"}, {"notes": "x"}]
)
def test_an_application_refuses_names_dates_of_birth_and_free_text(
    application: HighNeedsApplication, smuggled: dict[str, str]
) -> None:
    with pytest.raises(ValidationError):
        HighNeedsApplication.model_validate({**application.model_dump(), **smuggled})


def test_a_child_id_cannot_be_a_name(application: HighNeedsApplication) -> None:
    with pytest.raises(ValidationError):
        application.evolve(child_id="Sam Smith")
