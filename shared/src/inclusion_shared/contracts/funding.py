"""Funding events: applications, decisions, allocations against budgets and awards ending,
policy versions, challenges, panels' rosters and the votes their members cast. A decision event
carries everything needed to re-derive it; free text (the panel's rationale) stays in the
service, represented here by its SHA-256.

Money is always an integer number of pence (``123456`` is £1,234.56), never a float. Dates are
ISO days. District and area are the applying setting's (the provider's, for DAF)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from inclusion_shared.events.catalogue import topic_named
from inclusion_shared.events.registry import CONTRACTS, EventData
from inclusion_shared.identifiers import ChildId, PersonId
from inclusion_shared.kent import Area, District

Scheme = Literal["hnf", "senif", "daf"]

_APPLICATION_ID = "Pseudonymous id of the application."
_SCHEME = (
    "The funding scheme: hnf (High Needs Funding, mainstream top-up), senif (SEN Inclusion "
    "Fund, early years) or daf (Disability Access Fund)."
)
_CHILD_ID = "Server-minted pseudonymous id of the child (`child-` and 20 hex digits)."
_SETTING_ID = "Pseudonymous id of the applying setting (school or early years setting)."
_DISTRICT = "The applying setting's Kent district."
_AREA = "The Kent area (Area Board) of the applying setting's district."
_FINANCIAL_YEAR = 'The April-March financial year, written like "2026-27".'


class ApplicationSubmitted(EventData):
    """A complete application, received for decision."""

    application_id: str = Field(description=_APPLICATION_ID)
    scheme: Scheme = Field(description=_SCHEME + " DAF claims have no application event.")
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    submitted_on: date = Field(
        description="The day the application was received; for hnf, also the day it was complete."
    )
    reapplication_of: str | None = Field(
        None,
        description=(
            "The earlier application this one re-applies for after a phase transfer, or null. "
            "The funding service always sends null today: it does not yet link re-applications."
        ),
    )


class ApplicationReturnedIncomplete(EventData):
    """An application returned with the evidence it lacks named; not a decline on merit."""

    application_id: str = Field(description=_APPLICATION_ID)
    scheme: Scheme = Field(description=_SCHEME + " Only hnf applications are returned.")
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    missing: tuple[str, ...] = Field(
        description=(
            "Codes of the evidence missing, at least one: needs_reports, lift_outcome, "
            "provision_plans, staff_training_date, costed_provision, requested_band."
        )
    )


class ApplicationWithdrawn(EventData):
    """The setting withdrew an application before it was decided; ``reason`` is a code."""

    application_id: str = Field(description=_APPLICATION_ID)
    scheme: Scheme = Field(description=_SCHEME + " Only hnf applications are withdrawn.")
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description=_SETTING_ID)
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    withdrawn_on: date = Field(description="The day the setting withdrew the application.")
    reason: str | None = Field(
        None, description="The setting's reason, as a snake_case code; null when none was given."
    )


class ReapplicationOpened(EventData):
    """A phase transfer requires the school to apply again for a child with an HNF award."""

    child_id: ChildId = Field(description=_CHILD_ID)
    previous_application_id: str = Field(
        description="The child's most recently approved hnf application."
    )
    transfer: str = Field(
        description=(
            "The placement event's transfer code that caused it: primary-to-secondary or "
            "pre-16-to-post-16."
        )
    )
    new_setting_id: str = Field(
        description="Pseudonymous id of the setting the child started at, which is to re-apply."
    )


class PanelMemberRecord(EventData):
    member_id: PersonId = Field(description="The person id of the panel member.")
    role: str = Field(
        description="What the member sits on the panel as: senco, headteacher or kcc-officer."
    )
    declared_interests: tuple[str, ...] = Field(
        description="Ids of the settings the member declared an interest in; may be empty."
    )
    recused: bool = Field(
        description=(
            "True when the member declared an interest in the applying setting, so did not vote."
        )
    )


class VoteRecord(EventData):
    member_id: PersonId = Field(
        description="The person id of the panel member who voted: their token's person."
    )
    choice: Literal["for", "against", "abstain"] = Field(
        description="How they voted; an abstention counts towards quorum, not the tally."
    )


class DecisionRecorded(EventData):
    """A funding decision with its outcome, the rule results, the policy version, the panel and a
    keyed digest of the rationale; ``record`` is the full decision record an auditor re-derives."""

    decision_id: str = Field(description="Pseudonymous id of the decision.")
    application_id: str = Field(
        description="The application decided; for daf, the id of the provider's claim."
    )
    scheme: Scheme = Field(description=_SCHEME)
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(
        description="Pseudonymous id of the applying setting; for daf, the provider claiming."
    )
    district: District = Field(description=_DISTRICT)
    area: Area = Field(description=_AREA)
    outcome: Literal["approved", "declined", "deferred_for_information", "refused", "awarded"] = (
        Field(
            description=(
                "hnf (a panel): approved, declined (failed rules or on merit) or "
                "deferred_for_information (the panel may decide it again later). senif (an "
                "officer): awarded or refused. daf: awarded (a refused claim records no decision)."
            )
        )
    )
    band: int | None = Field(
        None,
        description=(
            "The band approved, numbered from 1 in the policy version's band table (a higher "
            "band funds a higher level of support); null unless hnf and approved."
        ),
    )
    annual_amount_pence: int | None = Field(
        None,
        description=(
            "Money a year, in pence: the band's annual top-up for an approved hnf application, "
            "the yearly lump sum for daf; null otherwise (senif awards hours, in record)."
        ),
    )
    start_on: date | None = Field(
        None,
        description="The day the award starts; null unless hnf approved or senif awarded.",
    )
    review_on: date | None = Field(
        None,
        description=(
            "The day the award is to be reviewed (within the policy's limit of months after "
            "start_on); null unless hnf approved."
        ),
    )
    failed_rules: tuple[str, ...] = Field(
        (),
        description=(
            "Codes of the eligibility rules the application failed under policy_version, in "
            "evaluation order; empty when none failed (always for an approval and for daf)."
        ),
    )
    policy_version: str = Field(
        description=(
            "The version of the funding rules and rates in force on decided_on "
            "(see funding.policy.published)."
        )
    )
    decided_on: date = Field(description="The day the decision was made.")
    panel_id: str | None = Field(
        None,
        description="Pseudonymous id of the panel that decided; null for senif and daf.",
    )
    panel: tuple[PanelMemberRecord, ...] = Field(
        (), description="The panel's members, for hnf; empty for senif and daf."
    )
    proposal_id: str | None = Field(
        None,
        description=(
            "The proposal the panel voted on (see funding.panel.vote-cast); null for senif, "
            "daf and hnf decisions recorded before panels kept rosters."
        ),
    )
    proposed_by: PersonId | None = Field(
        None,
        description=(
            "The person id of the KCC officer who put the proposal to the panel; null when "
            "proposal_id is."
        ),
    )
    roster_version: int | None = Field(
        None,
        description=(
            "The version of the panel's roster (see funding.panel.roster-set) whose members "
            "eligible on decided_on sat for the decision; null when proposal_id is."
        ),
    )
    votes: tuple[VoteRecord, ...] = Field(
        (),
        description=(
            "Every vote cast on the proposal, in the order cast, each by the member as "
            "themselves; empty when proposal_id is null."
        ),
    )
    rationale_digest: str | None = Field(
        None,
        description=(
            "Lower-case hex HMAC-SHA256 of the UTF-8 text of the panel's written rationale, "
            "surrounding whitespace trimmed, under a key derived from the child's personal-data "
            "key (the text stays in the funding service, which recomputes it for the auditor "
            "while the key exists); erasing the child's key leaves it unverifiable and "
            "unlinkable. Null for senif and daf, and for hnf decisions recorded before "
            "rationale digests were keyed."
        ),
    )
    rationale_sha256: str | None = Field(
        None,
        description=(
            "No longer set: null since rationale digests were keyed (see rationale_digest). "
            "Hnf decisions recorded before carry the plain SHA-256 of the rationale's text, "
            "which outlives the child's erasure."
        ),
    )
    complete_on: date | None = Field(
        None,
        description=(
            "The day the application was complete (for senif, the day it was submitted); the "
            "time to decision counts from it. Null for daf."
        ),
    )
    days_to_decision: int | None = Field(
        None,
        description="Calendar days from complete_on to decided_on; null for daf.",
    )
    target_days: int | None = Field(
        None,
        description=(
            "The policy's target for deciding hnf, in calendar days from complete_on; null for "
            "senif and daf, which have no target."
        ),
    )
    target_breached: bool | None = Field(
        None,
        description=("True when days_to_decision exceeded target_days; null for senif and daf."),
    )
    record: dict[str, Any] = Field(
        description=(
            "The full decision record an auditor re-derives, as JSON: for hnf the application, "
            "rule results, panel, quorum, proposal (its rationale replaced by "
            '"hmac-sha256:" and rationale_digest) and outcome; for senif the application, '
            "officers, evaluation and award; for daf the claim. Its shape is the funding "
            "service's, not versioned here."
        )
    )


class AllocationCommitted(EventData):
    """Money committed against an area's High Needs budget; an override is its own record."""

    commitment_id: str = Field(
        description=(
            "Id of the commitment; the funding service uses the id of the decision it commits for."
        )
    )
    decision_id: str = Field(description="The approved hnf decision the money is committed for.")
    area: Area = Field(description="The area whose High Needs budget the money is committed from.")
    financial_year: str = Field(
        description=_FINANCIAL_YEAR + " The budget year in which the award starts."
    )
    amount_pence: int = Field(description="Money committed, in pence: the award's annual amount.")
    over_commitment_pence: int = Field(
        0,
        description=(
            "The part of amount_pence beyond what remained in the budget, in pence; 0 when the "
            "budget covered it."
        ),
    )
    override_by: PersonId | None = Field(
        None,
        description=(
            "The person id of the KCC officer who authorised committing beyond the budget; "
            "null when the commitment is within it."
        ),
    )
    override_reason: str | None = Field(
        None,
        description=(
            "The officer's reason for the override, as a snake_case code; null when there is "
            "no override."
        ),
    )
    remaining_pence: int = Field(
        description=(
            "What remains of the area's budget for the year after this commitment, in pence "
            "(annual amount less commitments plus releases); negative when over-committed."
        )
    )


