"""What the demo prints: where the suite is, what the scenario did, and what the decision log
says: the consequences each service drew from the others' events, and the auditor's verdict."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.log import audited_topics, read_log
from inclusion_cli.audit.report import render_text
from inclusion_cli.audit.verify import Verifier
from inclusion_cli.demo.data import KentDemo
from inclusion_cli.demo.scenario import Calendar
from inclusion_cli.demo.suite import (
    DONE,
    EXISTS,
    FAILED,
    REFUSED,
    REPLAYED,
    SKIPPED,
    Outcome,
)
from inclusion_cli.services import front_page
from inclusion_shared.events.registry import CONTRACTS
from inclusion_shared.messaging.connection import KafkaSettings

CONSEQUENCES = {
    "feedback.invitation.issued": "feedback invitations issued",
    "funding.application.reapplication-opened": "HNF re-applications opened by phase transfers",
    "funding.allocation.award-ended": "SENIF awards ended by children leaving",
}


def where(urls: Mapping[str, str]) -> str:
    lines = [f"{'service':<12}{'API docs':<34}events (AsyncAPI)"]
    lines += [
        f"{name:<12}{front_page(name, url):<34}{url}/asyncapi.json" for name, url in urls.items()
    ]
    return "\n".join(lines)


@dataclass
class Tally:
    """The scenario's outcomes, counted by the kind of step."""

    outcomes: list[Outcome]
    by_kind: dict[str, list[Outcome]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for outcome in self.outcomes:
            self.by_kind.setdefault(outcome.kind, []).append(outcome)

    def done(self, *kinds: str) -> int:
        return sum(o.completed for kind in kinds for o in self.by_kind.get(kind, []))

    def refused(self, *kinds: str) -> int:
        return sum(o.status == REFUSED for kind in kinds for o in self.by_kind.get(kind, []))

    def answered(self, kind: str, key: str, value: Any) -> int:
        return sum(o.answer.get(key) == value for o in self.by_kind.get(kind, []))

    def statuses(self) -> Counter[str]:
        return Counter(outcome.status for outcome in self.outcomes)


def summary(
    demo: KentDemo, calendar: Calendar, outcomes: list[Outcome], took: float | None = None
) -> str:
    tally = Tally(outcomes)
    statuses = tally.statuses()
    kinds = Counter(setting.provision for setting in demo.settings)
    budgets = ", ".join(
        f"{area.value} £{pence / 100_000_000:.1f}m" for area, pence in demo.budgets_pence.items()
    )
    hnf = tally.by_kind.get("hnf.application", [])
    returned = sum(o.answer.get("status") == "returned_incomplete" for o in hnf)
    senif_decisions = tally.by_kind.get("senif.decision", [])
    awarded = sum(o.answer.get("outcome") == "awarded" for o in senif_decisions)
    size = "Kent at its real size" if demo.scale == "kent" else "Kent demo"
    lines = [
        f"{size}, seed {demo.seed}: day one {calendar.day_one}, academic year "
        f"{calendar.academic_year}, financial year {calendar.financial_year}",
        f"  {len(outcomes)} steps"
        + (f" in {took:.0f} s ({len(outcomes) / max(took, 0.001):.0f} a second)" if took else "")
        + f": {statuses[DONE]} done now, "
        f"{statuses[REPLAYED] + statuses[EXISTS]} already there, "
        f"{statuses[REFUSED]} refused as the rules say, {statuses[FAILED]} failed, "
        f"{statuses[SKIPPED]} skipped",
        f"  data:       {len({s.community_id for s in demo.settings})} Communities of Schools "
        f"in 12 districts and 4 "
        f"areas; {len(demo.settings)} settings ("
        + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        + f"); {len(demo.children)} pseudonymous children; {len(demo.panels)} area panels",
        f"  budgets:    {calendar.financial_year}: {budgets}",
        f"  HNF:        {tally.done('hnf.application')} applications "
        f"({returned} returned as incomplete, {tally.done('hnf.withdrawal')} withdrawn); "
        f"decisions: {tally.done('hnf.decision.approve')} approved, "
        f"{tally.done('hnf.decision.decline')} declined, "
        f"{tally.done('hnf.decision.defer_for_information')} deferred for information; "
        f"{tally.done('hnf.challenge')} challenged: "
        f"{tally.done('hnf.challenge.overturned')} overturned, "
        f"{tally.done('hnf.challenge.upheld')} upheld",
        f"  SENIF/DAF:  {tally.done('senif.application')} SENIF applications, {awarded} awarded, "
        f"{len(senif_decisions) - awarded} refused by the officer, "
        f"{tally.refused('senif.application')} sent back (hours above the cap); "
        f"DAF {tally.done('daf.claim')} paid, {tally.refused('daf.claim.refused')} refused",
        f"  EHC needs assessments: {tally.done('assessment.request')} requested over 30 "
        f"months, {tally.done('assessment.decided_not_to_assess')} not assessed, "
        f"{tally.done('assessment.final_plan_issued')} final plans issued, "
        f"{tally.done('assessment.exception')} with an allowed exception",
        f"  placements: {tally.done('placement.request')} requests, "
        f"{tally.done('placement.consultations')} consultation rounds, "
        f"{tally.done('placement.reply')} replies, {tally.done('placement.decision')} panel "
        f"decisions, {tally.done('placement.offer-accepted')} offers accepted, "
        f"{tally.done('placement.started')} placements started, "
        f"{tally.done('placement.ended')} ended, {tally.done('placement.moved')} moved",
        f"  reviews:    {tally.done('review.cycle')} cycles, "
        f"{tally.done('review.self-evaluation')} reviews under way, "
        f"{tally.done('review.report')} reports written, "
        f"{tally.done('review.follow-up')} followed up",
        f"  feedback:   {tally.done('survey.published')} surveys published, "
        f"{tally.done('response')} responses, {tally.done('response.tagged')} tagged with themes, "
        f'{tally.done("you-said-we-did")} "You said, we did" action published',
    ]
    failures = [o for o in outcomes if o.status in (FAILED, SKIPPED)]
    for outcome in failures[:10]:
        lines.append(f"  ! {outcome.status}: {outcome.step}: {_detail(outcome)}")
    if len(failures) > 10:
        lines.append(f"  ! ... and {len(failures) - 10} more")
    return "\n".join(lines)


def _detail(outcome: Outcome) -> str:
    body = outcome.body
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("errors") or body)[:300]
    return str(body)[:300]


