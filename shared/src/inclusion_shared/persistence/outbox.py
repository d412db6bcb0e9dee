"""The transactional outbox: a handler's events are appended to the service's hash chain in the
same PostgreSQL transaction as its state change, and the relay publishes them afterwards."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from inclusion_shared.events.chain import (
    HASH_FIELD,
    ChainBreak,
    canonical_json,
    event_hash,
    verify_chain,
)
from inclusion_shared.events.envelope import GENESIS_HASH, Actor, CloudEvent
from inclusion_shared.events.registry import CONTRACTS, ContractRegistry, EventData
from inclusion_shared.observability.tracing import current_traceparent
from inclusion_shared.persistence.pool import Connection

DEFAULT_DEPLOYMENT = "kent"


@dataclass(frozen=True)
class NewEvent:
    """An event a handler decides to emit; the outbox gives it its envelope and chain place."""

    type: str
    subject: str
    data: EventData


@dataclass(frozen=True)
class Cause:
    """Why events are emitted: the correlation they belong to, the event or command that caused
    them, and who acted."""

    correlation_id: UUID
    actor: Actor
    causation_id: UUID | None = None

    @classmethod
    def of_event(cls, event: CloudEvent, actor: Actor) -> Cause:
        """Events caused by a consumed event share its correlation and name it as their cause."""
        return cls(correlation_id=event.correlationid, actor=actor, causation_id=event.id)


@dataclass(frozen=True)
class Caused:
    """Events one cause emitted, and the trace they were emitted in."""

    events: Sequence[NewEvent]
    cause: Cause
    traceparent: str | None


def chain_name(deployment: str, service: str) -> str:
    """A chain is one service's events in one deployment of the suite."""
    return f"{deployment}/{service}"


def source_of(deployment: str, service: str) -> str:
    """The CloudEvents ``source`` of a service's events: ``/inclusion/<deployment>/<service>``."""
    return f"/inclusion/{chain_name(deployment, service)}"


# Events are inserted unsealed, with no lock; a deferred trigger seals each at commit, holding
# the chain head's lock to the end of the commit only (migration 0005).
APPEND = """
INSERT INTO outbox_pending (event_id, event_type, topic, key, head, tail, traceparent)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::bytea[],
                     $7::text[])"""
# Where the trigger puts an event's chain place in its canonical form: the two attributes are
# adjacent in key order, and no attribute sorts between them and ``chainhash``.
PLACE_MARK = b'"chainprev":"","chainseq":0'


@dataclass(frozen=True)
class Unsealed:
    """An event as the outbox stores it before commit: its canonical form in two halves around
    its chain place, which the sealing trigger fills in."""

    event_id: UUID
    type: str
    topic: str
    subject: str
    head: bytes
    tail: bytes
    traceparent: str | None


# The republication whose deliveries describe the broker's log now; 0 until the first
# (`inclusion log rebuild`, migration 0004).
REPUBLICATION = "(SELECT coalesce(max(number), 0) FROM outbox_republication)"


def notify_channel(chain: str) -> str:
    return f"outbox_{chain}"


