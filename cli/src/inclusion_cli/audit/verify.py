"""Verifying the decision log as read from Kafka: every hash recomputes and links to its
predecessor with no gaps or forks, exact redeliveries are tolerated, signed checkpoints verify
and cover what they claim, causation links resolve, and every decision re-derives."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from pydantic import ValidationError

from inclusion_cli.audit.decisions import DecisionCheck
from inclusion_cli.audit.findings import AuditReport, Finding, Location
from inclusion_shared.audit.checkpoints import Checkpoint, parse_checkpoint, signature_holds
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS
from inclusion_shared.events.chain import HASH_FIELD, event_hash
from inclusion_shared.events.envelope import GENESIS_HASH


class LogRecord(NamedTuple):
    topic: str
    partition: int
    offset: int
    value: bytes


@dataclass(frozen=True)
class Entry:
    """What the audit keeps of each chain position."""

    event_id: str
    hash: str
    previous: str
    location: Location


class Verifier:
    """Feed it every record of the log in any order, then ask for the report."""

    def __init__(self, public_keys: Mapping[str, bytes], deployment: str = "kent") -> None:
        self.public_keys = public_keys
        self.source_prefix = f"/inclusion/{deployment}/"
        self.chain_prefix = f"{deployment}/"
        self.report = AuditReport()
        self.chains: dict[str, dict[int, Entry]] = {}
        self.checkpoints: list[tuple[Checkpoint, Location]] = []
        self.event_ids: set[str] = set()
        self.causes: list[tuple[str, str, int, str, Location]] = []
        self.decisions = DecisionCheck()

    def read(self, record: LogRecord) -> None:
        self.report.records_read += 1
        location = Location(record.topic, record.partition, record.offset)
        if record.topic == AUDIT_CHECKPOINTS.name:
            self._read_checkpoint(record.value, location)
        else:
            self._read_event(record.value, location)

    def _read_checkpoint(self, value: bytes, location: Location) -> None:
        try:
            checkpoint = parse_checkpoint(value)
        except ValidationError:
            self._fail("malformed checkpoint", "?", "not a signed checkpoint", location=location)
            return
        if checkpoint.chain.startswith(self.chain_prefix):
            self.checkpoints.append((checkpoint, location))

    def _read_event(self, value: bytes, location: Location) -> None:
        try:
            event: dict[str, Any] = json.loads(value)
            source = str(event["source"])
            position, recorded_hash = int(event["chainseq"]), str(event[HASH_FIELD])
        except (ValueError, KeyError, TypeError):
            self._fail("malformed event", "?", "not an event of the suite", location=location)
            return
        if not source.startswith(self.source_prefix):
            return  # another deployment's events: not this audit's log
        service = source.removeprefix(self.source_prefix)
        chain = self.chains.setdefault(service, {})
        summary = self.report.chain(service)
        known = chain.get(position)
        if known is not None:
            if (
                known.hash == recorded_hash
                and known.event_id == event.get("id")
                and _hash_holds(event)
            ):
                summary.exact_duplicates += 1
            else:
                self._fail(
                    "conflicting events at one position",
                    service,
                    f"two different events claim position {position}",
                    position=position,
                    location=location,
                    expected=known.hash,
                    actual=recorded_hash,
                )
            return
        summary.events += 1
        summary.highest_position = max(summary.highest_position, position)
        recomputed = event_hash(event)
        if recomputed != recorded_hash:
            self._fail(
                "hash mismatch",
                service,
                "the event's content does not give its recorded hash: it was altered",
                position=position,
                location=location,
                expected=recomputed,
                actual=recorded_hash,
            )
        chain[position] = Entry(
            str(event.get("id")), recorded_hash, str(event.get("chainprev")), location
        )
        self.event_ids.add(str(event.get("id")))
        if event.get("causationid"):
            self.causes.append(
                (str(event["causationid"]), service, position, str(event.get("id")), location)
            )
        self.decisions.observe(position, event)
        if event.get("type") == "funding.decision.recorded":
            district = str(event.get("data", {}).get("district", "unknown"))
            self.report.decisions_by_district[district] = (
                self.report.decisions_by_district.get(district, 0) + 1
            )

    def finish(self) -> AuditReport:
        for service, chain in self.chains.items():
            self._check_links(service, chain)
        self._check_checkpoints()
        self._check_causes()
        self._check_decisions()
        return self.report

    def _check_links(self, service: str, chain: dict[int, Entry]) -> None:
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
            if previous_hash and entry.previous != previous_hash:
                self._fail(
                    "broken link",
                    service,
                    "the event does not name its predecessor's hash: changed or reordered",
                    position=position,
                    location=entry.location,
                    expected=previous_hash,
                    actual=entry.previous,
                )
            previous_hash = entry.hash

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
            if entry.hash != checkpoint.hash:
                self._fail(
                    "checkpoint mismatch",
                    service,
                    "the signed chain head differs from the event at that position",
                    position=checkpoint.seq,
                    location=entry.location,
                    expected=checkpoint.hash,
                    actual=entry.hash,
                )
                continue
            summary.checkpoints += 1
            summary.signed_through = max(summary.signed_through, checkpoint.seq)
        for summary in self.report.chains.values():
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
        for cause, service, position, event_id, location in self.causes:
            if cause not in self.event_ids:
                self._fail(
                    "dangling causation",
                    service,
                    f"event {event_id} names a cause that is not in the log",
                    position=position,
                    location=location,
                    expected=f"an event with id {cause}",
                    actual="nothing",
                )

    def _check_decisions(self) -> None:
        for position, event in self.decisions.decisions:
            service = str(event["source"]).removeprefix(self.source_prefix)
            try:
                problem = self.decisions.problem_with(event)
            except LookupError:
                self.report.chain(service).decisions_not_rederivable += 1
                continue
            if problem is None:
                self.report.chain(service).decisions_rederived += 1
                continue
            self._fail(
                "decision does not follow from its rules",
                service,
                problem,
                position=position,
                location=self.chains[service][position].location,
                expected="the outcome the recorded rules and policy give",
                actual=str(event["data"].get("outcome")),
            )

    def _fail(self, kind: str, service: str, message: str, **where: Any) -> None:
        self.report.failures.append(Finding(kind, service, message, **where))


def _hash_holds(event: dict[str, Any]) -> bool:
    return event_hash(event) == event.get(HASH_FIELD)


def verify(
    records: Iterable[LogRecord], public_keys: Mapping[str, bytes], deployment: str = "kent"
) -> AuditReport:
    verifier = Verifier(public_keys, deployment)
    for record in records:
        verifier.read(record)
    return verifier.finish()
