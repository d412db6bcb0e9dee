"""Verifying the decision log as read from Kafka: every hash recomputes and links to its
predecessor with no gaps or forks, exact redeliveries are tolerated, signed checkpoints verify
and cover what they claim, causation links resolve, and every decision re-derives."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import ValidationError

from inclusion_cli.audit.causes import Causes
from inclusion_cli.audit.chains import ChainCheck
from inclusion_cli.audit.decisions import DISTRICT_COUNTED, READ_IN_FULL, RULES
from inclusion_cli.audit.digest import (
    CAUSE,
    DATA,
    EVENT_ID,
    KIND,
    POSITION,
    Digest,
    Digested,
    digest,
    location_of,
)
from inclusion_cli.audit.findings import AuditReport, Finding, Location
from inclusion_shared.audit.checkpoints import Checkpoint, parse_checkpoint, signature_holds
from inclusion_shared.contracts.feedback import RESPONSE_WITHDRAWN
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS

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

    Records come one by one (``read``) or as batches whose events were digested elsewhere
    (``take``). Each chain is checked as its events arrive (``ChainCheck``), in memory that
    grows by a few dozen bytes an event; a part of the log verified in another process gives
    back its ``Part``, and the parts join in ``joined``."""

    def __init__(self, public_keys: Mapping[str, bytes], deployment: str = "kent") -> None:
        self.public_keys = public_keys
        self.deployment = deployment
        self.source_prefix = f"/inclusion/{deployment}/"
        self.chain_prefix = f"{deployment}/"
        self.report = AuditReport()
        self.chains: dict[str, ChainCheck] = {}
        self.causes = Causes()
        self.positions: int | None = None
        """how many records the log holds, where known: no chain position can be beyond it"""
        self.read_in_full = READ_IN_FULL | {ERASURE_RECORDED}
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

    def chain(self, service: str) -> ChainCheck:
        chain = self.chains.get(service)
        if chain is None:
            summary = self.report.chain(service)
            chain = self.chains[service] = ChainCheck(summary, self._fail, self.positions)
        return chain

    def _read_checkpoint(self, value: bytes, location: Location) -> None:
        try:
            checkpoint = parse_checkpoint(value)
        except ValidationError:
            self._fail("malformed checkpoint", "?", "not a signed checkpoint", location=location)
            return
        if not checkpoint.chain.startswith(self.chain_prefix):
            return
        service = checkpoint.chain.removeprefix(self.chain_prefix)
        key = self.public_keys.get(service)
        if key is None:
            self.report.chain(service)
            self._fail(
                "no public key",
                service,
                "no published key to check this service's checkpoints",
                location=location,
            )
        elif not signature_holds(checkpoint, key):
            self.report.chain(service)
            self._fail(
                "bad signature",
                service,
                "a checkpoint's signature does not verify with the service's published key",
                position=checkpoint.seq,
                location=location,
            )
        else:
            self.chain(service).add_checkpoint(checkpoint)

    def _take_event(self, digested: Digest) -> None:
        service = digested[0]
        chain = self.chains.get(service) or self.chain(service)
        if not chain.take(digested):
            return
        position, event_id, cause, kind, data = (
            digested[POSITION],
            digested[EVENT_ID],
            digested[CAUSE],
            digested[KIND],
            digested[DATA],
        )
        self.causes.event(event_id)
        if cause is not None:
            self.causes.cause(service, position, event_id, cause, location_of(digested))
        if data is None:
            return
        if kind == ERASURE_RECORDED:
            if isinstance(data, dict) and data.get("reason") == "erasure":
                self.report.chain(service).erasures += 1
        elif kind in DISTRICT_COUNTED and service in RULES:
            district = str(data.get("district", "unknown")) if isinstance(data, dict) else "?"
            by_district = self.report.decisions_by_district
            by_district[district] = by_district.get(district, 0) + 1

    def hand_over_checkpoints(self) -> list[Checkpoint]:
        """The checkpoints whose signatures hold, for workers that will read their events."""
        return [
            checkpoint
            for chain in self.chains.values()
            for held in chain.awaiting.values()
            for checkpoint in held
        ]

    def hold_checkpoint(self, checkpoint: Checkpoint) -> None:
        """A checkpoint whose signature another process verified."""
        self.chain(checkpoint.chain.removeprefix(self.chain_prefix)).add_checkpoint(checkpoint)

    def part(self, leave_out: Collection[str] = (), only_with_events: bool = False) -> Part:
        """This part of the log, its chains finished: what a worker process gives back. Chains
        another part holds (``leave_out``), or with no event in this one, are left out."""
        for service, summary in list(self.report.chains.items()):
            if service in leave_out or (only_with_events and not summary.events):
                del self.report.chains[service]
                self.chains.pop(service, None)
        for chain in self.chains.values():
            chain.finish()
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
        return Part(self.report, self.causes)

    def finish(self) -> AuditReport:
        return joined([self.part()])

    def _fail(self, kind: str, service: str, message: str, **where: Any) -> None:
        self.report.failures.append(Finding(kind, service, message, **where))


@dataclass
class Part:
    report: AuditReport
    causes: Causes


class OverlappingParts(Exception):
    """Two parts of the log hold events of one chain: they cannot be verified apart."""


def joined(parts: Sequence[Part]) -> AuditReport:
    """The report on a log from the reports on its parts, each holding whole chains; then the
    causation links, which cross chains. Raises OverlappingParts if a chain is in two parts."""
    report, causes = AuditReport(), Causes()
    for part in parts:
        for service, summary in part.report.chains.items():
            if service in report.chains:
                raise OverlappingParts(service)
            report.chains[service] = summary
        for district, count in part.report.decisions_by_district.items():
            report.decisions_by_district[district] = (
                report.decisions_by_district.get(district, 0) + count
            )
        report.failures.extend(part.report.failures)
        report.warnings.extend(part.report.warnings)
        report.records_read += part.report.records_read
        causes.extend(part.causes)
    for service, position, event_id, cause, location in causes.dangling():
        report.failures.append(
            Finding(
                "dangling causation",
                service,
                f"event {event_id} names a cause that is not in the log",
                position=position,
                location=location,
                expected=f"an event with id {cause}",
                actual="nothing",
            )
        )
    report.failures.sort(key=Finding.sort_key)
    report.warnings.sort(key=Finding.sort_key)
    return report


def verify(
    records: Iterable[LogRecord], public_keys: Mapping[str, bytes], deployment: str = "kent"
) -> AuditReport:
    verifier = Verifier(public_keys, deployment)
    log = list(records)
    verifier.positions = len(log)
    for record in log:
        verifier.read(record)
    return verifier.finish()
