"""High Needs Funding: submitting an application, withdrawing it, proposing a decision to a
panel, and its members' votes, the one that makes them quorate taking the decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from funding import access
from funding.access import POLICY, check_case
from funding.adapters import FundingStore, StoredApplication, StoredProposal
from funding.domain.budget import Budget, Override, commit, view
from funding.domain.dates import financial_year_of
from funding.domain.errors import DecisionRefused
from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_completeness import check_completeness
from funding.domain.hnf_decision import (
    Approved,
    PanelDecision,
    Proposal,
    check_proposal,
    decide_hnf,
)
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.panel import Panel, Standing, Vote, VoteChoice, check_votes
from funding.domain.policy import FundingPolicy, select_policy
from funding.domain.roster import admit_vote
from funding.domain.timeliness import days_to_decision
from funding.handlers.refusals import as_problem
from inclusion_shared.access import Record
from inclusion_shared.auth import Principal
from inclusion_shared.contracts.funding import (
    ALLOCATION_COMMITTED,
    APPLICATION_RETURNED,
    APPLICATION_SUBMITTED,
    APPLICATION_WITHDRAWN,
    DECISION_RECORDED,
    VOTE_CAST,
    AllocationCommitted,
    ApplicationReturnedIncomplete,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    DecisionRecorded,
    PanelMemberRecord,
    VoteCast,
    VoteRecord,
)
from inclusion_shared.persistence.personal_data import PersonalDataVault, PersonErased
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import Conflict, NotFound, Unprocessable

DECIDABLE = {"submitted", "deferred_for_information"}
# Until the panel has approved or declined it, the school may withdraw its application.
WITHDRAWABLE = {"submitted", "returned_incomplete", "deferred_for_information"}


async def policy_in_force(store: FundingStore, on: date) -> FundingPolicy:
    try:
        return select_policy(await store.policies(), on)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None


async def submit_hnf(
    work: UnitOfWork, who: Principal, app: HighNeedsApplication, today: date
) -> StoredApplication:
    """Record an application: complete ones await a decision, incomplete ones go back."""
    POLICY.check(
        who,
        "hnf.submit",
        Record(district=app.district, setting=app.setting_id, child=app.child_id),
    )
    store = FundingStore(work.connection)
    setting = await store.setting(app.setting_id)
    if setting is None:
        raise Unprocessable(f"setting {app.setting_id} is not registered", code="unknown_setting")
    if setting.setting_type != app.setting_type or setting.district != app.district:
        raise Unprocessable(
            "the setting's type or district differs from the registry", code="setting_mismatch"
        )
    if await store.has_application(app.application_id):
        raise Conflict(f"application {app.application_id} already exists")
    missing = [
        item.item.value for item in check_completeness(app, await policy_in_force(store, today))
    ]
    stored = StoredApplication(
        application=app,
        scheme="hnf",
        status="returned_incomplete" if missing else "submitted",
        area=setting.area,
        missing=missing,
        submitted_on=today,
        complete_on=None if missing else today,
    )
    await store.add_application(stored, reapplication_of=None)
    where = {
        "application_id": app.application_id,
        "scheme": "hnf",
        "child_id": app.child_id,
        "setting_id": app.setting_id,
        "district": app.district,
        "area": setting.area,
    }
    if missing:
        work.emit(
            APPLICATION_RETURNED.type,
            app.application_id,
            ApplicationReturnedIncomplete(**where, missing=tuple(missing)),
        )
    else:
        work.emit(
            APPLICATION_SUBMITTED.type,
            app.application_id,
            ApplicationSubmitted(**where, submitted_on=today),
        )
    return stored


async def withdraw_application(
    work: UnitOfWork, who: Principal, application_id: str, reason: str | None, today: date
) -> StoredApplication:
    """The school withdraws its own application; a decided or withdrawn one stays as it is."""
    store = FundingStore(work.connection)
    stored = await store.application(application_id, for_update=True)
    if stored is None:
        raise NotFound(f"no application {application_id}")
    check_application(who, "hnf.withdraw", stored)
    if stored.status not in WITHDRAWABLE:
        raise Conflict(
            f"application {application_id} is {stored.status}; it cannot be withdrawn now"
        )
    await store.withdraw(application_id, today, reason)
    app = stored.application
    work.emit(
        APPLICATION_WITHDRAWN.type,
        application_id,
        ApplicationWithdrawn(
            application_id=application_id,
            scheme="hnf",
            child_id=app.child_id,
            setting_id=app.setting_id,
            district=app.district,
            area=stored.area,
            withdrawn_on=today,
            reason=reason,
        ),
    )
    return replace(stored, status="withdrawn")


async def propose_decision(
    work: UnitOfWork,
    who: Principal,
    vault: PersonalDataVault,
    proposal: StoredProposal,
    rationale: str,
    today: date,
) -> StoredProposal:
    """Put a proposed decision to one of the application's area's panels, its rationale sealed
    under the child's key; refused now if the panel could not carry it as proposed (an outcome
    not open to it, money beyond the budget without an override)."""
    store = FundingStore(work.connection)
    stored = await store.application(proposal.application_id, for_update=True)
    if stored is None:
        raise NotFound(f"no application {proposal.application_id}")
    check_application(who, "hnf.propose", stored)
    if proposal.override_reason is not None:
        POLICY.check(who, "budget.override", access.budget(stored.area))
    _ensure_decidable(stored)
    if await store.has_open_proposal(stored.application.application_id):
        raise Conflict(
            f"application {stored.application.application_id} has a proposal open already",
            code="proposal_open",
        )
    roster = await store.roster(proposal.panel_id)
    if roster is None:
        raise Unprocessable(f"no panel {proposal.panel_id}", code="unknown_panel")
    if roster.area != stored.area:
        raise Unprocessable(
            f"panel {proposal.panel_id} serves {roster.area}, not {stored.area}",
            code="panel_of_another_area",
        )
    policy = await policy_in_force(store, today)
    try:
        outcome = check_proposal(stored.application, proposal.outcome, rationale, policy, today)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    if isinstance(outcome, Approved):
        await _budget_committed(store, stored, proposal.decision_id, outcome, _override(proposal))
    await vault.seal(
        work.connection,
        stored.application.child_id,
        f"rationale:{proposal.proposal_id}",
        "decision-rationale",
        {"rationale": rationale},
    )
    await store.add_proposal(proposal)
    return proposal


async def cast_vote(
    work: UnitOfWork,
    who: Principal,
    vault: PersonalDataVault,
    proposal_id: str,
    choice: VoteChoice,
    today: date,
) -> tuple[StoredProposal, Vote, PanelDecision | None]:
    """A member's own vote on a proposal before their panel. The vote that makes the votes
    cast quorate takes the decision with it: recorded if carried, the proposal closed if not."""
    store = FundingStore(work.connection)
    proposal = await store.proposal(proposal_id, for_update=True)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id}")
    stored = await store.application(proposal.application_id, for_update=True)
    assert stored is not None, "a proposal is for an application"
    check_application(who, "hnf.vote", stored, (proposal.panel_id,))
    if proposal.status != "open":
        raise Conflict(
            f"proposal {proposal_id} is {proposal.status}; it takes no more votes",
            code="proposal_not_open",
        )
    _ensure_decidable(stored)
    roster = await store.roster(proposal.panel_id, for_update=True)
    assert roster is not None, "a proposal is put to a stored panel"
    policy = await policy_in_force(store, today)
    try:
        admit_vote(roster, who.subject, stored.application.setting_id, proposal.votes, today)
        vote = Vote(member_id=who.subject, choice=choice)  # a subject on the roster: an id
        votes = (*proposal.votes, vote)
        panel = roster.panel_on(today)
        standing = check_votes(panel, stored.application.setting_id, votes, policy.panel_quorum)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    await store.add_vote(proposal_id, vote, today, roster.version)
    work.emit(
        VOTE_CAST.type,
        proposal.panel_id,
        VoteCast(
            proposal_id=proposal_id,
            application_id=proposal.application_id,
            panel_id=proposal.panel_id,
            member_id=vote.member_id,
            choice=vote.choice.value,
            cast_on=today,
            roster_version=roster.version,
        ),
    )
    decision = None
    if standing is Standing.CARRIED:
        try:
            rationale = (await vault.open(work.connection, f"rationale:{proposal_id}"))["rationale"]
        except PersonErased:
            raise Conflict(
                "the child's details were erased: the proposal's rationale is gone",
                code="rationale_erased",
            ) from None
        decided = Proposal(
            decision_id=proposal.decision_id,
            outcome=proposal.outcome,
            rationale=rationale,
            votes=votes,
        )
        digest = await vault.digest(work.connection, stored.application.child_id, rationale)
        decision = await _record_decision(
            work, store, stored, panel, decided, digest, proposal, roster.version, policy, today
        )
    status = {Standing.OPEN: "open", Standing.CARRIED: "decided"}.get(standing, "not_carried")
    if status != "open":
        await store.set_proposal_status(proposal_id, status)
    return replace(proposal, status=status, votes=votes), vote, decision


def _ensure_decidable(stored: StoredApplication) -> None:
    if stored.status not in DECIDABLE:
        raise Conflict(
            f"application {stored.application.application_id} is {stored.status}; "
            "it cannot be decided now"
        )


def _override(proposal: StoredProposal) -> Override | None:
    """Committing beyond the budget is the proposing officer's override, with their reason."""
    if proposal.override_reason is None:
        return None
    return Override(authorised_by=proposal.proposed_by, reason=proposal.override_reason)


