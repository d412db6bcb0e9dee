"""A High Needs Funding (mainstream top-up) application and its evidence.

The child appears only as a pseudonymous id: no name, date of birth or free text about them.
Documents (needs reports, LIFT outcome, provision plans) are referenced by id.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from funding.domain.values import DomainModel, Pence, Phase, PseudonymousId
from inclusion_shared.identifiers import ChildId
from inclusion_shared.kent import District

MAX_DOCUMENTS = 50
"""Documents of one kind an application cites, at most: the rules ask for the last two plans."""


class SettingType(StrEnum):
    """Where the pupil is on roll. Only mainstream schools receive HNF top-up."""

    MAINSTREAM = "mainstream"
    SRP = "srp"
    SPECIAL = "special"
    PRU = "pru"
    EARLY_YEARS = "early-years"


class LiftOutcomeKind(StrEnum):
    """What the Local Inclusion Forum Team offered."""

    ADVICE = "advice"
    TRAINING = "training"
    SUPPORT_FROM_ANOTHER_SCHOOL = "support-from-another-school"
    SPECIALIST_INTERVENTION = "specialist-intervention"
    REFERRAL = "referral"


class LiftOutcome(DomainModel):
    """Evidence of using the district offer, and what the school did with the advice."""

    document_id: PseudonymousId
    kind: LiftOutcomeKind
    recommendations_implemented: bool
    recommendations_evaluated: bool


class ProvisionPlan(DomainModel):
    """One provision plan from the assess-plan-do-review cycle."""

    document_id: PseudonymousId
    dated: date


class HighNeedsApplication(DomainModel):
    """A school's application for High Needs Funding top-up for one pupil."""

    application_id: PseudonymousId
    child_id: ChildId
    setting_id: PseudonymousId
    setting_type: SettingType
    district: District
    phase: Phase
    has_ehcp: bool
    sen_support_severe_and_complex: bool
    on_roll_full_time: bool
    full_time_exception_agreed: bool = False
    normally_available_resources_used: bool
    matches_mainstream_core_standards: bool
    needs_reports: Annotated[tuple[PseudonymousId, ...], Field(max_length=MAX_DOCUMENTS)] = ()
    lift_outcome: LiftOutcome | None = None
    provision_plans: Annotated[tuple[ProvisionPlan, ...], Field(max_length=MAX_DOCUMENTS)] = ()
    staff_trained_on: date | None = None
    costed_provision_pence: Pence | None = None
    requested_band: Annotated[int, Field(strict=True, ge=1)] | None = None
