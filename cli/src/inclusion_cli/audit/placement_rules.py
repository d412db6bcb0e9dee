"""Re-deriving the placements service's decisions from its own log, in chain order, with its
own domain rules: each panel decision from its recorded inputs (setting suitable, nearest
mainstream consulted, options exhausted, preferences refused, quorum, recusals), and each offer
against the setting's capacity as the log stood when it was made (capacity set, offers made,
accepted and declined before it), beyond which only a recorded override allows it. A decision on
a proposal sat as the roster version it names stood in the log (its members eligible on the day,
under its quorum), and counted the votes the log cast on the proposal before it, no more and no
fewer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from inclusion_cli.audit.rules import Verdict, differs, headline_differs
from inclusion_shared.contracts.placements import (
    CAPACITY_OVERRIDDEN,
    CAPACITY_SET,
    OFFER_ACCEPTED,
    OFFER_DECLINED,
    OFFER_MADE,
    PLACEMENT_DECIDED,
    ROSTER_SET,
    VOTE_CAST,
)
from placements.domain.capacity import Capacity, CapacityOverride
from placements.domain.errors import DecisionRefused
from placements.domain.offers import Offer, OfferStatus, make_offer, places_held
from placements.domain.panel import QuorumRule
from placements.domain.placement_decision import PlacementDecision, rederive
from placements.domain.roster import RosterMember

SERVICE = "placements"


class PlacementRules:
    """The placements chain replayed event by event; each decision and offer gets a verdict."""

    read_in_full = frozenset(
        {
            CAPACITY_SET.type,
            CAPACITY_OVERRIDDEN.type,
            PLACEMENT_DECIDED.type,
            OFFER_MADE.type,
            OFFER_ACCEPTED.type,
            OFFER_DECLINED.type,
            ROSTER_SET.type,
            VOTE_CAST.type,
        }
    )

    def __init__(self) -> None:
        self.capacities: dict[tuple[str, str], Capacity] = {}
        self.decisions: dict[str, PlacementDecision] = {}
        self.offers: dict[str, Offer] = {}
        self.overrides: dict[str, dict[str, Any]] = {}
        self.rosters: dict[tuple[str, int], tuple[tuple[RosterMember, ...], QuorumRule]] = {}
        """each version of each panel's roster (and quorum) the log has set so far"""
        self.cast: dict[str, list[CastVote]] = {}
        """the votes the log has cast so far on each proposal, in order"""
        self.handlers: dict[str, Callable[[dict[str, Any]], Verdict | None]] = {
            CAPACITY_SET.type: self._capacity_set,
            CAPACITY_OVERRIDDEN.type: self._overridden,
            PLACEMENT_DECIDED.type: self._decided,
            OFFER_MADE.type: self._offer_made,
            OFFER_ACCEPTED.type: self._answered(OfferStatus.ACCEPTED, "accepted_on"),
            OFFER_DECLINED.type: self._answered(OfferStatus.DECLINED, "declined_on"),
            ROSTER_SET.type: self._roster_set,
            VOTE_CAST.type: self._vote_cast,
        }

    def survey(self, kind: str, data: dict[str, Any]) -> None:
        """Placement events depend only on what precedes them."""

    def apply(self, kind: str, data: dict[str, Any]) -> Verdict | None:
        handler = self.handlers.get(kind)
        return None if handler is None else handler(data)

    def _capacity_set(self, data: dict[str, Any]) -> None:
        key = (str(data.get("setting_id")), str(data.get("academic_year")))
        try:
            self.capacities[key] = Capacity(
                setting_id=key[0],
                academic_year=key[1],
                by_year_group=tuple(data.get("by_year_group") or ()),
                designated_places=data.get("designated_places"),
            )
        except ValidationError:
            self.capacities.pop(key, None)  # offers against it then fail: no capacity known
        return None

    def _roster_set(self, data: dict[str, Any]) -> None:
        try:
            key = (str(data["panel_id"]), int(data["version"]))
            members = tuple(RosterMember.model_validate(m) for m in data["members"])
            quorum = QuorumRule.model_validate(data["quorum"])
        except (KeyError, TypeError, ValueError):
            return None  # a roster the rules cannot read seats no one: its decisions fail
        self.rosters[key] = (members, quorum)
        return None

    def _vote_cast(self, data: dict[str, Any]) -> None:
        vote = CastVote(
            str(data.get("member_id")),
            str(data.get("choice")),
            str(data.get("request_id")),
            str(data.get("panel_id")),
        )
        self.cast.setdefault(str(data.get("proposal_id")), []).append(vote)
        return None

    def _panel_and_votes(self, data: dict[str, Any], recorded: PlacementDecision) -> str | None:
        """A decision on a proposal: its panel is the roster version it names, as the log set
        it, less the members not eligible on the day, under the roster's quorum; its votes are
        those the log cast on the proposal before it, each by its member, every one of them, as
        its headline says."""
        proposal_id = data.get("proposal_id")
        if proposal_id is None:
            return None  # decided before panels kept rosters: the record alone is verified
        panel_id, version = recorded.panel.panel_id, data.get("roster_version")
        kept = self.rosters.get((panel_id, version)) if isinstance(version, int) else None
        if kept is None:
            return f"roster version {version} of {panel_id} was not set in the log before it"
        members, quorum = kept
        sitting = tuple(m.seat() for m in members if m.eligible_on(recorded.decided_on))
        if sitting != recorded.panel.members or quorum != recorded.panel.quorum:
            return (
                f"the panel is not roster version {version} of {panel_id} as the log set it: "
                + differs(
                    {
                        "members": [m.model_dump(mode="json") for m in sitting],
                        "quorum": quorum.model_dump(mode="json"),
                    },
                    {
                        "members": [m.model_dump(mode="json") for m in recorded.panel.members],
                        "quorum": recorded.panel.quorum.model_dump(mode="json"),
                    },
                )
            )
        request_id = recorded.request.request_id
        cast = [
            (v.member_id, v.choice)
            for v in self.cast.get(str(proposal_id), [])
            if (v.request_id, v.panel_id) == (request_id, panel_id)
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

    def _overridden(self, data: dict[str, Any]) -> None:
        self.overrides[str(data.get("offer_id"))] = data
        return None

    def _decided(self, data: dict[str, Any]) -> Verdict:
        try:
            recorded = PlacementDecision.model_validate(data.get("record"))
        except ValidationError as error:
            return Verdict.decision(
                "the decision record is not a valid placement decision: "
                + str(error.errors()[0]["msg"])
            )
        panel_and_votes = self._panel_and_votes(data, recorded)
        if panel_and_votes is not None:
            return Verdict.decision(panel_and_votes)
        try:
            remade = rederive(recorded)
        except DecisionRefused as refusal:
            return Verdict.decision(f"the rules refuse this decision: {refusal}")
        if remade != recorded:
            return Verdict.decision(
                "the recorded decision is not what the rules give: "
                + differs(
                    {"recused_member_ids": remade.recused_member_ids},
                    {"recused_member_ids": recorded.recused_member_ids},
                )
            )
        self.decisions[recorded.decision_id] = recorded
        recused = set(recorded.recused_member_ids)
        return Verdict.decision(
            headline_differs(
                data,
                decision_id=recorded.decision_id,
                request_id=recorded.request.request_id,
                child_id=recorded.request.child_id,
                setting_id=recorded.setting.setting_id,
                decided_on=recorded.decided_on.isoformat(),
                panel_id=recorded.panel.panel_id,
                rationale_document_id=recorded.rationale.document_id,
                rationale_digest=recorded.rationale.digest,
            )
            or headline_differs(
                {"recused": sorted(m["member_id"] for m in data["panel"] if m.get("recused"))},
                recused=sorted(recused),
            )
        )

    def _offer_made(self, data: dict[str, Any]) -> Verdict:
        offer_id, decision_id = str(data.get("offer_id")), str(data.get("decision_id"))
        decision = self.decisions.get(decision_id)
        if decision is None:
            return Verdict.commitment(
                f"offer {offer_id} follows no placement decision {decision_id} in the log"
            )
        key = (decision.setting.setting_id, decision.request.academic_year)
        capacity = self.capacities.get(key)
        if capacity is None:
            return Verdict.commitment(f"no places were set at {key[0]} for {key[1]} before it")
        overridden = self.overrides.get(offer_id)
        try:
            offers = [offer for offer in self.offers.values() if offer.offer_id != offer_id]
            offer = make_offer(
                decision,
                capacity,
                offers,
                offer_id=offer_id,
                made_on=date.fromisoformat(str(data.get("made_on"))),
                override=None if overridden is None else _override(overridden),
            )
        except DecisionRefused as refusal:
            return Verdict.commitment(f"the capacity rules refuse this offer: {refusal}")
        except (ValueError, ValidationError):
            return Verdict.commitment("the offer's override is not a valid one")
        self.offers[offer_id] = offer
        year_group = decision.request.year_group
        if overridden is not None and offer.over_capacity is None:
            return Verdict.commitment("an override is recorded for an offer within capacity")
        return Verdict.commitment(
            headline_differs(
                data,
                child_id=offer.child_id,
                setting_id=offer.setting_id,
                academic_year=offer.academic_year,
                year_group=int(offer.year_group),
                over_capacity=offer.over_capacity is not None,
            )
            or (
                None
                if overridden is None
                else headline_differs(
                    overridden,
                    places=capacity.places_for(year_group),
                    held_before=places_held(capacity, offers, year_group),
                )
            )
        )

    def _answered(self, status: OfferStatus, on: str) -> Callable[[dict[str, Any]], None]:
        def answer(data: dict[str, Any]) -> None:
            offer = self.offers.get(str(data.get("offer_id")))
            if offer is not None:
                try:
                    answered_on = date.fromisoformat(str(data.get(on)))
                except ValueError:
                    answered_on = offer.made_on
                self.offers[offer.offer_id] = offer.evolve(status=status, responded_on=answered_on)

        return answer


@dataclass(frozen=True)
class CastVote:
    """A vote as the log cast it: by whom, how, on which request, before which panel."""

    member_id: str
    choice: str
    request_id: str
    panel_id: str


def _override(data: dict[str, Any]) -> CapacityOverride:
    return CapacityOverride(
        authorised_by=str(data.get("authorised_by")),
        role=str(data.get("authorised_role")),
        reason=str(data.get("reason")),
    )
