"""Re-deriving the funding service's decisions from its own log, in chain order, with its own
domain rules: HNF panel decisions, SENIF officer decisions and DAF claims under the policy
version each records (which must have been published before it), and every commitment and
release against an area's High Needs budget, rebuilt from the budgets set before it. An HNF
decision on a proposal sat as the roster version it names stood in the log, and counted the
votes the log cast on the proposal before it, no more and no fewer."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from funding.domain.budget import Budget, Commitment, Override, Release, commit, release
from funding.domain.daf import DafClaim, claim_daf
from funding.domain.dates import financial_year_of
from funding.domain.errors import DecisionRefused
from funding.domain.hnf_decision import Approved, PanelDecision, rederive
from funding.domain.policy import FundingPolicy, ensure_in_force, load_policy, select_policy
from funding.domain.roster import RosterMember
from funding.domain.senif_decision import SenifDecision, rederive_senif
from inclusion_cli.audit.rules import Verdict, differs, headline_differs
from inclusion_shared.contracts.funding import (
    ALLOCATION_COMMITTED,
    ALLOCATION_RELEASED,
    BUDGET_SET,
    DECISION_RECORDED,
    POLICY_PUBLISHED,
    ROSTER_SET,
    VOTE_CAST,
)
from inclusion_shared.kent import Area

SERVICE = "funding"
AREAS = frozenset(area.value for area in Area)
FINANCIAL_YEAR = re.compile(r"^\d{4}-\d{2}$")


class FundingRules:
    """The funding chain replayed event by event; each decision, commitment and release gets
    a verdict."""

    read_in_full = frozenset(
        {
            POLICY_PUBLISHED.type,
            BUDGET_SET.type,
            DECISION_RECORDED.type,
            ALLOCATION_COMMITTED.type,
            ALLOCATION_RELEASED.type,
            ROSTER_SET.type,
            VOTE_CAST.type,
        }
    )

    def __init__(self) -> None:
        self.policies: dict[str, FundingPolicy] = {}
        self.budgets: dict[tuple[str, str], Ledger] = {}
        self.daf_claims: list[DafClaim] = []
        self.surveyed_policies: dict[str, FundingPolicy] = {}
        self.hnf_decisions: dict[str, dict[str, Any]] = {}
        self.committed: set[str] = set()
        """decisions whose commitment against the budget the log holds"""
        self.rosters: dict[tuple[str, int], tuple[RosterMember, ...]] = {}
        """each version of each panel's roster the log has set so far"""
        self.cast: dict[str, list[CastVote]] = {}
        """the votes the log has cast so far on each proposal, in order"""
        self.handlers: dict[str, Callable[[dict[str, Any]], Verdict | None]] = {
            POLICY_PUBLISHED.type: self._policy,
            BUDGET_SET.type: self._budget_set,
            DECISION_RECORDED.type: self._decision,
            ALLOCATION_COMMITTED.type: self._committed,
            ALLOCATION_RELEASED.type: self._released,
            ROSTER_SET.type: self._roster_set,
            VOTE_CAST.type: self._vote_cast,
        }

    def survey(self, kind: str, data: dict[str, Any]) -> None:
        """Every policy and HNF decision of the chain, seen as it arrives, before the events
        near it are applied: an approval's money is committed just before the decision is
        recorded."""
        if kind == POLICY_PUBLISHED.type:
            policy = load_policy(data["document"])
            self.surveyed_policies[policy.version] = policy
        elif kind == DECISION_RECORDED.type and data.get("scheme") == "hnf":
            self.hnf_decisions[str(data["decision_id"])] = data

    def _approved(self, decision_id: str) -> tuple[int, str, str] | None:
        """What the rules approve for a decision, as its commitment must commit it: the amount,
        the area and the financial year it starts in (the record's own, where the rules
        refuse it: that refusal is the decision's verdict)."""
        data = self.hnf_decisions.get(decision_id)
        if data is None:
            return None
        try:
            decision = PanelDecision.model_validate(data["record"])
        except ValidationError:
            return None
        policy = self.surveyed_policies.get(decision.policy_version)
        if policy is not None:
            with contextlib.suppress(DecisionRefused):
                decision = rederive(decision, policy)
        outcome = decision.outcome
        if not isinstance(outcome, Approved):
            return None
        return (outcome.annual_amount_pence, str(data["area"]), financial_year_of(outcome.start_on))

    def apply(self, kind: str, data: dict[str, Any]) -> Verdict | None:
        handler = self.handlers.get(kind)
        return None if handler is None else handler(data)

    def _policy(self, data: dict[str, Any]) -> None:
        try:
            policy = load_policy(data["document"])
        except (KeyError, ValidationError):
            return None  # a policy the rules cannot read decides nothing: its decisions fail
        self.policies[policy.version] = policy
        return None

    def _roster_set(self, data: dict[str, Any]) -> None:
        try:
            key = (str(data["panel_id"]), int(data["version"]))
            members = tuple(RosterMember.model_validate(m) for m in data["members"])
        except (KeyError, TypeError, ValueError):
            return None  # a roster the rules cannot read seats no one: its decisions fail
        self.rosters[key] = members
        return None

    def _vote_cast(self, data: dict[str, Any]) -> None:
        vote = CastVote(
            str(data.get("member_id")),
            str(data.get("choice")),
            str(data.get("application_id")),
            str(data.get("panel_id")),
        )
        self.cast.setdefault(str(data.get("proposal_id")), []).append(vote)
        return None

    def _panel_and_votes(self, data: dict[str, Any], recorded: PanelDecision) -> str | None:
        """A decision on a proposal: its panel is the roster version it names, as the log set
        it, less the members not eligible on the day; its votes are those the log cast on the
        proposal before it, each by its member, every one of them, as its headline says."""
        proposal_id = data.get("proposal_id")
        if proposal_id is None:
            return None  # decided before panels kept rosters: the record alone is verified
        panel_id, version = recorded.panel.panel_id, data.get("roster_version")
        members = self.rosters.get((panel_id, version)) if isinstance(version, int) else None
        if members is None:
            return f"roster version {version} of {panel_id} was not set in the log before it"
        sitting = tuple(m.seat() for m in members if m.eligible_on(recorded.decided_on))
        if sitting != recorded.panel.members:
            return (
                f"the panel is not roster version {version} of {panel_id} as the log set it: "
                + differs(
                    [m.model_dump(mode="json") for m in sitting],
                    [m.model_dump(mode="json") for m in recorded.panel.members],
                )
            )
        application_id = recorded.application.application_id
        cast = [
            (v.member_id, v.choice)
            for v in self.cast.get(str(proposal_id), [])
            if (v.application_id, v.panel_id) == (application_id, panel_id)
        ]
        votes = [(v.member_id, v.choice.value) for v in recorded.proposal.votes]
        never = [f"{m} ({c})" for m, c in votes if (m, c) not in cast]
        if never:
            return f"votes the log never cast on proposal {proposal_id}: " + ", ".join(never)
        left_out = [f"{m} ({c})" for m, c in cast if (m, c) not in votes]
        if left_out or len(cast) != len(votes):
            return f"votes cast on proposal {proposal_id} left out of it: " + ", ".join(left_out)
        headline = [(v.get("member_id"), v.get("choice")) for v in data.get("votes") or []]
        if headline != votes:
            return f"the headline votes {headline} are not the record's {votes}"
        return None

    def _budget_set(self, data: dict[str, Any]) -> None:
        key = (str(data.get("area")), str(data.get("financial_year")))
        amount = data.get("annual_amount_pence")
        if (
            key[0] not in AREAS
            or not FINANCIAL_YEAR.match(key[1])
            or not isinstance(amount, int)
            or amount < 0
        ):
            self.budgets.pop(key, None)  # commitments against it then fail: no budget known
            return None
        self.budgets.setdefault(key, Ledger(Area(key[0]), key[1])).annual_pence = amount
        return None

    def _decision(self, data: dict[str, Any]) -> Verdict:
        scheme = data.get("scheme")
        if scheme == "hnf":
            return Verdict.decision(self._hnf(data))
        if scheme == "senif":
            return Verdict.decision(self._senif(data))
        if scheme == "daf":
            return Verdict.decision(self._daf(data))
        return Verdict.decision(f"no rules for a {scheme} decision")

    def _policy_of(self, version: str, decided_on: date) -> FundingPolicy | str:
        """The recorded policy version, if it is the one in force on the day of the decision
        among those published before it, as the service chose it; else what is wrong."""
        policy = self.policies.get(version)
        if policy is None:
            return f"policy version {version} was not published in the log before the decision"
        try:
            in_force = select_policy(self.policies.values(), decided_on)
        except DecisionRefused as refusal:
            return f"no policy was in force on {decided_on}: {refusal}"
        if in_force.version != version:
            return (
                f"decided under policy {version}, but {in_force.version} was in force on "
                f"{decided_on}"
            )
        return policy

    def _hnf(self, data: dict[str, Any]) -> str | None:
        recorded = _record(PanelDecision, data)
        if isinstance(recorded, str):
            return recorded
        policy = self._policy_of(recorded.policy_version, recorded.decided_on)
        if isinstance(policy, str):
            return policy
        panel_and_votes = self._panel_and_votes(data, recorded)
        if panel_and_votes is not None:
            return panel_and_votes
        try:
            remade = rederive(recorded, policy)
        except DecisionRefused as refusal:
            return f"the rules in force refuse this decision: {refusal}"
        if remade != recorded:
            return "the recorded outcome is not what the rules give: " + differs(
                remade.outcome, recorded.outcome
            )
        outcome = recorded.outcome.model_dump(mode="json")
        if outcome["kind"] == "approved" and recorded.decision_id not in self.committed:
            return "approved with no commitment against the area's budget before it in the log"
        return headline_differs(
            data,
            outcome=outcome["kind"],
            band=outcome.get("band"),
            annual_amount_pence=outcome.get("annual_amount_pence"),
            policy_version=recorded.policy_version,
            decided_on=recorded.decided_on.isoformat(),
        )

    def _senif(self, data: dict[str, Any]) -> str | None:
        recorded = _record(SenifDecision, data)
        if isinstance(recorded, str):
            return recorded
        policy = self._policy_of(recorded.policy_version, recorded.decided_on)
        if isinstance(policy, str):
            return policy
        try:
            remade = rederive_senif(recorded, policy)
        except DecisionRefused as refusal:
            return f"the rules in force refuse this decision: {refusal}"
        if remade != recorded:
            return "the recorded outcome is not what the rules give: " + differs(
                _senif_outcome(remade), _senif_outcome(recorded)
            )
        return headline_differs(
            data,
            outcome=recorded.outcome,
            failed_rules=[str(rule) for rule in recorded.evaluation.failed_rules],
            policy_version=recorded.policy_version,
            decided_on=recorded.decided_on.isoformat(),
        )

    def _daf(self, data: dict[str, Any]) -> str | None:
        """A DAF claim is recorded only when accepted: re-made with the claims the log holds
        before it, it must be accepted again, at the policy's amount, for the right year."""
        record = data.get("record", {})
        try:
            recorded = DafClaim.model_validate(record["claim"])
            on_dla = bool(record["child_receives_dla"])
            decided_on = date.fromisoformat(str(data["decided_on"]))
        except (KeyError, TypeError, ValueError, ValidationError):
            return "the decision record is not a valid DAF claim"
        policy = self._policy_of(recorded.policy_version, decided_on)
        if isinstance(policy, str):
            return policy
        try:
            ensure_in_force(policy, decided_on)
            remade = claim_daf(
                claim_id=recorded.claim_id,
                child_id=recorded.child_id,
                provider_id=recorded.provider_id,
                financial_year=financial_year_of(decided_on),
                child_receives_dla=on_dla,
                existing_claims=self.daf_claims,
                policy=policy,
            )
        except DecisionRefused as refusal:
            return f"the rules in force refuse this claim: {refusal}"
        self.daf_claims.append(recorded)
        if remade != recorded:
            return "the recorded claim is not what the rules give: " + differs(remade, recorded)
        return headline_differs(
            data,
            outcome="awarded",
            annual_amount_pence=recorded.amount_pence,
            application_id=recorded.claim_id,
            child_id=recorded.child_id,
            setting_id=recorded.provider_id,
            policy_version=recorded.policy_version,
        )

    def _committed(self, data: dict[str, Any]) -> Verdict:
        key = (str(data.get("area")), str(data.get("financial_year")))
        ledger = self.budgets.get(key)
        if ledger is None:
            return Verdict.commitment(f"no budget was set for {key[0]} in {key[1]} before it")
        decision_id = str(data.get("decision_id"))
        amount = data.get("amount_pence")
        approved = self._approved(decision_id)
        if not isinstance(amount, int) or approved != (amount, *key):
            return Verdict.commitment(
                f"commits {amount} pence in {key[0]} for {key[1]} for decision {decision_id}, "
                "for which the rules approve "
                + ("nothing" if approved is None else "{} pence in {} for {}".format(*approved))
            )
        override = None
        if data.get("override_by"):
            override = Override(
                authorised_by=str(data["override_by"]), reason=str(data.get("override_reason"))
            )
        commitment_id = str(data.get("commitment_id"))
        try:
            made = commit(ledger.as_budget(commitment_id), commitment_id, amount, override)
        except DecisionRefused as refusal:
            return Verdict.commitment(f"the budget rules refuse this commitment: {refusal}")
        ledger.commitments[commitment_id] = made.commitments[-1]
        ledger.committed_pence += amount
        self.committed.add(decision_id)
        return Verdict.commitment(
            headline_differs(
                data,
                over_commitment_pence=made.commitments[-1].over_commitment_pence,
                remaining_pence=ledger.remaining_pence,
            )
        )

    def _released(self, data: dict[str, Any]) -> Verdict:
        key = (str(data.get("area")), str(data.get("financial_year")))
        ledger = self.budgets.get(key)
        if ledger is None:
            return Verdict.commitment(f"no budget was set for {key[0]} in {key[1]} before it")
        commitment_id, amount = str(data.get("commitment_id")), int(data.get("amount_pence", 0))
        try:
            after = release(ledger.as_budget(commitment_id), commitment_id, amount)
        except DecisionRefused as refusal:
            return Verdict.commitment(f"the budget rules refuse this release: {refusal}")
        ledger.releases[commitment_id] = after.releases
        ledger.released_pence += amount
        return Verdict.commitment(headline_differs(data, remaining_pence=ledger.remaining_pence))


