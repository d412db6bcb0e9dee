"""Re-deriving recorded decisions from their recorded inputs under their recorded policy
version, with the services' own domain rules: an auditor trusts the rules, not the record.

Each service whose decisions the audit re-derives has its rules here (funding: HNF, SENIF, DAF
and budgets; placements: panel decisions and offers against capacity). A chain's events are
applied in chain order, since a decision may depend on what came before it (a policy
published, a budget set, places taken), and each is surveyed first as it arrives: an approval's
money is committed just before its decision is recorded, in the same transaction, so the rules
apply an event once the chain has arrived ``LOOKAHEAD`` positions past it."""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from inclusion_cli.audit.funding_rules import FundingRules
from inclusion_cli.audit.placement_rules import PlacementRules
from inclusion_cli.audit.rules import Verdict

LOOKAHEAD = 64
"""How far past an event the chain must have arrived before the rules apply it."""


class ServiceRules(Protocol):
    read_in_full: frozenset[str]

    def survey(self, kind: str, data: dict[str, Any]) -> None:
        """Sees each kept event before it is applied (a commitment precedes its decision)."""

    def apply(self, kind: str, data: dict[str, Any]) -> Verdict | None:
        """The verdict on one event, in chain order; None for events that only set the scene."""


RULES: dict[str, type[FundingRules] | type[PlacementRules]] = {
    "funding": FundingRules,
    "placements": PlacementRules,
}
READ_IN_FULL = frozenset().union(*(rules.read_in_full for rules in RULES.values()))
DISTRICT_COUNTED = frozenset({"funding.decision.recorded", "placements.placement.decided"})


class ChainRules:
    """One service's rules, fed its kept events: surveyed as they arrive, applied in order."""

    def __init__(self, rules: ServiceRules) -> None:
        self.rules = rules
        self.read_in_full = rules.read_in_full

    @classmethod
    def of(cls, service: str) -> ChainRules | None:
        rules = RULES.get(service)
        return None if rules is None else cls(rules())

    def survey(self, kind: str, data: dict[str, Any]) -> None:
        # An event the survey cannot read gets its own verdict when applied.
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            self.rules.survey(kind, data)

    def apply(self, kind: str, data: dict[str, Any]) -> Verdict | None:
        try:
            return self.rules.apply(kind, data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            return Verdict.decision(f"the event cannot be read by the rules: {error!r}")