async def _record_decision(
    work: UnitOfWork,
    store: FundingStore,
    stored: StoredApplication,
    panel: Panel,
    proposal: Proposal,
    rationale_digest: str,
    proposed: StoredProposal,
    roster_version: int,
    policy: FundingPolicy,
    today: date,
) -> PanelDecision:
    """Record the panel's decision, its rationale as the keyed digest of the text; an approval
    commits its annual amount against the budget, beyond it only by the proposing officer's
    override."""
    try:
        evaluation = evaluate_hnf(stored.application, policy, today)
        decision = decide_hnf(stored.application, evaluation, panel, proposal, policy)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None
    if isinstance(decision.outcome, Approved):
        await _commit_budget(work, store, stored, decision, decision.outcome, _override(proposed))
    days = days_to_decision(stored.complete_on, today) if stored.complete_on else None
    breached = days > policy.decision_target_days if days is not None else None
    record = auditable_record(decision, rationale_digest)
    await store.add_decision(
        decision_id=decision.decision_id,
        application_id=stored.application.application_id,
        outcome=decision.outcome.kind,
        policy_version=policy.version,
        decided_on=today,
        days_to_decision=days,
        target_breached=breached,
        record=record,
    )
    await store.set_status(stored.application.application_id, decision.outcome.kind)
    work.emit(
        DECISION_RECORDED.type,
        decision.decision_id,
        _decision_event(
            stored, decision, record, rationale_digest, days, breached, policy.decision_target_days
        ).model_copy(update=_proposal_fields(proposed, roster_version, proposal)),
    )
    return decision


