"""The transactional outbox: a handler's events are appended to the service's hash chain in the
same PostgreSQL transaction as its state change, and the relay publishes them afterwards."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from inclusion_shared.events.chain import HASH_FIELD, ChainBreak, event_hash, verify_chain
from inclusion_shared.events.envelope import Actor, CloudEvent
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


# The chain head is locked until commit, so appends are serialised and sequence is commit order.
LOCK_HEAD = "SELECT chain, seq, hash FROM chain_head WHERE chain = current_schema() FOR UPDATE"
# The events, the head moved past them and the relay woken, in one round trip: the head's lock
# is held for as short a time as the statements allow.
APPEND = """
WITH appended AS (
    INSERT INTO outbox (seq, event_id, event_type, topic, key, payload, prev_hash, hash,
                        traceparent)
    SELECT * FROM unnest($5::bigint[], $6::uuid[], $7::text[], $8::text[], $9::text[],
                         $10::bytea[], $11::text[], $12::text[], $13::text[])
), moved AS (
    UPDATE chain_head SET seq = $2, hash = $3 WHERE chain = $1
)
SELECT pg_notify($4, '')"""


# The republication whose deliveries describe the broker's log now; 0 until the first
# (`inclusion log rebuild`, migration 0004).
REPUBLICATION = "(SELECT coalesce(max(number), 0) FROM outbox_republication)"


def notify_channel(chain: str) -> str:
    return f"outbox_{chain}"


class Outbox:
    """Appends events to one service's chain. Appends are serialised by a row lock on the chain
    head held until commit, so sequence order is commit order and the relay never skips a row."""

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
    ) -> list[CloudEvent]:
        """Append events inside the caller's open transaction; returns them as they will be sent."""
        return await self.append_each(connection, [Caused(events, cause, current_traceparent())])

    async def append_each(
        self, connection: Connection, caused: Sequence[Caused]
    ) -> list[CloudEvent]:
        """Append the events of several causes (the records of one consumed poll), in order,
        with one lock of the chain head and one statement."""
        if not any(c.events for c in caused):
            return []
        if not connection.is_in_transaction():
            raise RuntimeError("Outbox.append must run inside the handler's transaction")
        head = await connection.fetchrow(LOCK_HEAD)
        if head is None:
            raise RuntimeError("no chain head: the kit's migrations have not run in this schema")
        seq, previous = head["seq"], head["hash"]
        now = datetime.now(UTC)
        sealed: list[CloudEvent] = []
        for each in caused:
            for new in each.events:
                seq += 1
                event = self.seal(new, each.cause, seq, previous, now, each.traceparent)
                sealed.append(event)
                previous = event.chainhash
        await connection.execute(
            APPEND,
            head["chain"],
            seq,
            previous,
            notify_channel(head["chain"]),
            [event.chainseq for event in sealed],
            [event.id for event in sealed],
            [event.type for event in sealed],
            [self.contracts[event.type].topic.name for event in sealed],
            [event.subject for event in sealed],
            [event.to_bytes() for event in sealed],
            [event.chainprev for event in sealed],
            [event.chainhash for event in sealed],
            [event.traceparent for event in sealed],
        )
        return sealed

    def seal(
        self,
        new: NewEvent,
        cause: Cause,
        seq: int,
        previous: str,
        time: datetime,
        traceparent: str | None,
    ) -> CloudEvent:
        """The event with its envelope, at chain position ``seq`` after ``previous``."""
        contract = self.contracts[new.type]
        if self.own_topics_only and contract.topic.service != self.service:
            raise ValueError(f"{self.service} does not publish {new.type} ({contract.topic.name})")
        if not isinstance(new.data, contract.data_model):
            raise TypeError(
                f"{new.type} carries {contract.data_model.__name__}, not {type(new.data).__name__}"
            )
        wire: dict[str, Any] = CloudEvent(
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
            chainhash="0" * 64,
        ).to_wire()
        wire[HASH_FIELD] = event_hash(wire)
        return CloudEvent.model_validate(wire)


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
