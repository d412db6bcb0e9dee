"""The inbox consumer: each consumed event is processed exactly once in effect.

The inbox row ``(consumer, event_id)`` is inserted in the same transaction as the handler's
effects and outbox events, so a redelivered event is acknowledged and skipped. The records of
one poll are applied together, in one transaction: each record's handler in the order they came
(so per key, per partition), then the events they all emitted (one lock of the chain head, one
statement) and their inbox rows (one statement), and one commit. A handler that fails undoes
the run; the records before it are applied again, without it, and commit together; it takes the
single-record path below (attempts, then the dead letters); those after it follow in the next
run. (Undoing and reapplying costs only when a handler fails; a savepoint per record would cost
two round trips on every one.) The offset is committed only after the transaction, in batches
(``messaging/offsets.py``). A poison message (malformed, unknown type, wrong schema, oversized,
or a handler that keeps failing) goes to ``<topic>.dlq`` after bounded attempts with its origin
and error in headers, and the partition moves on. Outages of PostgreSQL are not the message's
fault: those are retried until the database is back, never dead-lettered.

A record is finished — applied, skipped as a duplicate or ignored, or dead-lettered — or the
partition does not move past it: any other failure (the dead letter cannot be written while
Kafka is away, an error nobody foresaw) is logged with its traceback and the same record is
tried again with backoff, its offset uncommitted and the records behind it waiting. A record
unfinished for longer than ``stuck_after`` seconds is reported (a warning naming its topic,
partition and offset, and ``stuck`` for the readiness detail) until it finishes.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.middlewares import AckPolicy
from opentelemetry.trace import SpanKind
from pydantic import ValidationError

from inclusion_shared.events.catalogue import DLQ_SUFFIX, Topic
from inclusion_shared.events.envelope import Actor, CloudEvent
from inclusion_shared.events.registry import CONTRACTS, ContractRegistry, EventData
from inclusion_shared.faults import crash_point, fault_point
from inclusion_shared.messaging.offsets import OffsetBatcher
from inclusion_shared.observability.metrics import DEAD_LETTERS, RECORD_RETRIES, RECORDS_STUCK
from inclusion_shared.observability.tracing import (
    current_traceparent,
    headers_traceparent,
    span_continuing,
)
from inclusion_shared.persistence.outbox import Cause, Caused, Outbox, source_of
from inclusion_shared.persistence.pool import Connection
from inclusion_shared.persistence.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, CloudEvent, EventData], Awaitable[None]]

MAX_EVENT_BYTES = 512 * 1024
MAX_POLL_RECORDS = 500
"""Records applied in one transaction, at most (a poll returns what is there, up to this)."""
INSERT_INBOX = """INSERT INTO inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
                  VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true"""
INSERT_INBOX_ROWS = """INSERT INTO inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
                       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::int[], $5::bigint[])
                       ON CONFLICT DO NOTHING RETURNING event_id"""
SEEN_IN_INBOX = "SELECT event_id FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])"
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.AdminShutdownError,
    # A statement timeout (or a cancel) says the database was slow, not that the event is bad.
    asyncpg.QueryCanceledError,
    asyncpg.LockNotAvailableError,
)


def consumer_group(deployment: str, service: str) -> str:
    """A service's consumer group in one deployment: deployments sharing a broker never take
    each other's partitions."""
    return f"{deployment}.{service}"