def _proposal_fields(
    proposed: StoredProposal, roster_version: int, proposal: Proposal
) -> dict[str, Any]:
    """What the decision event says of the proposal: who put it, to which roster version,
    and the principals who voted on it."""
    return {
        "proposal_id": proposed.proposal_id,
        "proposed_by": proposed.proposed_by,
        "roster_version": roster_version,
        "votes": tuple(
            VoteRecord(member_id=v.member_id, choice=v.choice.value) for v in proposal.votes
        ),
    }


async def _budget_committed(
    store: FundingStore,
    stored: StoredApplication,
    decision_id: str,
    approved: Approved,
    override: Override | None,
    *,
    for_update: bool = False,
) -> Budget:
    """The area's budget with the approval's money committed, or the refusal."""
    year = financial_year_of(approved.start_on)
    budget = await store.budget(stored.area, year, for_update=for_update)
    if budget is None:
        raise Unprocessable(
            f"no High Needs budget is set for {stored.area} in {year}", code="no_budget"
        )
    try:
        return commit(budget, decision_id, approved.annual_amount_pence, override)
    except DecisionRefused as refusal:
        raise as_problem(refusal) from None


async def _commit_budget(
    work: UnitOfWork,
    store: FundingStore,
    stored: StoredApplication,
    decision: PanelDecision,
    approved: Approved,
    override: Override | None,
) -> None:
    budget = await _budget_committed(
        store, stored, decision.decision_id, approved, override, for_update=True
    )
    year = financial_year_of(approved.start_on)
    await store.save_budget(budget)
    commitment = budget.commitments[-1]
    work.emit(
        ALLOCATION_COMMITTED.type,
        f"{stored.area.value}:{year}",
        AllocationCommitted(
            commitment_id=commitment.commitment_id,
            decision_id=decision.decision_id,
            area=stored.area,
            financial_year=year,
            amount_pence=commitment.amount_pence,
            over_commitment_pence=commitment.over_commitment_pence,
            override_by=commitment.override.authorised_by if commitment.override else None,
            override_reason=commitment.override.reason if commitment.override else None,
            remaining_pence=view(budget).remaining_pence,
        ),
    )