class Outbox:
    """Appends events to one service's chain. Their chain places are given at commit, under a
    lock of the chain head held to the end of the commit, so sequence order is commit order
    and the relay never skips a row."""

    def __init__(
        self,
        service: str,
        contracts: ContractRegistry = CONTRACTS,
        deployment: str = DEFAULT_DEPLOYMENT,
        *,
        own_topics_only: bool = True,
    ) -> None:
        self.service = service
        # A service publishes its own topics' events only: its AsyncAPI document, generated from
        # the same catalogue, lists them all, and its ACLs let it write no others. (The bench
        # puts the suite's types on topics of its own.)
        self.own_topics_only = own_topics_only
        self.chain = chain_name(deployment, service)
        self.source = source_of(deployment, service)
        self.contracts = contracts

    async def append(
        self, connection: Connection, events: Sequence[NewEvent], cause: Cause
    ) -> list[Unsealed]:
        """Append events inside the caller's open transaction; they are sealed as it commits."""
        return await self.append_each(connection, [Caused(events, cause, current_traceparent())])

    async def append_each(self, connection: Connection, caused: Sequence[Caused]) -> list[Unsealed]:
        """Append the events of several causes (the records of one consumed poll), in order,
        with one statement."""
        if not any(c.events for c in caused):
            return []
        if not connection.is_in_transaction():
            raise RuntimeError("Outbox.append must run inside the handler's transaction")
        now = datetime.now(UTC)
        unsealed = [
            self.unsealed(new, each.cause, now, each.traceparent)
            for each in caused
            for new in each.events
        ]
        await connection.execute(
            APPEND,
            [event.event_id for event in unsealed],
            [event.type for event in unsealed],
            [event.topic for event in unsealed],
            [event.subject for event in unsealed],
            [event.head for event in unsealed],
            [event.tail for event in unsealed],
            [event.traceparent for event in unsealed],
        )
        return unsealed

    def unsealed(
        self, new: NewEvent, cause: Cause, time: datetime, traceparent: str | None
    ) -> Unsealed:
        """The event's canonical form without its chain place, split where the place goes."""
        wire = self._wire(new, cause, time, traceparent)
        del wire[HASH_FIELD]
        wire["chainprev"], wire["chainseq"] = "", 0
        canonical = canonical_json(wire)
        at = canonical.find(PLACE_MARK)
        if at < 0 or canonical.find(PLACE_MARK, at + 1) >= 0:
            raise ValueError(f"{new.type}: its chain place cannot be told apart in its data")
        return Unsealed(
            UUID(wire["id"]),
            new.type,
            self.contracts[new.type].topic.name,
            new.subject,
            canonical[:at],
            canonical[at + len(PLACE_MARK) :],
            traceparent,
        )

    def seal(
        self,
        new: NewEvent,
        cause: Cause,
        seq: int,
        previous: str,
        time: datetime,
        traceparent: str | None,
    ) -> CloudEvent:
        """The event with its envelope, at chain position ``seq`` after ``previous``: what the
        sealing trigger makes of it at commit (tests and the bench seal chains with it)."""
        wire = self._wire(new, cause, time, traceparent, seq, previous)
        wire[HASH_FIELD] = event_hash(wire)
        return CloudEvent.model_validate(wire)

    def _wire(
        self,
        new: NewEvent,
        cause: Cause,
        time: datetime,
        traceparent: str | None,
        seq: int = 1,
        previous: str = GENESIS_HASH,
    ) -> dict[str, Any]:
        contract = self.contracts[new.type]
        if self.own_topics_only and contract.topic.service != self.service:
            raise ValueError(f"{self.service} does not publish {new.type} ({contract.topic.name})")
        if not isinstance(new.data, contract.data_model):
            raise TypeError(
                f"{new.type} carries {contract.data_model.__name__}, not {type(new.data).__name__}"
            )
        return CloudEvent(
            id=uuid4(),
            source=self.source,
            type=new.type,
            subject=new.subject,
            time=time,
            dataschema=contract.dataschema,
            data=new.data.model_dump(mode="json"),
            correlationid=cause.correlation_id,
            causationid=cause.causation_id,
            actorrole=cause.actor.role,
            actorid=cause.actor.id,
            traceparent=traceparent,
            chainseq=seq,
            chainprev=previous,
            chainhash=GENESIS_HASH,
        ).to_wire()


async def verify_outbox(connection: Connection) -> ChainBreak | None:
    """Check this schema's outbox chain from its first event: the first break, or None."""
    rows = await connection.fetch("SELECT seq, payload, hash FROM outbox ORDER BY seq")
    events = [json.loads(row["payload"]) for row in rows]
    for row, event in zip(rows, events, strict=True):
        if event.get(HASH_FIELD) != row["hash"]:
            return ChainBreak(
                row["seq"], "row and payload disagree", row["hash"], str(event.get(HASH_FIELD))
            )
    return verify_chain(events)