class AllocationReleased(EventData):
    """Committed money released, e.g. when an award ends."""

    commitment_id: str = Field(description="The commitment the money is released from.")
    area: Area = Field(description="The area whose High Needs budget the money returns to.")
    financial_year: str = Field(description=_FINANCIAL_YEAR)
    amount_pence: int = Field(
        description="Money released, in pence; never more than the commitment still holds."
    )
    reason: str = Field(description="Why the money was released, as a snake_case code.")
    remaining_pence: int = Field(
        description="What remains of the area's budget for the year after the release, in pence."
    )


class AwardEnded(EventData):
    """An award ended because its child moved or left the one setting it belongs to (SENIF does
    not transfer: a new setting applies again). ``reason`` is a code, e.g. ``moved_setting``."""

    award_id: str = Field(description="Pseudonymous id of the award.")
    decision_id: str = Field(description="The decision that made the award.")
    scheme: Scheme = Field(description=_SCHEME + " Only senif awards end this way.")
    child_id: ChildId = Field(description=_CHILD_ID)
    setting_id: str = Field(description="Pseudonymous id of the setting the award belonged to.")
    district: District = Field(description="The district of the setting the award belonged to.")
    area: Area = Field(description="The area of the setting the award belonged to.")
    ended_on: date = Field(
        description=(
            "The day the award ended: the child's last day at the setting (left_setting) or "
            "first day at the new one (moved_setting); never before the award's start."
        )
    )
    reason: str = Field(
        description=(
            "moved_setting (the child started at another setting) or left_setting (the child's "
            "placement at the setting ended)."
        )
    )


