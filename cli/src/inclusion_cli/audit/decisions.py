"""Re-deriving recorded decisions from their recorded inputs under their recorded policy
version, with the services' own domain rules: an auditor trusts the rules, not the record.

Each service whose decisions the audit re-derives has its rules here (funding: HNF, SENIF, DAF
and budgets; placements: panel decisions and offers against capacity). Their events are kept
whole as the log is read and replayed in chain order at the end, since a decision may depend
on what came before it in its chain (a policy published, a budget set, places taken)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, NamedTuple, Protocol

from inclusion_cli.audit.findings import AuditReport
from inclusion_cli.audit.funding_rules import FundingRules
from inclusion_cli.audit.placement_rules import PlacementRules
from inclusion_cli.audit.rules import Verdict


class ServiceRules(Protocol):
    read_in_full: frozenset[str]

    def survey(self, kind: str, data: dict[str, Any]) -> None:
        """Sees every kept event before any is applied (a commitment precedes its decision)."""

    def apply(self, kind: str, data: dict[str, Any]) -> Verdict | None:
        """The verdict on one event, in chain order; None for events that only set the scene."""


RULES: dict[str, type[FundingRules] | type[PlacementRules]] = {
    "funding": FundingRules,
    "placements": PlacementRules,
}
DISTRICT_COUNTED = frozenset({"funding.decision.recorded", "placements.placement.decided"})


class Rederived(NamedTuple):
    service: str
    position: int
    kind: str
    data: dict[str, Any]
    verdict: Verdict


class DecisionCheck:
    """Keeps the events the rules read as the log is read, then replays each chain."""

    read_in_full = frozenset().union(*(rules.read_in_full for rules in RULES.values()))

    def __init__(self) -> None:
        self.events: dict[str, dict[int, tuple[str, dict[str, Any]]]] = {}
        """by service, the kind and data of each event the rules read, by chain position"""

    def observe(
        self, service: str, position: int, kind: str, data: Any, report: AuditReport
    ) -> None:
        if service not in RULES or kind not in RULES[service].read_in_full:
            return
        if not isinstance(data, dict):
            data = {}  # the rules then say what is missing
        self.events.setdefault(service, {})[position] = (kind, data)
        if kind in DISTRICT_COUNTED:
            district = str(data.get("district", "unknown"))
            report.decisions_by_district[district] = (
                report.decisions_by_district.get(district, 0) + 1
            )

    def rederive(self) -> Iterator[Rederived]:
        """Every decision and commitment of every chain, in chain order, with its verdict."""
        for service, events in sorted(self.events.items()):
            rules: ServiceRules = RULES[service]()
            for kind, data in events.values():
                # An event the survey cannot read gets its own verdict when applied.
                with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
                    rules.survey(kind, data)
            for position in sorted(events):
                kind, data = events[position]
                try:
                    verdict = rules.apply(kind, data)
                except (KeyError, TypeError, ValueError, AttributeError) as error:
                    verdict = Verdict.decision(f"the event cannot be read by the rules: {error!r}")
                if verdict is not None:
                    yield Rederived(service, position, kind, data, verdict)
