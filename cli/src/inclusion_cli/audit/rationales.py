"""`inclusion audit rationales`: every decision in the log that carries a rationale digest,
checked against the text the deciding service keeps. The digest is an HMAC under a key derived
from the child's personal-data key, so only that service can recompute it, and only while the
key exists: the auditor asks it for the digest (never the text) and compares. A digest that
differs means the text kept is not the one decided on; an erased child's is unverifiable by
design, and reported as such, not as a failure. The log's own integrity is `audit verify`'s."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

from inclusion_cli.audit.log import read_log
from inclusion_shared.contracts.funding import DECISION_RECORDED
from inclusion_shared.contracts.placements import PLACEMENT_DECIDED
from inclusion_shared.messaging.connection import KafkaSettings

DECIDED_BY = {DECISION_RECORDED.type: "funding", PLACEMENT_DECIDED.type: "placements"}
"""Each decision event, and the service that keeps its rationale."""
TOPICS = sorted({DECISION_RECORDED.topic.name, PLACEMENT_DECIDED.topic.name})


class Verdict(StrEnum):
    MATCHES = "matches"
    DIFFERS = "differs"
    ERASED = "erased"
    UNVERIFIED = "unverified"
    NOT_KEYED = "not keyed"


FAILURES = frozenset({Verdict.DIFFERS, Verdict.UNVERIFIED})


@dataclass(frozen=True)
class RecordedDigest:
    """A decision as its event records its rationale: the keyed digest, or None when it was
    recorded before rationale digests were keyed."""

    service: str
    decision_id: str
    digest: str | None


@dataclass(frozen=True)
class RationaleCheck:
    service: str
    decision_id: str
    verdict: Verdict
    detail: str


@dataclass
class RationaleReport:
    deployment: str
    checks: list[RationaleCheck]

    @property
    def passed(self) -> bool:
        return not any(check.verdict in FAILURES for check in self.checks)

    def counted(self) -> dict[str, int]:
        return {
            verdict.value: sum(check.verdict is verdict for check in self.checks)
            for verdict in Verdict
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "deployment": self.deployment,
            "counts": self.counted(),
            "decisions": [
                {
                    "service": check.service,
                    "decision_id": check.decision_id,
                    "verdict": check.verdict.value,
                    "detail": check.detail,
                }
                for check in self.checks
            ],
        }


def recorded_digest(value: bytes, source_prefix: str) -> RecordedDigest | None:
    """The rationale digest a record of the log carries, if it is a decision of the audited
    deployment with a written rationale (funding's senif and daf decisions have none)."""
    try:
        event = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not isinstance(event, dict) or event.get("type") not in DECIDED_BY:
        return None
    source, data = event.get("source"), event.get("data")
    if not isinstance(source, str) or not source.startswith(source_prefix):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("decision_id"), str):
        return None
    digest = data.get("rationale_digest")
    if not isinstance(digest, str) and not isinstance(data.get("rationale_sha256"), str):
        return None
    return RecordedDigest(
        DECIDED_BY[event["type"]],
        data["decision_id"],
        digest if isinstance(digest, str) else None,
    )


async def recorded_digests(kafka: KafkaSettings, deployment: str) -> list[RecordedDigest]:
    """Every decision of the deployment with a rationale, once each (the log delivers at least
    once), in the order the log holds them."""
    source_prefix = f"/inclusion/{deployment}/"
    found: dict[tuple[str, str], RecordedDigest] = {}
    async for record in read_log(kafka, TOPICS):
        recorded = recorded_digest(record.value, source_prefix)
        if recorded is not None:
            found.setdefault((recorded.service, recorded.decision_id), recorded)
    return list(found.values())


def check(client: httpx.Client, recorded: RecordedDigest) -> RationaleCheck:
    """What the deciding service says of the decision's rationale against the log's digest."""

    def verdict(found: Verdict, detail: str) -> RationaleCheck:
        return RationaleCheck(recorded.service, recorded.decision_id, found, detail)

    if recorded.digest is None:
        return verdict(Verdict.NOT_KEYED, "recorded before rationale digests were keyed")
    try:
        response = client.get(f"/decisions/{recorded.decision_id}/rationale-digest")
    except httpx.HTTPError as error:
        return verdict(Verdict.UNVERIFIED, f"{recorded.service} did not answer: {error}")
    body = _json(response)
    if response.status_code == 200:
        if body.get("rationale_digest") == recorded.digest:
            return verdict(Verdict.MATCHES, "the text kept gives the digest the log carries")
        return verdict(Verdict.DIFFERS, "the text kept gives another digest than the log's")
    if response.status_code == 410:
        return verdict(Verdict.ERASED, "the child's key was erased: unverifiable by design")
    if response.status_code == 409 and body.get("code") == "rationale_altered":
        return verdict(Verdict.DIFFERS, str(body.get("detail")))
    return verdict(
        Verdict.UNVERIFIED,
        f"{recorded.service} answered {response.status_code}: {body.get('detail', '')}",
    )


def check_all(
    clients: Mapping[str, httpx.Client], deployment: str, recorded: Iterable[RecordedDigest]
) -> RationaleReport:
    """Each decision asked of the service that keeps its rationale, one after another."""
    return RationaleReport(
        deployment, [check(clients[decision.service], decision) for decision in recorded]
    )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def render_text(report: RationaleReport) -> str:
    lines = [
        f"Rationale digests of deployment '{report.deployment}', recomputed by the services "
        "that keep the texts",
        "",
    ]
    width = max((len(found.decision_id) for found in report.checks), default=0) + 2
    for found in report.checks:
        lines.append(
            f"{found.service:<12}{found.decision_id:<{width}}{found.verdict.value:<12}"
            f"{found.detail}"
        )
    counts = report.counted()
    lines += [
        "",
        ", ".join(f"{count} {verdict}" for verdict, count in counts.items()),
        "",
    ]
    if report.passed:
        lines.append(
            "PASSED: every rationale still kept gives the digest its decision's event carries."
        )
    else:
        failing = counts[Verdict.DIFFERS] + counts[Verdict.UNVERIFIED]
        lines.append(
            f"FAILED: {failing} decision(s) whose rationale differs from, or could not be "
            "checked against, the digest their event carries"
        )
    return "\n".join(lines)
