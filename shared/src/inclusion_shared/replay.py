"""Replaying a service's read models: the tables it derives from events alone are rebuilt from
offset 0 of the topics it consumes, into a scratch schema of its own database, by the very
handlers the running service uses, then compared row by row with the live tables.

A service declares what can be replayed (``Replayable``): its settings and migrations, how its
stream handlers subscribe, and which tables are read models (``ReadModel``), with the columns
that other writers legitimately set (a response date a command records on an invitation, say).
Tables its commands write are its state, not a read model: a replay of consumed events cannot
rebuild them, and they are named in ``state`` so a report can say what was not compared.

Records are replayed in the order they were produced (Kafka timestamp, then topic, partition
and offset), as the running service met them: a handler that reads what an earlier event wrote
(a setting's Community of Schools, say) finds it as it did then. The live schema is never
written; the scratch schema is left for inspection and replaced by the next replay.
"""

from __future__ import annotations

import heapq
import json
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias, cast

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import Delivery, InboxConsumer, consumer_group
from inclusion_shared.persistence.migrate import migrate
from inclusion_shared.persistence.outbox import Outbox, source_of
from inclusion_shared.persistence.pool import create_pool
from inclusion_shared.settings import ServiceSettings

SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
SOURCE = re.compile(rb'"source"\s*:\s*"([^"]*)"')
KIT_TABLES = frozenset(
    {
        "inbox",
        "outbox",
        "outbox_delivery",
        "outbox_republication",
        "outbox_pending",
        "chain_head",
        "idempotency_keys",
        "personal_data",
        "personal_records",
        "schema_migrations",
    }
)
"""The kit's own tables: delivery bookkeeping and sealed personal data, never a read model."""


@dataclass(frozen=True)
class ReadModel:
    """A table derived from consumed events: rebuilt by replaying them, it equals the live one
    except in the columns ``ignore`` names (set by something other than the events)."""

    table: str
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replayable:
    """What a service declares so its read models can be rebuilt and compared."""

    service: str
    settings: type[ServiceSettings]
    migrations: Path | None
    subscribe: Callable[[InboxConsumer, Any], None]
    """how its stream handlers subscribe, given the consumer and the service's settings"""
    read_models: tuple[ReadModel, ...]
    state: tuple[str, ...] = ()
    """tables its commands write (or that depend on them): not rebuilt from events"""


def of_deployment(value: bytes | None, prefix: bytes) -> bool:
    """Whether a record's event comes from this deployment, told without parsing it: reading
    from offset 0 of a shared broker, most records may be another deployment's."""
    found = SOURCE.search(value or b"")
    return found is not None and found[1].startswith(prefix)


class DeadLettersAlreadySent:
    """A replay never dead-letters again: the running service did so when the message first
    came. It counts them instead."""

    def __init__(self) -> None:
        self.count = 0

    async def send_and_wait(self, *_: Any, **__: Any) -> None:
        self.count += 1


Record: TypeAlias = "ConsumerRecord[bytes, bytes]"


def replay_order(record: Record) -> tuple[int, str, int, int]:
    """The order a replay applies records in: by time, then where they sit."""
    return (record.timestamp, record.topic, record.partition, record.offset)


async def merged_by_time(sources: Sequence[AsyncIterator[Record]]) -> AsyncIterator[Record]:
    """The records of several partitions as one stream in ``replay_order``, holding one record
    per partition at a time: memory follows the number of partitions, not the log's length.
    Each partition's own records come in offset order, as Kafka keeps them."""
    heads: list[tuple[tuple[int, str, int, int], int, Record]] = []
    for number, source in enumerate(sources):
        first = await anext(source, None)
        if first is not None:
            heapq.heappush(heads, (replay_order(first), number, first))
    while heads:
        _, number, record = heapq.heappop(heads)
        yield record
        following = await anext(sources[number], None)
        if following is not None:
            heapq.heappush(heads, (replay_order(following), number, following))


async def _partition_from_the_start(
    consumer: AIOKafkaConsumer, tp: TopicPartition, end: int, batch: int
) -> AsyncIterator[Record]:
    while await consumer.position(tp) < end:
        fetched = await consumer.getmany(tp, timeout_ms=1000, max_records=batch)
        for record in fetched.get(tp, []):
            if record.offset >= end:
                return
            yield record