def check_application(
    who: Principal, action: str, stored: StoredApplication, panels: tuple[str, ...] = ()
) -> None:
    """Nothing, or a 403 problem: the application where it sits (its district as the school
    gave it and the registry confirmed, its area from the registry) and whom it concerns."""
    app = stored.application
    check_case(
        who,
        action,
        district=app.district,
        area=stored.area,
        setting=app.setting_id,
        child=app.child_id,
        panels=panels,
    )


def auditable_record(decision: PanelDecision, rationale_digest: str) -> dict[str, Any]:
    """The decision as an auditor re-derives it: the rationale's text stays in this service,
    encrypted under the child's key; the record carries its digest under a key derived from
    the child's."""
    record = decision.model_dump(mode="json")
    record["proposal"]["rationale"] = "hmac-sha256:" + rationale_digest
    return record


def _decision_event(
    stored: StoredApplication,
    decision: PanelDecision,
    record: dict[str, Any],
    rationale_digest: str,
    days: int | None,
    breached: bool | None,
    target_days: int,
) -> DecisionRecorded:
    app, outcome = stored.application, decision.outcome
    recused = set(decision.recused_member_ids)
    return DecisionRecorded(
        decision_id=decision.decision_id,
        application_id=app.application_id,
        scheme="hnf",
        child_id=app.child_id,
        setting_id=app.setting_id,
        district=app.district,
        area=stored.area,
        outcome=outcome.kind,
        band=outcome.band if isinstance(outcome, Approved) else None,
        annual_amount_pence=outcome.annual_amount_pence if isinstance(outcome, Approved) else None,
        start_on=outcome.start_on if isinstance(outcome, Approved) else None,
        review_on=outcome.review_on if isinstance(outcome, Approved) else None,
        failed_rules=tuple(
            result.rule for result in decision.evaluation.rules if not result.passed
        ),
        policy_version=decision.policy_version,
        decided_on=decision.decided_on,
        panel_id=decision.panel.panel_id,
        panel=tuple(
            PanelMemberRecord(
                member_id=member.member_id,
                role=member.role.value,
                declared_interests=tuple(member.declared_interests),
                recused=member.member_id in recused,
            )
            for member in decision.panel.members
        ),
        rationale_digest=rationale_digest,
        complete_on=stored.complete_on,
        days_to_decision=days,
        target_days=target_days,
        target_breached=breached,
        record=record,
    )