@dataclass
class LogReading:
    """One pass over the decision log: the auditor's report, and the demo's consequences."""

    report: AuditReport
    consequences: Counter[str]

    def render(self, deployment: str) -> str:
        lines = ["Consequences on the log (each caused by another service's event):"]
        lines += [
            f"  {label:<48}{self.consequences[event_type]:>5}"
            for event_type, label in CONSEQUENCES.items()
        ]
        lines += ["", "inclusion audit verify:", render_text(self.report, deployment)]
        kinds = Counter(f"{f.kind} ({f.service})" for f in self.report.failures)
        if kinds:
            lines.append("  problems by kind: " + "; ".join(f"{n} {k}" for k, n in kinds.items()))
        return "\n".join(lines)


async def read_the_log(
    kafka: KafkaSettings, deployment: str, public_keys: Mapping[str, bytes], demo: KentDemo
) -> LogReading:
    """Verify the deployment's log as `inclusion audit verify` does, and count the demo's
    cross-service consequences (events about one of its children or settings), each once
    however often it was delivered. A child's id is minted, so it carries no demo prefix: the
    demo's children are known by the ids it made."""
    verifier = Verifier(public_keys, deployment=deployment)
    source = f"/inclusion/{deployment}/"
    ours = {child.child_id for child in demo.children} | {s.setting_id for s in demo.settings}
    seen: dict[str, set[str]] = {event_type: set() for event_type in CONSEQUENCES}
    on_topics = {CONTRACTS[event_type].topic.name for event_type in CONSEQUENCES}
    async for record in read_log(kafka, audited_topics()):
        verifier.read(record)
        if record.topic not in on_topics:
            continue  # no consequence is published there: not worth parsing again
        event = json.loads(record.value)
        if event.get("type") not in seen:
            continue
        if not str(event.get("source", "")).startswith(source):
            continue
        data = event.get("data") or {}
        about = str(data.get("child_id") or data.get("setting_id") or "")
        if about in ours:
            seen[event["type"]].add(event["id"])
    consequences = Counter({event_type: len(ids) for event_type, ids in seen.items()})
    return LogReading(verifier.finish(), consequences)
