"""Places offered and accepted per setting, kept from Inclusion's placement events.

Reads ``placements.placement.v1`` from the beginning in a consumer group of its own, checks
each event against the schema Inclusion exports for it, skips event types it does not know
(new ones can appear within a major version), applies each event id once, and keeps its read
model in SQLite, committing the Kafka offset only after the read model. Run it again and it
carries on from its committed offset; delete the database and reset the group to rebuild.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 GROUP_ID=places-per-setting \\
        uv run subscriber.py [--until-caught-up]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import CommitFailedError
from cloudevents.core.bindings import kafka

TOPIC = "placements.placement.v1"
EXPORTED = Path(__file__).resolve().parents[2] / "shared" / "schemas"  # in Inclusion's repository
SCHEMAS = Path(os.environ.get("SCHEMAS_DIR", EXPORTED))
COUNTED = {
    "placements.placement.offer-made": "offered",
    "placements.placement.offer-accepted": "accepted",
}


class Schemas:
    """Inclusion's exported schemas, by the URN a CloudEvent's ``dataschema`` names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.envelope = self._validator(folder / "cloudevent.v1.json")
        self._by_urn: dict[str, jsonschema.protocols.Validator | None] = {}

    @staticmethod
    def _validator(path: Path) -> jsonschema.protocols.Validator:
        schema = json.loads(path.read_text())
        return jsonschema.validators.validator_for(schema)(schema)

    def for_data(self, dataschema: str) -> jsonschema.protocols.Validator | None:
        """The schema of an event's data, or None for a type this subscriber does not know
        (``urn:inclusion:schema:<type>:v<major>`` is the file ``<type>.v<major>.json``)."""
        if dataschema not in self._by_urn:
            _, _, rest = dataschema.partition("urn:inclusion:schema:")
            event_type, _, major = rest.rpartition(":")
            path = self.folder / f"{event_type}.{major}.json"
            self._by_urn[dataschema] = self._validator(path) if path.is_file() else None
        return self._by_urn[dataschema]


class ReadModel:
    """Places per setting, and the event ids applied, in one SQLite database."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """CREATE TABLE IF NOT EXISTS applied (event_id TEXT PRIMARY KEY);
               CREATE TABLE IF NOT EXISTS places (
                   setting_id TEXT PRIMARY KEY,
                   offered INTEGER NOT NULL DEFAULT 0,
                   accepted INTEGER NOT NULL DEFAULT 0);"""
        )

    def apply(self, event_id: str, event_type: str, data: dict[str, Any]) -> bool:
        """Apply an event once; False when its id was applied before."""
        with self.db:  # one transaction: the id and its effect together
            fresh = self.db.execute(
                "INSERT OR IGNORE INTO applied VALUES (?)", (event_id,)
            ).rowcount
            if fresh and event_type in COUNTED:
                column = COUNTED[event_type]
                self.db.execute(
                    f"""INSERT INTO places (setting_id, {column}) VALUES (?, 1)
                        ON CONFLICT (setting_id) DO UPDATE SET {column} = {column} + 1""",
                    (data["setting_id"],),
                )
        return bool(fresh)

    def places(self) -> dict[str, dict[str, int]]:
        rows = self.db.execute("SELECT setting_id, offered, accepted FROM places ORDER BY 1")
        return {row[0]: {"offered": row[1], "accepted": row[2]} for row in rows}


async def subscribe(until_caught_up: bool) -> dict[str, Any]:
    schemas, model = Schemas(SCHEMAS), ReadModel(os.environ.get("READ_MODEL", "places.sqlite3"))
    counts = {"applied": 0, "duplicates": 0, "unknown_types": 0, "invalid": 0}
    consumer = AIOKafkaConsumer(
        TOPIC,
        bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        group_id=os.environ.get("GROUP_ID", "places-per-setting"),
        auto_offset_reset="earliest",  # a new group reads the whole log
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        ends: dict[TopicPartition, int] = {}
        if until_caught_up:
            await consumer.topics()  # the cluster's metadata, so the partitions are known
            numbers = consumer.partitions_for_topic(TOPIC) or set()
            ends = await consumer.end_offsets([TopicPartition(TOPIC, n) for n in numbers])
        while True:
            batches = await consumer.getmany(timeout_ms=1000, max_records=200)
            for partition, records in batches.items():
                for record in records:
                    counts[handle(record, schemas, model)] += 1
                    await asyncio.sleep(0)  # let the client's heartbeats through
                try:
                    await consumer.commit({partition: records[-1].offset + 1})
                except CommitFailedError:
                    # The group moved the partition to another member meanwhile: that member
                    # reads these records again, and the ids applied make that harmless.
                    print(f"{partition} was reassigned before its offset was committed")
            if until_caught_up and await caught_up(consumer, ends):
                break
    finally:
        await consumer.stop()
    return {**counts, "places": model.places()}


async def caught_up(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for partition, end in ends.items():
        if partition not in consumer.assignment() or await consumer.position(partition) < end:
            return False
    return True


def handle(record: Any, schemas: Schemas, model: ReadModel) -> str:
    """What became of one record: applied, a duplicate, an unknown type or invalid."""
    event = kafka.from_kafka_event(
        kafka.KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    )
    wire = json.loads(record.value)
    try:
        schemas.envelope.validate(wire)
    except jsonschema.ValidationError as error:
        print(f"invalid envelope at offset {record.offset}: {error.message}", flush=True)
        return "invalid"
    data_schema = schemas.for_data(wire["dataschema"])
    if data_schema is None:
        return "unknown_types"  # a newer type: not ours to interpret, and no reason to stop
    try:
        data_schema.validate(wire["data"])
    except jsonschema.ValidationError as error:
        print(f"invalid {event.get_type()} at offset {record.offset}: {error.message}", flush=True)
        return "invalid"
    fresh = model.apply(str(event.get_id()), str(event.get_type()), wire["data"])
    return "applied" if fresh else "duplicates"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--until-caught-up", action="store_true", help="stop at the log's end as it was at start"
    )
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(subscribe(arguments.until_caught_up))), flush=True)


if __name__ == "__main__":
    main()