class BudgetSet(EventData):
    area: Area = Field(description="The area whose High Needs budget is set.")
    financial_year: str = Field(description=_FINANCIAL_YEAR)
    annual_amount_pence: int = Field(
        description=(
            "The area's High Needs budget for the year, in pence; replaces any amount set before."
        )
    )


class PolicyPublished(EventData):
    """A new version of the funding rules and rates, in force from a date; never overwritten."""

    version: str = Field(
        description=(
            "The version's id: lower-case letters, digits, dots and hyphens. Decisions name it "
            "as policy_version."
        )
    )
    effective_from: date = Field(
        description=(
            "The first day the version is in force; it stays in force until the day a version "
            "with a later effective_from takes over."
        )
    )
    label: str = Field(description="The version's title, as published by the local authority.")
    document: dict[str, Any] = Field(
        description=(
            "The whole version as JSON: its thresholds and rates (amounts in pence, e.g. each "
            "band's annual_top_up_pence), bands, decision target days, panel quorum and the "
            "SENIF and DAF limits."
        )
    )


class ChallengeLodged(EventData):
    challenge_id: str = Field(description="Pseudonymous id of the challenge.")
    decision_id: str = Field(
        description="The hnf panel decision challenged (only panel decisions can be)."
    )
    district: District = Field(description="The district of the setting the decision was about.")
    panel_id: str | None = Field(
        None,
        description=(
            "The panel that made the decision; the funding service always sets it (null would "
            "mean not known)."
        ),
    )


