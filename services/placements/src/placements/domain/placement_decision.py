"""The panel's placement decision, recorded with everything needed to re-derive it.

A decision names one setting for a request. It is refused unless the setting can take the child,
the named setting and the nearest mainstream school were consulted, a specialist placement shows
the options exhausted, every preference the family ranked higher was refused for a statutory
reason, and a quorate panel without conflicted members carried it with a written rationale.
"""

from collections.abc import Iterable
from datetime import date

from inclusion_shared.identifiers import PersonId
from placements.domain.consultation import Consultation
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.options import OptionConsidered, check_options_exhausted
from placements.domain.panel import (
    Panel,
    Standing,
    Vote,
    check_votes,
    quorum_shortfall,
    recusals,
)
from placements.domain.preferences import PreferenceRefusal
from placements.domain.rationale import Rationale, RationaleRef, check_written
from placements.domain.request import PlacementRequest
from placements.domain.setting import Setting, check_setting, check_suitable
from placements.domain.values import DomainModel, PseudonymousId, ReasonCode


class Proposal(DomainModel):
    """What the panel is asked to agree: the options considered, the preferences refused, and
    the votes cast."""

    decision_id: PseudonymousId
    options_considered: tuple[OptionConsidered, ...] = ()
    preference_refusals: tuple[PreferenceRefusal, ...] = ()
    votes: tuple[Vote, ...]


class ProposedPlacement(DomainModel):
    """What an officer asks the panel to agree, before anyone votes: the setting to name, the
    options considered, the preferences refused, and the reason for offering the place beyond
    the setting's capacity, if the officer authorises that."""

    setting_id: PseudonymousId
    options_considered: tuple[OptionConsidered, ...] = ()
    preference_refusals: tuple[PreferenceRefusal, ...] = ()
    capacity_override_reason: ReasonCode | None = None

    def put_to_vote(self, decision_id: str, votes: Iterable[Vote]) -> Proposal:
        """The proposal as the panel decides it, with the votes its members cast."""
        return Proposal(
            decision_id=decision_id,
            options_considered=self.options_considered,
            preference_refusals=self.preference_refusals,
            votes=tuple(votes),
        )


class PlacementDecision(DomainModel):
    """A decision naming `setting` for `request`, and all it rests on. No free text: the
    rationale is a reference."""

    decision_id: PseudonymousId
    decided_on: date
    request: PlacementRequest
    setting: Setting
    consultations: tuple[Consultation, ...]
    panel: Panel
    proposal: Proposal
    recused_member_ids: tuple[PersonId, ...]
    rationale: RationaleRef


def _check_consulted(
    request: PlacementRequest, setting: Setting, consultations: tuple[Consultation, ...], on: date
) -> None:
    strays = tuple(c.setting_id for c in consultations if c.request_id != request.request_id)
    if strays:
        raise DecisionRefused(RefusalCode.CONSULTATION_FOR_ANOTHER_REQUEST, strays)
    sent = [c for c in consultations if c.sent_on <= on]
    if not any(c.nearest_mainstream for c in sent):
        raise DecisionRefused(RefusalCode.NEAREST_MAINSTREAM_NOT_CONSULTED)
    if not any(c.setting_id == setting.setting_id for c in sent):
        raise DecisionRefused(RefusalCode.SETTING_NOT_CONSULTED, (setting.setting_id,))


def _check_preferences(
    request: PlacementRequest, setting: Setting, refusals: tuple[PreferenceRefusal, ...]
) -> None:
    for refusal in refusals:
        if refusal.request_id != request.request_id:
            raise DecisionRefused(RefusalCode.REFUSAL_FOR_ANOTHER_REQUEST, (refusal.setting_id,))
        if refusal.setting_id not in request.preferences:
            raise DecisionRefused(RefusalCode.NOT_A_PREFERENCE, (refusal.setting_id,))
    refused = {refusal.setting_id for refusal in refusals}
    if setting.setting_id in refused:
        raise DecisionRefused(RefusalCode.NAMED_SETTING_REFUSED, (setting.setting_id,))
    rank = request.rank_of(setting.setting_id)
    preferred = request.preferences if rank is None else request.preferences[: rank - 1]
    unmet = tuple(setting_id for setting_id in preferred if setting_id not in refused)
    if unmet:
        raise DecisionRefused(RefusalCode.PREFERENCE_NOT_REFUSED, unmet)