async def merged_from_the_start(
    kafka: KafkaSettings, topics: Sequence[str], batch: int = 500
) -> AsyncIterator[Record]:
    """Every record of the topics from offset 0 to their end as it is when reading starts, in
    ``replay_order``, streamed: partitions are read side by side and merged (``merged_by_time``),
    never gathered and sorted."""
    consumer = AIOKafkaConsumer(
        **kafka.client_options(),
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=1024 * 1024,
    )
    await consumer.start()
    try:
        cluster = await consumer._client.fetch_all_metadata()
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in sorted(cluster.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        sources = [_partition_from_the_start(consumer, tp, ends[tp], batch) for tp in partitions]
        async for record in merged_by_time(sources):
            yield record
    finally:
        await consumer.stop()


def scratch_schema(service: str) -> str:
    return f"{service}_replay"


def replay_consumer(declaration: Replayable, settings: ServiceSettings) -> InboxConsumer:
    """The consumer the service itself runs (same handlers, same inbox name), unsubscribed."""
    consumer = InboxConsumer(
        consumer_group(settings.deployment, settings.service_name),
        Outbox(settings.service_name, deployment=settings.deployment),
        max_attempts=settings.consumer_max_attempts,
        deployment=settings.deployment,
    )
    declaration.subscribe(consumer, settings)
    return consumer


@dataclass
class Rebuilt:
    schema: str
    outcomes: Counter[str] = field(default_factory=Counter)


async def rebuild(
    declaration: Replayable, settings: ServiceSettings, schema: str | None = None
) -> Rebuilt:
    """Fresh read models in ``schema`` (``<service>_replay``) from every consumed topic's
    offset 0, through the service's own handlers."""
    schema = schema or scratch_schema(settings.service_name)
    if not SCHEMA.match(schema) or schema == settings.service_name:
        raise ValueError(f"{schema!r} is not a schema the replay may build into")
    connection = await asyncpg.connect(settings.database_url)
    try:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await connection.close()
    pool = await create_pool(settings.database_url, schema, max_size=2)
    try:
        await migrate(pool, settings.service_name, declaration.migrations)
        consumer = replay_consumer(declaration, settings)
        consumer.bind(pool, cast(AIOKafkaProducer, DeadLettersAlreadySent()))
        rebuilt = Rebuilt(schema)
        ours = source_of(settings.deployment, "").encode()
        async for record in merged_from_the_start(settings.kafka, consumer.topics):
            if not of_deployment(record.value, ours):
                rebuilt.outcomes["ignored"] += 1
                continue
            outcome = await consumer.process(
                Delivery(
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    key=record.key,
                    value=record.value or b"",
                    headers=dict(record.headers),
                )
            )
            rebuilt.outcomes[outcome.value] += 1
        return rebuilt
    finally:
        await pool.close()


@dataclass(frozen=True)
class TableComparison:
    """One read model, live and rebuilt."""

    table: str
    live_rows: int
    rebuilt_rows: int
    only_live: int
    only_rebuilt: int
    first_difference: str | None

    @property
    def same(self) -> bool:
        return self.first_difference is None

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "live_rows": self.live_rows,
            "rebuilt_rows": self.rebuilt_rows,
            "only_live": self.only_live,
            "only_rebuilt": self.only_rebuilt,
            "first_difference": self.first_difference,
        }


async def compare(
    declaration: Replayable, settings: ServiceSettings, schema: str | None = None
) -> list[TableComparison]:
    """Each read model's rows in the live schema and in ``schema``, as multisets of JSON rows
    without the ignored columns."""
    schema = schema or scratch_schema(settings.service_name)
    connection = await asyncpg.connect(settings.database_url)
    try:
        return [
            await _compare_table(connection, settings.service_name, schema, model)
            for model in declaration.read_models
        ]
    finally:
        await connection.close()