class ChallengeResolved(EventData):
    challenge_id: str = Field(description="The challenge resolved.")
    decision_id: str = Field(description="The decision that was challenged.")
    result: Literal["upheld", "overturned"] = Field(
        description="upheld: the decision stands; overturned: it does not."
    )
    reasons: tuple[str, ...] = Field(
        description="Why it was resolved so, as snake_case codes; at least one."
    )


_PANEL_ID = "Pseudonymous id of the panel: a local HNF panel of one area."


class RosterMemberRecord(EventData):
    member_id: PersonId = Field(description="The person id of the panel member.")
    role: Literal["senco", "headteacher", "kcc-officer"] = Field(
        description="What the member sits on the panel as."
    )
    term_from: date = Field(description="The first day of the member's term on the panel.")
    term_to: date = Field(description="The last day of the member's term on the panel.")
    trained_on: date | None = Field(
        description=(
            "The day the member completed panel training; null if not yet trained. A member "
            "votes only on days within their term and on or after this day."
        )
    )
    declared_interests: tuple[str, ...] = Field(
        description=(
            "Ids of the settings the member declared an interest in; they recuse from "
            "decisions about those settings. May be empty."
        )
    )


class PanelRosterSet(EventData):
    """A new version of a panel's stored roster, kept by an officer or added to by a member
    declaring an interest; the whole roster, not a change to it."""

    panel_id: str = Field(description=_PANEL_ID)
    area: Area = Field(description="The Kent area the panel serves; it never changes.")
    version: int = Field(description="The roster's version: 1, then one more for each change.")
    members: tuple[RosterMemberRecord, ...] = Field(
        description="Every member on the roster, eligible or not, in the order kept."
    )
    set_on: date = Field(description="The day this version was set.")


class VoteCast(EventData):
    """A panel member's vote on a proposal, cast by the member as themselves."""

    proposal_id: str = Field(description="Pseudonymous id of the proposal voted on.")
    application_id: str = Field(description="The hnf application the proposal decides.")
    panel_id: str = Field(description=_PANEL_ID)
    member_id: PersonId = Field(
        description="The person id of the member who voted: their token's person."
    )
    choice: Literal["for", "against", "abstain"] = Field(description="How the member voted.")
    cast_on: date = Field(description="The day the vote was cast.")
    roster_version: int = Field(
        description="The version of the panel's roster the member was eligible under."
    )


def _topic(aggregate: str) -> Any:
    return topic_named(f"funding.{aggregate}.v1")


APPLICATION_SUBMITTED = CONTRACTS.register(
    "funding.application.submitted", _topic("application"), ApplicationSubmitted
)
APPLICATION_RETURNED = CONTRACTS.register(
    "funding.application.returned-incomplete", _topic("application"), ApplicationReturnedIncomplete
)
APPLICATION_WITHDRAWN = CONTRACTS.register(
    "funding.application.withdrawn", _topic("application"), ApplicationWithdrawn
)
REAPPLICATION_OPENED = CONTRACTS.register(
    "funding.application.reapplication-opened", _topic("application"), ReapplicationOpened
)
DECISION_RECORDED = CONTRACTS.register(
    "funding.decision.recorded", _topic("decision"), DecisionRecorded
)
ALLOCATION_COMMITTED = CONTRACTS.register(
    "funding.allocation.committed", _topic("allocation"), AllocationCommitted
)
ALLOCATION_RELEASED = CONTRACTS.register(
    "funding.allocation.released", _topic("allocation"), AllocationReleased
)
AWARD_ENDED = CONTRACTS.register("funding.allocation.award-ended", _topic("allocation"), AwardEnded)
BUDGET_SET = CONTRACTS.register("funding.budget.set", _topic("budget"), BudgetSet)
POLICY_PUBLISHED = CONTRACTS.register("funding.policy.published", _topic("policy"), PolicyPublished)
CHALLENGE_LODGED = CONTRACTS.register(
    "funding.challenge.lodged", _topic("challenge"), ChallengeLodged
)
CHALLENGE_RESOLVED = CONTRACTS.register(
    "funding.challenge.resolved", _topic("challenge"), ChallengeResolved
)
ROSTER_SET = CONTRACTS.register("funding.panel.roster-set", _topic("panel"), PanelRosterSet)
VOTE_CAST = CONTRACTS.register("funding.panel.vote-cast", _topic("panel"), VoteCast)