class Outcome(enum.Enum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    DEAD_LETTERED = "dead-lettered"


@dataclass(frozen=True)
class Delivery:
    """One record as it came off Kafka."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, bytes]


class Poison(Exception):
    """A message no number of attempts will process."""


class ClaimedElsewhere(Exception):
    """Records of a run that another consumer of the group applied while this one did."""


class HandlerFailed(Exception):
    """The handler of the run's record at ``index`` failed; the run was undone."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(repr(error))
        self.index, self.error = index, error


@dataclass(frozen=True)
class _Parsed:
    """A delivery this consumer applies: its event, its data and its handler."""

    delivery: Delivery
    event: CloudEvent
    data: EventData
    handler: Handler


@dataclass(frozen=True)
class Stuck:
    """A record that has not finished for a while: where it is, since when, how often tried."""

    topic: str
    partition: int
    offset: int
    since: float  # time.monotonic()
    attempts: int


class InboxConsumer:
    """Dispatches a service's consumed events to its handlers, one transaction each."""

    def __init__(
        self,
        name: str,
        outbox: Outbox,
        *,
        max_attempts: int = 3,
        retry_delay: float = 0.2,
        max_retry_delay: float = 5.0,
        stuck_after: float = 60.0,
        dead_letter_timeout: float = 30.0,
        contracts: ContractRegistry = CONTRACTS,
        deployment: str | None = None,
        max_poll_records: int = MAX_POLL_RECORDS,
    ) -> None:
        self.name = name
        self.max_poll_records = max_poll_records
        self.outbox = outbox
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.stuck_after = stuck_after
        self.dead_letter_timeout = dead_letter_timeout
        self._unfinished: dict[tuple[str, int], Stuck] = {}
        self.contracts = contracts
        self.source_prefix = source_of(deployment, "") if deployment else "/"
        self.actor = Actor(role="service", id=name)
        self._handlers: dict[str, Handler] = {}
        self._pool: asyncpg.Pool | None = None
        self._dead_letters: AIOKafkaProducer | None = None
        self.offsets = OffsetBatcher()

    def bind(self, pool: asyncpg.Pool, dead_letters: AIOKafkaProducer) -> None:
        """Give the consumer its database and the producer for dead letters, once running."""
        self._pool, self._dead_letters = pool, dead_letters

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError(f"consumer {self.name} is not bound to a database yet")
        return self._pool

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        """Register the handler of one event type (a type no contract declares is refused)."""
        self.contracts[event_type]

        def register(handler: Handler) -> Handler:
            self._handlers[event_type] = handler
            return handler

        return register

    @property
    def handled(self) -> dict[str, list[str]]:
        """Per topic consumed, the event types this consumer's handlers take."""
        found: dict[str, list[str]] = {}
        for event_type in sorted(self._handlers):
            found.setdefault(self.contracts[event_type].topic.name, []).append(event_type)
        return found

    @property
    def topics(self) -> list[str]:
        return sorted(topic.name for topic in self.consumed_topics)

    @property
    def consumed_topics(self) -> set[Topic]:
        return {self.contracts[event_type].topic for event_type in self._handlers}

    def subscribe(self, broker: KafkaBroker) -> None:
        """Consume this consumer's topics through FastStream, committing offsets by hand."""
        if not self._handlers:
            return

        @broker.subscriber(
            *self.topics,
            group_id=self.name,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            decoder=_the_message_itself,
            batch=True,
            max_records=self.max_poll_records,
            title=f"{self.name}",
        )
        async def consume(message: KafkaMessage) -> None:
            records = message.raw_message
            deliveries = [
                Delivery(
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    key=record.key,
                    value=record.value or b"",
                    headers={name: value for name, value in record.headers},
                )
                for record in (records if isinstance(records, tuple) else (records,))
            ]
            # Returns only once every record is finished: FastStream never moves past one.
            await self.finish_all(deliveries)
            crash_point("consumer.before_commit")
            if isinstance(message.consumer, AIOKafkaConsumer):
                for delivery in deliveries:
                    await self.offsets.processed(
                        message.consumer, delivery.topic, delivery.partition, delivery.offset
                    )
            else:  # FastStream's in-memory test broker has no group to commit to
                await message.ack()

    async def commit_processed(self) -> None:
        """Commit the offsets of what was processed but not committed yet (before stopping)."""
        await self.offsets.close()

    @property
    def stuck(self) -> list[Stuck]:
        """Records unfinished for longer than ``stuck_after`` seconds (the readiness detail)."""
        now = time.monotonic()
        return [s for s in self._unfinished.values() if now - s.since >= self.stuck_after]

    async def finish_all(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """Finish the records of one poll, in order: as many together as go cleanly, in one
        transaction; a poison or a failing handler alone, on the single-record path."""
        outcomes: list[Outcome] = []
        rest = list(deliveries)
        while rest:
            applied = await self._finish_together(rest)
            outcomes += applied
            rest = rest[len(applied) :]
            if rest:
                outcomes.append(await self.finish(rest[0]))
                rest = rest[1:]
        return outcomes

    async def _finish_together(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """The outcomes of the longest run of records from the first that commits together
        (empty when the first is itself a poison or its handler fails); a failure that is not
        the records' fault — the database away — is waited out, the whole run tried again."""
        where = (deliveries[0].topic, deliveries[0].partition)
        began, attempts = time.monotonic(), 0
        run = list(deliveries)
        try:
            while True:
                try:
                    return await self._apply_together(run)
                except HandlerFailed as failed:
                    # Undone with the run: the records before it are applied again without
                    # it, and it takes the single-record path (attempts, then dead letters).
                    log.warning(
                        "handler failed; the records before it commit, it is tried on its own",
                        extra=self._where(run[failed.index]) | {"error": repr(failed.error)},
                    )
                    run = run[: failed.index]
                    if not run:
                        return []
                    continue
                except Exception as error:
                    attempts += 1
                    RECORD_RETRIES.add(topic=run[0].topic)
                    self._unfinished[where] = Stuck(*where, run[0].offset, began, attempts)
                    transient = isinstance(error, (*TRANSIENT_ERRORS, ClaimedElsewhere))
                    log.log(
                        logging.WARNING if transient else logging.ERROR,
                        "records not finished; trying them again",
                        exc_info=not transient,
                        extra=self._where(run[0])
                        | {"records": len(run), "attempt": attempts, "error": repr(error)},
                    )
                    self._warn_if_stuck(run[0], began, attempts)
                await asyncio.sleep(self._backoff(attempts))
        finally:
            self._unfinished.pop(where, None)

    async def _apply_together(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """Apply the run of records up to the first poison in one transaction: their handlers
        in order, then the events they emitted and their inbox rows, a statement each, and
        one commit. A handler that fails undoes the whole run (HandlerFailed names it)."""
        outcomes: list[Outcome] = []
        run: list[_Parsed | None] = []  # None: a record not applied here
        for delivery in deliveries:
            try:
                event, data = self._parse(delivery)
            except Poison:
                break  # dead-lettered on the single-record path, after those before it
            handler = self._handler_of(event)
            if handler is None:
                outcomes.append(Outcome.IGNORED)
                run.append(None)
            else:
                outcomes.append(Outcome.PROCESSED)
                run.append(_Parsed(delivery, event, data, handler))
        if not any(run):
            return outcomes
        async with self.pool.acquire() as connection, connection.transaction():
            seen = {
                row["event_id"]
                for row in await connection.fetch(
                    SEEN_IN_INBOX, self.name, [p.event.id for p in run if p is not None]
                )
            }
            applied: list[_Parsed] = []
            emitted: list[Caused] = []
            for index, parsed in enumerate(run):
                if parsed is None:
                    continue
                if parsed.event.id in seen:
                    outcomes[index] = Outcome.DUPLICATE
                    continue
                emitted.append(await self._handled(connection, parsed, index))
                seen.add(parsed.event.id)  # a second delivery in the run is a duplicate
                applied.append(parsed)
                crash_point("consumer.between_records")
            await self.outbox.append_each(connection, emitted)
            await self._claim(connection, applied)
            crash_point("consumer.before_db_commit")
        return outcomes

    async def _handled(self, connection: Connection, parsed: _Parsed, index: int) -> Caused:
        """Run the record's handler: the events it emitted, or HandlerFailed (the database's
        own outage propagates as it is, to be waited out)."""
        delivery = parsed.delivery
        with span_continuing(
            f"{delivery.topic} process", headers_traceparent(delivery.headers), SpanKind.CONSUMER
        ):
            cause = Cause.of_event(parsed.event, self.actor)
            work = UnitOfWork(connection, self.outbox, cause)
            try:
                await parsed.handler(work, parsed.event, parsed.data)
            except TRANSIENT_ERRORS:
                raise
            except Exception as error:
                raise HandlerFailed(index, error) from error
            return Caused(work.take_pending(), cause, current_traceparent())

    async def _claim(self, connection: Connection, applied: Sequence[_Parsed]) -> None:
        """The inbox rows of the records applied, in one statement. A row another consumer of
        the group committed meanwhile (both held the partition during a rebalance) undoes the
        whole run, to be tried again, when it will be a duplicate: never applied twice."""
        if not applied:
            return
        inserted = await connection.fetch(
            INSERT_INBOX_ROWS,
            self.name,
            [p.event.id for p in applied],
            [p.delivery.topic for p in applied],
            [p.delivery.partition for p in applied],
            [p.delivery.offset for p in applied],
        )
        if len(inserted) < len(applied):
            raise ClaimedElsewhere(f"{len(applied) - len(inserted)} of the records")

    async def finish(self, delivery: Delivery) -> Outcome:
        """Process a delivery until it is finished, however long that takes: a failure that is
        not the message's fault is retried with exponential backoff (up to
        ``max_retry_delay``), never passed over."""
        where = (delivery.topic, delivery.partition)
        began, attempts = time.monotonic(), 0
        try:
            while True:
                try:
                    return await self.process(delivery)
                except Exception:
                    attempts += 1
                    RECORD_RETRIES.add(topic=delivery.topic)
                    self._unfinished[where] = Stuck(*where, delivery.offset, began, attempts)
                    log.exception(
                        "record not finished; trying it again",
                        extra=self._where(delivery) | {"attempt": attempts},
                    )
                    self._warn_if_stuck(delivery, began, attempts)
                await asyncio.sleep(self._backoff(attempts))
        finally:
            self._unfinished.pop(where, None)

    def _backoff(self, attempts: int) -> float:
        return float(min(self.retry_delay * 2 ** min(attempts - 1, 16), self.max_retry_delay))

    @staticmethod
    def _where(delivery: Delivery) -> dict[str, object]:
        return {
            "topic": delivery.topic,
            "partition": delivery.partition,
            "offset": delivery.offset,
        }

    def _warn_if_stuck(self, delivery: Delivery, began: float, attempts: int) -> None:
        waited = time.monotonic() - began
        if waited >= self.stuck_after:
            RECORDS_STUCK.add(topic=delivery.topic)
            log.warning(
                "a record has not finished; the partition waits behind it",
                extra=self._where(delivery)
                | {"attempts": attempts, "waiting_seconds": round(waited, 1)},
            )

    async def process(self, delivery: Delivery) -> Outcome:
        """Process one delivery to its end: applied once, skipped, or dead-lettered."""
        with span_continuing(
            f"{delivery.topic} process", headers_traceparent(delivery.headers), SpanKind.CONSUMER
        ):
            try:
                event, data = self._parse(delivery)
            except Poison as error:
                await self._dead_letter(delivery, str(error), attempts=1)
                return Outcome.DEAD_LETTERED
            handler = self._handler_of(event)
            if handler is None:
                return Outcome.IGNORED
            return await self._apply(delivery, event, data, handler)

    def _handler_of(self, event: CloudEvent) -> Handler | None:
        """The handler that applies the event here, or None for an event this consumer does not
        handle, or another deployment's on a shared broker."""
        if not event.source.startswith(self.source_prefix):
            return None
        return self._handlers.get(event.type)

    def _parse(self, delivery: Delivery) -> tuple[CloudEvent, EventData]:
        if len(delivery.value) > MAX_EVENT_BYTES:
            raise Poison(f"oversized: {len(delivery.value)} bytes > {MAX_EVENT_BYTES}")
        try:
            event = CloudEvent.from_bytes(delivery.value)
        except ValidationError as error:
            raise Poison(f"not a CloudEvent: {_first_error(error)}") from None
        if event.type not in self.contracts:
            raise Poison(f"unknown event type {event.type!r}")
        try:
            data = self.contracts[event.type].data_model.model_validate(event.data)
        except ValidationError as error:
            raise Poison(f"data does not match {event.dataschema}: {_first_error(error)}") from None
        return event, data

    async def _apply(
        self, delivery: Delivery, event: CloudEvent, data: EventData, handler: Handler
    ) -> Outcome:
        failures, outages, began = 0, 0, time.monotonic()
        where = (delivery.topic, delivery.partition)
        try:
            while True:
                try:
                    return await self._apply_once(delivery, event, data, handler)
                except TRANSIENT_ERRORS as error:
                    outages += 1
                    RECORD_RETRIES.add(topic=delivery.topic)
                    self._unfinished[where] = Stuck(*where, delivery.offset, began, outages)
                    log.warning(
                        "database unavailable, retrying",
                        extra=self._where(delivery) | {"error": repr(error)},
                    )
                    self._warn_if_stuck(delivery, began, outages)
                    await asyncio.sleep(self._backoff(outages))
                    continue
                except Exception as error:
                    failures += 1
                    RECORD_RETRIES.add(topic=delivery.topic)
                    log.warning(
                        "handler failed",
                        extra={
                            "event_id": str(event.id),
                            "attempt": failures,
                            "error": repr(error),
                        },
                    )
                    if failures >= self.max_attempts:
                        await self._dead_letter(delivery, repr(error), attempts=failures)
                        return Outcome.DEAD_LETTERED
                await asyncio.sleep(self.retry_delay)
        finally:
            self._unfinished.pop(where, None)

    async def _apply_once(
        self, delivery: Delivery, event: CloudEvent, data: EventData, handler: Handler
    ) -> Outcome:
        async with self.pool.acquire() as connection, connection.transaction():
            fresh = await connection.fetchval(
                INSERT_INBOX,
                self.name,
                event.id,
                delivery.topic,
                delivery.partition,
                delivery.offset,
            )
            if not fresh:
                return Outcome.DUPLICATE
            work = UnitOfWork(connection, self.outbox, Cause.of_event(event, self.actor))
            await handler(work, event, data)
            await work.flush()
            crash_point("consumer.before_db_commit")
        return Outcome.PROCESSED

    async def _dead_letter(self, delivery: Delivery, error: str, *, attempts: int) -> None:
        log.error(
            "dead-lettered",
            extra={
                "topic": delivery.topic,
                "partition": delivery.partition,
                "offset": delivery.offset,
                "error": error[:500],
            },
        )
        headers = [
            ("dlq-origin-topic", delivery.topic.encode()),
            ("dlq-origin-partition", str(delivery.partition).encode()),
            ("dlq-origin-offset", str(delivery.offset).encode()),
            ("dlq-consumer", self.name.encode()),
            ("dlq-error", error[:1000].encode()),
            ("dlq-attempts", str(attempts).encode()),
        ]
        if self._dead_letters is None:
            raise RuntimeError(f"consumer {self.name} has no dead-letter producer yet")
        fault_point("consumer.before_dead_letter", KafkaConnectionError)  # as if Kafka were away
        # Bounded: with Kafka away a send can wait for ever; then the record is tried again.
        async with asyncio.timeout(self.dead_letter_timeout):
            await self._dead_letters.send_and_wait(
                delivery.topic + DLQ_SUFFIX,
                value=delivery.value[:MAX_EVENT_BYTES],
                key=delivery.key,
                headers=headers,
            )
        DEAD_LETTERS.add(topic=delivery.topic)


async def _the_message_itself(message: KafkaMessage) -> KafkaMessage:
    """FastStream's decoder for the kit's subscriber: the handler parses the CloudEvent itself
    (once, with pydantic), so FastStream neither decodes the body nor injects dependencies."""
    return message


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
