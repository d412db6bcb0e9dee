"""Re-deriving recorded decisions from their recorded inputs under their recorded policy
version, with the services' own domain rules: an auditor trusts the rules, not the record."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from funding.domain.errors import DecisionRefused
from funding.domain.hnf_decision import PanelDecision, rederive
from funding.domain.policy import FundingPolicy, load_policy


class DecisionCheck:
    """Collects policy versions as the log is read, then checks every decision against them."""

    def __init__(self) -> None:
        self.policies: dict[str, FundingPolicy] = {}
        self.decisions: list[tuple[int, dict[str, Any]]] = []

    def observe(self, position: int, event: dict[str, Any]) -> None:
        if event["type"] == "funding.policy.published":
            policy = load_policy(event["data"]["document"])
            self.policies[policy.version] = policy
        elif event["type"] == "funding.decision.recorded":
            self.decisions.append((position, event))

    def problem_with(self, event: dict[str, Any]) -> str | None:
        """Why the decision does not follow from its rules, or None when it does.

        Raises LookupError for a decision this tool cannot re-derive (its scheme's record)."""
        data = event["data"]
        if data.get("scheme") != "hnf":
            raise LookupError(f"no re-derivation for {data.get('scheme')} decisions")
        try:
            recorded = PanelDecision.model_validate(data["record"])
        except ValidationError as error:
            return f"the decision record is not a valid HNF decision: {error.errors()[0]['msg']}"
        policy = self.policies.get(recorded.policy_version)
        if policy is None:
            return f"policy version {recorded.policy_version} was never published in the log"
        try:
            remade = rederive(recorded, policy)
        except DecisionRefused as refusal:
            return f"the rules in force refuse this decision: {refusal}"
        if remade != recorded:
            return "the recorded outcome is not what the rules give: " + _difference(
                remade, recorded
            )
        return _headline_mismatch(data, recorded)


def _difference(remade: PanelDecision, recorded: PanelDecision) -> str:
    return (
        f"expected {json.dumps(remade.outcome.model_dump(mode='json'), sort_keys=True)}, "
        f"recorded {json.dumps(recorded.outcome.model_dump(mode='json'), sort_keys=True)}"
    )


def _headline_mismatch(data: dict[str, Any], record: PanelDecision) -> str | None:
    """The fields subscribers read must say what the record says."""
    outcome = record.outcome.model_dump(mode="json")
    if data.get("outcome") != outcome["kind"]:
        return f"headline outcome {data.get('outcome')} differs from the record's {outcome['kind']}"
    for name in ("band", "annual_amount_pence"):
        if name in outcome and data.get(name) != outcome[name]:
            return f"headline {name} {data.get(name)} differs from the record's {outcome[name]}"
    return None