# Both tables as multisets of JSON rows without the ignored columns, compared by the database
# (EXCEPT ALL, spilling to disk as it needs): nothing here holds a table in memory, only counts
# and a few differing rows to show.
COMPARE = """
    WITH live AS (SELECT to_jsonb(t) - $1::text[] AS row FROM {live} t),
         rebuilt AS (SELECT to_jsonb(t) - $1::text[] AS row FROM {rebuilt} t),
         only_live AS (SELECT row FROM live EXCEPT ALL SELECT row FROM rebuilt),
         only_rebuilt AS (SELECT row FROM rebuilt EXCEPT ALL SELECT row FROM live)
    SELECT (SELECT count(*) FROM live) AS live_rows,
           (SELECT count(*) FROM rebuilt) AS rebuilt_rows,
           (SELECT count(*) FROM only_live) AS only_live,
           (SELECT count(*) FROM only_rebuilt) AS only_rebuilt,
           ARRAY(SELECT row::text FROM only_live ORDER BY 1 LIMIT $2) AS live_sample,
           ARRAY(SELECT row::text FROM only_rebuilt ORDER BY 1 LIMIT $2) AS rebuilt_sample"""
SAMPLE = 20


def _canonical(row: str) -> str:
    return json.dumps(json.loads(row), sort_keys=True, separators=(",", ":"))


async def _compare_table(
    connection: asyncpg.Connection[Any], live_schema: str, schema: str, model: ReadModel
) -> TableComparison:
    found = await connection.fetchrow(
        COMPARE.format(
            live=f'"{live_schema}"."{model.table}"', rebuilt=f'"{schema}"."{model.table}"'
        ),
        list(model.ignore),
        SAMPLE,
    )
    assert found is not None
    first = None
    if found["only_live"] or found["only_rebuilt"]:
        first = _first_difference(
            model.table,
            Counter(_canonical(row) for row in found["live_sample"]),
            Counter(_canonical(row) for row in found["rebuilt_sample"]),
        )
    return TableComparison(
        model.table,
        found["live_rows"],
        found["rebuilt_rows"],
        found["only_live"],
        found["only_rebuilt"],
        first,
    )


def _first_difference(table: str, only_live: Counter[str], only_rebuilt: Counter[str]) -> str:
    """The first differing row, paired with its rebuilt twin when one shares its first column
    (the table's key, as the migrations write them)."""
    if only_live:
        row = min(only_live)
        twin = _sharing_first_column(row, only_rebuilt)
        if twin is not None:
            return f"{table}: live row {row} was rebuilt as {twin}"
        return f"{table}: live row {row} is not what the events give (the replay has no such row)"
    row = min(only_rebuilt)
    return f"{table}: the events give row {row}, missing from the live table"


def _sharing_first_column(row: str, candidates: Counter[str]) -> str | None:
    key = next(iter(json.loads(row).items()), None)
    for candidate in sorted(candidates):
        if next(iter(json.loads(candidate).items()), None) == key:
            return candidate
    return None


@dataclass
class ServiceReplay:
    """One service's replay: what was replayed, and each read model compared."""

    service: str
    schema: str | None
    outcomes: dict[str, int]
    tables: list[TableComparison]
    state: tuple[str, ...]
    note: str | None = None

    @property
    def differences(self) -> int:
        return sum(not table.same for table in self.tables)

    @property
    def first_difference(self) -> str | None:
        return next((t.first_difference for t in self.tables if not t.same), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "schema": self.schema,
            "events": self.outcomes,
            "tables": [table.as_json() for table in self.tables],
            "not_compared": list(self.state),
            "differences": self.differences,
            "first_difference": self.first_difference,
            "note": self.note,
        }


def nothing_to_replay(declaration: Replayable) -> ServiceReplay:
    """A service that derives nothing from events: its tables are all its own state."""
    return ServiceReplay(
        declaration.service,
        None,
        {},
        [],
        declaration.state,
        "consumes no events: every table is its own state",
    )


async def replay(
    declaration: Replayable, settings: ServiceSettings, schema: str | None = None
) -> ServiceReplay:
    """Rebuild the service's read models into a scratch schema and compare them with the live
    ones. Events the live service has not consumed yet show as differences: replay a service
    that has caught up."""
    if not declaration.read_models:
        return nothing_to_replay(declaration)
    rebuilt = await rebuild(declaration, settings, schema)
    tables = await compare(declaration, settings, rebuilt.schema)
    return ServiceReplay(
        declaration.service, rebuilt.schema, dict(rebuilt.outcomes), tables, declaration.state
    )


async def tables_of(connection: asyncpg.Connection[Any], schema: str) -> list[str]:
    """Every table of a schema but the kit's, as a service's declaration should account for."""
    rows = await connection.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", schema
    )
    return sorted(str(row["table_name"]) for row in rows if row["table_name"] not in KIT_TABLES)
