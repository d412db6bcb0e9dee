"""What each service stored, read straight from its database as the campaign's superuser: its
outbox and where the relay recorded each event landing, its inbox, its answered commands. And
which events each consuming service handles (its inbox's business) by type and topic."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from inclusion_shared.contracts import funding as funding_events
from inclusion_shared.contracts import placements as placement_events
from inclusion_shared.contracts import reviews as review_events
from inclusion_shared.events.registry import CONTRACTS
from monitoring.stream import HANDLERS as MONITORING_HANDLERS

HANDLED: dict[str, frozenset[str]] = {
    "funding": frozenset(
        {
            placement_events.SETTING_REGISTERED.type,
            placement_events.PLACEMENT_STARTED.type,
            placement_events.PLACEMENT_ENDED.type,
        }
    ),
    "feedback": frozenset(
        {
            placement_events.SETTING_REGISTERED.type,
            placement_events.PLACEMENT_STARTED.type,
            funding_events.DECISION_RECORDED.type,
            review_events.FOLLOW_UP_COMPLETED.type,
        }
    ),
    "monitoring": frozenset(contract.type for contract, _ in MONITORING_HANDLERS),
}


def consumed_topics(service: str) -> frozenset[str]:
    return frozenset(CONTRACTS[event_type].topic.name for event_type in HANDLED[service])


def service_database(admin_dsn: str, service: str) -> str:
    return urlsplit(admin_dsn)._replace(path=f"/{service}").geturl()


@dataclass
class Stored:
    """One service's tables as the oracle reads them."""

    service: str
    outbox: list[dict[str, Any]] = field(default_factory=list)  # seq order
    delivered: dict[int, tuple[int, int]] = field(default_factory=dict)  # seq -> partition, offset
    inbox: dict[str, dict[str, Any]] = field(default_factory=dict)  # event id -> row
    answered: dict[tuple[str, str], int] = field(default_factory=dict)  # (subject, key) -> status


async def read_stored(admin_dsn: str, service: str) -> Stored:
    connection = await asyncpg.connect(
        service_database(admin_dsn, service), server_settings={"search_path": service}
    )
    try:
        stored = Stored(service)
        for row in await connection.fetch(
            "SELECT seq, event_id, event_type, topic, key, payload, created_at FROM outbox "
            "ORDER BY seq"
        ):
            event = json.loads(row["payload"])
            stored.outbox.append(
                {
                    "seq": row["seq"],
                    "id": str(row["event_id"]),
                    "type": row["event_type"],
                    "topic": row["topic"],
                    "key": row["key"],
                    "payload": bytes(row["payload"]),
                    "transaction": row["created_at"].timestamp(),
                    "correlation": event.get("correlationid"),
                    "causation": event.get("causationid"),
                    "data": event.get("data") or {},
                }
            )
        for row in await connection.fetch(
            "SELECT seq, kafka_partition, kafka_offset FROM outbox_delivery"
        ):
            stored.delivered[row["seq"]] = (row["kafka_partition"], row["kafka_offset"])
        for row in await connection.fetch(
            "SELECT consumer, event_id, topic, kafka_partition, kafka_offset, received_at "
            "FROM inbox"
        ):
            stored.inbox[str(row["event_id"])] = {
                "consumer": row["consumer"],
                "topic": row["topic"],
                "partition": row["kafka_partition"],
                "offset": row["kafka_offset"],
                "received_at": row["received_at"].timestamp(),
            }
        for row in await connection.fetch("SELECT subject, key, status_code FROM idempotency_keys"):
            stored.answered[(row["subject"], row["key"])] = row["status_code"]
        return stored
    finally:
        await connection.close()


async def in_inbox(admin_dsn: str, service: str, event_ids: Iterable[str]) -> set[str]:
    """Which of these events the service's inbox has recorded (one short query)."""
    wanted = list(event_ids)
    if not wanted:
        return set()
    connection = await asyncpg.connect(
        service_database(admin_dsn, service), server_settings={"search_path": service}, timeout=5
    )
    try:
        rows = await connection.fetch(
            "SELECT event_id::text FROM inbox WHERE event_id = ANY($1::uuid[])", wanted
        )
        return {row["event_id"] for row in rows}
    finally:
        await connection.close()


async def first_received_after(admin_dsn: str, service: str, moments: list[float]) -> list[float]:
    """For each moment, when the inbox first received an event after it (inf if never)."""
    connection = await asyncpg.connect(
        service_database(admin_dsn, service), server_settings={"search_path": service}
    )
    try:
        found = []
        for moment in moments:
            at = await connection.fetchval(
                "SELECT extract(epoch FROM min(received_at)) FROM inbox "
                "WHERE received_at > to_timestamp($1)",
                moment,
            )
            found.append(float(at) if at is not None else float("inf"))
        return found
    finally:
        await connection.close()