def under_decision(
    request: PlacementRequest, setting_id: str, consultations: Iterable[Consultation]
) -> tuple[str, ...]:
    """The settings a decision naming `setting_id` is about, for recusal: the named setting,
    every preference and every setting consulted."""
    consulted = (c.setting_id for c in consultations)
    return tuple(dict.fromkeys((setting_id, *request.preferences, *consulted)))


def _check_case(
    request: PlacementRequest,
    setting: Setting,
    consultations: tuple[Consultation, ...],
    proposal: Proposal,
    on: date,
) -> None:
    if on < request.received_on:
        raise DecisionRefused(RefusalCode.DECIDED_BEFORE_REQUEST)
    check_suitable(check_setting(setting), request.year_group, request.need_type)
    _check_consulted(request, setting, consultations, on)
    check_options_exhausted(setting.provision, proposal.options_considered)
    _check_preferences(request, setting, proposal.preference_refusals)


def _decide(
    request: PlacementRequest,
    setting: Setting,
    consultations: tuple[Consultation, ...],
    panel: Panel,
    proposal: Proposal,
    rationale: RationaleRef,
    decided_on: date,
) -> PlacementDecision:
    _check_case(request, setting, consultations, proposal, decided_on)
    settings = under_decision(request, setting.setting_id, consultations)
    standing = check_votes(panel, settings, proposal.votes)
    if standing is Standing.OPEN:
        raise DecisionRefused(RefusalCode.QUORUM_NOT_MET, quorum_shortfall(panel, proposal.votes))
    if standing is Standing.NOT_CARRIED:
        raise DecisionRefused(RefusalCode.PROPOSAL_NOT_CARRIED)
    return PlacementDecision(
        decision_id=proposal.decision_id,
        decided_on=decided_on,
        request=request,
        setting=setting,
        consultations=consultations,
        panel=panel,
        proposal=proposal,
        recused_member_ids=recusals(panel, settings),
        rationale=rationale,
    )


def decide_placement(
    request: PlacementRequest,
    setting: Setting,
    consultations: Iterable[Consultation],
    panel: Panel,
    proposal: Proposal,
    rationale: Rationale,
    rationale_digest: str,
    decided_on: date,
) -> PlacementDecision:
    """Record the panel's decision to name `setting` for `request`, or refuse it.

    Settings under decision, for recusal, are the named setting, every preference and every
    setting consulted. The rationale's text stays out of the record: only its reference goes in,
    with the keyed digest of what was written (taken under the child's key, where the key is).
    """
    return _decide(
        request,
        setting,
        tuple(consultations),
        panel,
        proposal,
        rationale.reference(rationale_digest),
        decided_on,
    )


def check_proposal(
    request: PlacementRequest,
    setting: Setting,
    consultations: Iterable[Consultation],
    proposal: Proposal,
    rationale: Rationale,
    on: date,
) -> None:
    """Nothing, or the refusal an officer gets before putting a proposal to the panel: all a
    decision rests on but the votes (the setting suitable, the nearest mainstream and the
    named setting consulted, options exhausted, preferences refused, a written rationale)."""
    check_written(rationale)
    _check_case(request, setting, tuple(consultations), proposal, on)


def rederive(decision: PlacementDecision) -> PlacementDecision:
    """Re-make a recorded decision from its recorded inputs.

    An auditor compares the result with the record: equal means the decision was made by the
    rules. A record the rules would have refused raises `DecisionRefused`. The rationale's text
    is not needed: the placements service recomputes its digest for the auditor while the
    child's key exists.
    """
    return _decide(
        decision.request,
        decision.setting,
        decision.consultations,
        decision.panel,
        decision.proposal,
        decision.rationale,
        decision.decided_on,
    )