@dataclass(frozen=True)
class CastVote:
    """A vote as the log cast it: by whom, how, on which application, before which panel."""

    member_id: str
    choice: str
    application_id: str
    panel_id: str


@dataclass
class Ledger:
    """One area's budget for one year as the log builds it, kept as running totals: the
    domain's ``Budget`` holds every commitment and sums them on each new one, which on a long
    log is quadratic. ``as_budget`` gives the domain rules an equivalent budget to decide on."""

    area: Area
    financial_year: str
    annual_pence: int = 0
    committed_pence: int = 0
    released_pence: int = 0
    commitments: dict[str, Commitment] = field(default_factory=dict)
    releases: dict[str, tuple[Release, ...]] = field(default_factory=dict)

    @property
    def remaining_pence(self) -> int:
        return self.annual_pence - self.committed_pence + self.released_pence

    def as_budget(self, commitment_id: str) -> Budget:
        """A budget the rules decide on as on the whole one: what remains as its annual amount
        (``commit`` over-commits against no less than nothing remaining), and of the earlier
        commitments only the one this commitment or release names (for ``commit`` to refuse
        it twice, for ``release`` to release no more than it holds)."""
        earlier = self.commitments.get(commitment_id)
        return Budget(
            area=self.area,
            financial_year=self.financial_year,
            annual_amount_pence=max(0, self.remaining_pence)
            + (earlier.amount_pence if earlier else 0),
            commitments=(earlier,) if earlier else (),
            releases=self.releases.get(commitment_id, ()),
        )


Model = TypeVar("Model", bound=BaseModel)


def _record(model: type[Model], data: dict[str, Any]) -> Model | str:
    try:
        return model.model_validate(data.get("record"))
    except ValidationError as error:
        return f"the decision record is not a valid {data.get('scheme')} decision: " + str(
            error.errors()[0]["msg"]
        )


def _senif_outcome(decision: SenifDecision) -> dict[str, Any]:
    return decision.model_dump(mode="json", include={"outcome", "award"}) | {
        "failed_rules": [str(rule) for rule in decision.evaluation.failed_rules]
    }
