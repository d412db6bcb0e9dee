"""Verifying the decision log as read from Kafka: every hash recomputes and links to its
predecessor with no gaps or forks, exact redeliveries are tolerated, signed checkpoints verify
and cover what they claim, causation links resolve, and every decision re-derives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from pydantic import ValidationError

from inclusion_cli.audit.decisions import DecisionCheck
from inclusion_cli.audit.digest import (
    CAUSE,
    EVENT_ID,
    OFFSET,
    PARTITION,
    PREVIOUS,
    RECORDED,
    TOPIC,
    Digest,
    Digested,
    digest,
)
from inclusion_cli.audit.findings import RULES_NOT_FOLLOWED, AuditReport, Finding, Location
from inclusion_shared.audit.checkpoints import Checkpoint, parse_checkpoint, signature_holds
from inclusion_shared.contracts.feedback import RESPONSE_WITHDRAWN
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS
from inclusion_shared.events.envelope import GENESIS_HASH

ERASURE_RECORDED = RESPONSE_WITHDRAWN.type
"""A response withdrawn because its respondent's details were erased (crypto-shredded)."""


class LogRecord(NamedTuple):
    topic: str
    partition: int
    offset: int
    value: bytes


class LogBatch(NamedTuple):
    """Consecutive records of one partition, as a fetch returns them."""

    topic: str
    partition: int
    offsets: list[int]
    values: list[bytes | None]


