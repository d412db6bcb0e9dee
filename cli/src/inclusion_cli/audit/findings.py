"""What an audit finds: failures (the log cannot be trusted as it is), warnings (true but worth
knowing, such as an unsigned tail), each placed by topic, partition, offset and chain position."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple


class Location(NamedTuple):
    """Where a record is in Kafka (a tuple: one is kept per event of a long log)."""

    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}[{self.partition}]@{self.offset}"


RULES_NOT_FOLLOWED = "decision does not follow from its rules"
SEMANTIC_KINDS = frozenset({RULES_NOT_FOLLOWED, "dangling causation"})


@dataclass(frozen=True)
class Finding:
    """One divergence, with what was expected and what the log holds."""

    kind: str
    service: str
    message: str
    position: int | None = None
    location: Location | None = None
    expected: str | None = None
    actual: str | None = None

    def sort_key(self) -> tuple[str, int, int]:
        """Log order; at one position, what breaks the log's integrity before what it says."""
        semantic = self.kind in SEMANTIC_KINDS
        return (self.service, self.position if self.position is not None else -1, int(semantic))

    def as_json(self) -> dict[str, Any]:
        found = asdict(self)
        found["location"] = self.location._asdict() if self.location else None
        return found


@dataclass
class ChainSummary:
    """One service's chain as the audit saw it."""

    service: str
    events: int = 0
    exact_duplicates: int = 0
    highest_position: int = 0
    signed_through: int = 0
    checkpoints: int = 0
    decisions_rederived: int = 0
    commitments_rechecked: int = 0
    """budget commitments and releases, offers against capacity, re-checked by the rules"""
    erasures: int = 0
    """people whose details the service erased by crypto-shredding: the events about them
    carry no personal data, so they verify as they were; the details show as redacted"""

    @property
    def unsigned_tail(self) -> int:
        return max(0, self.highest_position - self.signed_through)


@dataclass
class AuditReport:
    chains: dict[str, ChainSummary] = field(default_factory=dict)
    decisions_by_district: dict[str, int] = field(default_factory=dict)
    failures: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    records_read: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def first_divergence(self) -> Finding | None:
        return min(self.failures, key=Finding.sort_key) if self.failures else None

    def chain(self, service: str) -> ChainSummary:
        summary = self.chains.get(service)
        if summary is None:
            summary = self.chains[service] = ChainSummary(service)
        return summary

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "records_read": self.records_read,
            "first_divergence": self.first_divergence.as_json() if self.first_divergence else None,
            "chains": {
                name: {**asdict(summary), "unsigned_tail": summary.unsigned_tail}
                for name, summary in sorted(self.chains.items())
            },
            "decisions_by_district": dict(sorted(self.decisions_by_district.items())),
            "failures": [
                finding.as_json() for finding in sorted(self.failures, key=Finding.sort_key)
            ],
            "warnings": [finding.as_json() for finding in self.warnings],
        }
