"""Is the evidence all there? "Returned as incomplete" is not "declined on merit"."""

from enum import StrEnum

from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.policy import FundingPolicy
from funding.domain.values import DomainModel


class EvidenceItem(StrEnum):
    """A piece of evidence an HNF application must carry."""

    NEEDS_REPORTS = "needs_reports"
    LIFT_OUTCOME = "lift_outcome"
    PROVISION_PLANS = "provision_plans"
    STAFF_TRAINING_DATE = "staff_training_date"
    COSTED_PROVISION = "costed_provision"
    REQUESTED_BAND = "requested_band"


class MissingItem(DomainModel):
    """Evidence that is missing: how many were needed and how many were supplied."""

    item: EvidenceItem
    needed: int
    supplied: int


def check_completeness(app: HighNeedsApplication, policy: FundingPolicy) -> list[MissingItem]:
    """Name every missing piece of evidence; an empty list means the application is complete."""
    supplied = {
        EvidenceItem.NEEDS_REPORTS: (1, len(set(app.needs_reports))),
        EvidenceItem.LIFT_OUTCOME: (
            0 if app.has_ehcp else 1,
            0 if app.lift_outcome is None else 1,
        ),
        EvidenceItem.PROVISION_PLANS: (
            policy.provision_plans_required,
            len({plan.document_id for plan in app.provision_plans}),
        ),
        EvidenceItem.STAFF_TRAINING_DATE: (1, 0 if app.staff_trained_on is None else 1),
        EvidenceItem.COSTED_PROVISION: (1, 0 if app.costed_provision_pence is None else 1),
        EvidenceItem.REQUESTED_BAND: (1, 0 if app.requested_band is None else 1),
    }
    return [
        MissingItem(item=item, needed=needed, supplied=count)
        for item, (needed, count) in supplied.items()
        if count < needed
    ]