class Verifier:
    """Feed it every record of the log in any order, then ask for the report.

    Records come one by one (``read``) or as batches whose events were digested elsewhere,
    possibly in other processes (``take``): the order-dependent work, chains, duplicates and
    forks, is done here, in the order records are given."""

    def __init__(self, public_keys: Mapping[str, bytes], deployment: str = "kent") -> None:
        self.public_keys = public_keys
        self.source_prefix = f"/inclusion/{deployment}/"
        self.chain_prefix = f"{deployment}/"
        self.report = AuditReport()
        self.chains: dict[str, dict[int, Digest]] = {}
        """each service's events by chain position; an event is kept as its digest"""
        self.checkpoints: list[tuple[Checkpoint, Location]] = []
        self.decisions = DecisionCheck()
        self.read_in_full = self.decisions.read_in_full | {ERASURE_RECORDED}
        """the event types whose data the audit reads; of the others it keeps a digest"""

    def needs_digest(self, batch: LogBatch) -> bool:
        """Checkpoints are read here; every other record is an event to digest."""
        return batch.topic != AUDIT_CHECKPOINTS.name

    def read(self, record: LogRecord) -> None:
        """One record, digested here."""
        batch = LogBatch(record.topic, record.partition, [record.offset], [record.value])
        if self.needs_digest(batch):
            self.take(batch, [digest(self.source_prefix, self.read_in_full, *record)])
        else:
            self.take(batch, [])

    def take(self, batch: LogBatch, digests: Sequence[Digested]) -> None:
        """A batch of records, with the digests of its values if it holds events."""
        self.report.records_read += len(batch.offsets)
        if not self.needs_digest(batch):
            for offset, value in zip(batch.offsets, batch.values, strict=True):
                self._read_checkpoint(value or b"", Location(batch.topic, batch.partition, offset))
            return
        for offset, digested in zip(batch.offsets, digests, strict=True):
            if isinstance(digested, tuple):
                self._take_event(digested)
            elif digested is not None:  # else another deployment's event: not this audit's log
                # No event of the suite (a poison record, which consumers dead-letter) is in no
                # chain, so it is worth knowing, not a failure: an event it replaced leaves a gap.
                where = Location(batch.topic, batch.partition, offset)
                found = Finding("malformed event", "?", digested, location=where)
                self.report.warnings.append(found)

    def _read_checkpoint(self, value: bytes, location: Location) -> None:
        try:
            checkpoint = parse_checkpoint(value)
        except ValidationError:
            self._fail("malformed checkpoint", "?", "not a signed checkpoint", location=location)
            return
        if checkpoint.chain.startswith(self.chain_prefix):
            self.checkpoints.append((checkpoint, location))

    def _take_event(self, digested: Digest) -> None:
        service, position, event_id, recorded, recomputed, _, _, kind, data, *_ = digested
        chain = self.chains.get(service)
        if chain is None:
            chain = self.chains[service] = {}
        summary = self.report.chain(service)
        known = chain.get(position)
        if known is not None:
            if known[RECORDED] == recorded and known[EVENT_ID] == event_id and not recomputed:
                summary.exact_duplicates += 1
            else:
                self._fail(
                    "conflicting events at one position",
                    service,
                    f"two different events claim position {position}",
                    position=position,
                    location=_location(digested),
                    expected=known[RECORDED],
                    actual=recorded,
                )
            return
        chain[position] = digested
        summary.events += 1
        if position > summary.highest_position:
            summary.highest_position = position
        if recomputed is not None:
            self._fail(
                "hash mismatch",
                service,
                "the event's content does not give its recorded hash: it was altered",
                position=position,
                location=_location(digested),
                expected=recomputed,
                actual=recorded,
            )
        if data is not None:
            if kind == ERASURE_RECORDED:
                if isinstance(data, dict) and data.get("reason") == "erasure":
                    summary.erasures += 1
            else:
                self.decisions.observe(service, position, kind, data, self.report)

    def finish(self) -> AuditReport:
        for service, chain in self.chains.items():
            self._check_links(service, chain)
        self._check_checkpoints()
        self._check_causes()
        self._check_decisions()
        return self.report

    def _check_links(self, service: str, chain: dict[int, Digest]) -> None:
        previous_hash = GENESIS_HASH
        for position in range(1, max(chain) + 1):
            entry = chain.get(position)
            if entry is None:
                self._fail(
                    "gap",
                    service,
                    f"position {position} is missing: an event was deleted or never published",
                    position=position,
                    expected=f"an event at position {position}",
                    actual="nothing",
                )
                previous_hash = ""
                continue
            if previous_hash and entry[PREVIOUS] != previous_hash:
                self._fail(
                    "broken link",
                    service,
                    "the event does not name its predecessor's hash: changed or reordered",
                    position=position,
                    location=_location(entry),
                    expected=previous_hash,
                    actual=entry[PREVIOUS],
                )
            previous_hash = entry[RECORDED]

    def _check_checkpoints(self) -> None:
        for checkpoint, location in self.checkpoints:
            service = checkpoint.chain.removeprefix(self.chain_prefix)
            summary = self.report.chain(service)
            key = self.public_keys.get(service)
            if key is None:
                self._fail(
                    "no public key",
                    service,
                    "no published key to check this service's checkpoints",
                    location=location,
                )
                continue
            if not signature_holds(checkpoint, key):
                self._fail(
                    "bad signature",
                    service,
                    "a checkpoint's signature does not verify with the service's published key",
                    position=checkpoint.seq,
                    location=location,
                )
                continue
            entry = self.chains.get(service, {}).get(checkpoint.seq)
            if entry is None:
                self._fail(
                    "truncated",
                    service,
                    f"a signed checkpoint covers position {checkpoint.seq}, no longer in the log",
                    position=checkpoint.seq,
                    location=location,
                    expected=checkpoint.hash,
                    actual="nothing",
                )
                continue
            if entry[RECORDED] != checkpoint.hash:
                self._fail(
                    "checkpoint mismatch",
                    service,
                    "the signed chain head differs from the event at that position",
                    position=checkpoint.seq,
                    location=_location(entry),
                    expected=checkpoint.hash,
                    actual=entry[RECORDED],
                )
                continue
            summary.checkpoints += 1
            summary.signed_through = max(summary.signed_through, checkpoint.seq)
        for _, summary in sorted(self.report.chains.items()):
            if summary.unsigned_tail:
                self.report.warnings.append(
                    Finding(
                        "unsigned tail",
                        summary.service,
                        f"positions {summary.signed_through + 1} to {summary.highest_position} "
                        "follow the last signed checkpoint: consistent, but not yet signed",
                        position=summary.signed_through + 1,
                    )
                )

    def _check_causes(self) -> None:
        """Every cause an event names is an event of the log (any service's)."""
        event_ids = {entry[EVENT_ID] for chain in self.chains.values() for entry in chain.values()}
        for service, chain in self.chains.items():
            for position, entry in chain.items():
                cause = entry[CAUSE]
                if cause is not None and cause not in event_ids:
                    self._fail(
                        "dangling causation",
                        service,
                        f"event {entry[EVENT_ID]} names a cause that is not in the log",
                        position=position,
                        location=_location(entry),
                        expected=f"an event with id {cause}",
                        actual="nothing",
                    )

    def _check_decisions(self) -> None:
        for service, position, kind, data, verdict in self.decisions.rederive():
            summary = self.report.chain(service)
            if verdict.problem is None:
                if verdict.kind == "decision":
                    summary.decisions_rederived += 1
                else:
                    summary.commitments_rechecked += 1
                continue
            self._fail(
                RULES_NOT_FOLLOWED,
                service,
                verdict.problem,
                position=position,
                location=_location(self.chains[service][position]),
                expected="what the rules and the log before it give",
                actual=str(data.get("outcome") or kind),
            )

    def _fail(self, kind: str, service: str, message: str, **where: Any) -> None:
        self.report.failures.append(Finding(kind, service, message, **where))


def _location(entry: Digest) -> Location:
    return Location(entry[TOPIC], entry[PARTITION], entry[OFFSET])


def verify(
    records: Iterable[LogRecord], public_keys: Mapping[str, bytes], deployment: str = "kent"
) -> AuditReport:
    verifier = Verifier(public_keys, deployment)
    for record in records:
        verifier.read(record)
    return verifier.finish()
