"""A request to one service, the event it causes and the work of the service that consumes it
form one trace: HTTP → outbox → relay → Kafka → consumer."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from fastapi.testclient import TestClient
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from funding.app import create_app
from funding.settings import Settings
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.contracts.funding import BUDGET_SET
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import InboxConsumer
from inclusion_shared.messaging.kafka import idempotent_producer
from inclusion_shared.observability.tracing import configure_tracing
from inclusion_shared.persistence.outbox import Outbox
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.testing import eventually, join_at_the_end, migrated_pool

EXPORTER = InMemorySpanExporter()


async def test_a_budget_request_and_its_consumption_elsewhere_share_one_trace(
    database_url: str, kafka_bootstrap: str, tmp_path: Path, unique: str
) -> None:
    configure_tracing("tests", None, SimpleSpanProcessor(EXPORTER))
    signing_key = generate_signing_key()
    (tmp_path / "pub.pem").write_bytes(public_key_pem(signing_key))
    (tmp_path / "pd.key").write_bytes(base64.b64encode(os.urandom(32)))
    settings = Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=tmp_path / "pub.pem",
        personal_data_key_file=tmp_path / "pd.key",
        relay_poll_interval_seconds=0.2,
    )
    subscriber = f"monitor{unique}"
    pool = await migrated_pool(database_url, subscriber)
    consumer = InboxConsumer(subscriber, Outbox(subscriber))
    seen: list[CloudEvent] = []

    @consumer.on(BUDGET_SET.type)
    async def note(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
        seen.append(event)

    await join_at_the_end(kafka_bootstrap, subscriber, ["funding.budget.v1"])
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=kafka_bootstrap), subscriber)
    await producer.start()
    consumer.bind(pool, producer)
    broker = KafkaBroker(kafka_bootstrap)
    consumer.subscribe(broker)
    token = mint_token(
        signing_key, role="kcc-officer", subject=person_id_for("officer-1"), areas=("kent",)
    )
    try:
        with TestClient(create_app(settings)) as client:
            response = client.put(
                "/budgets/west-kent/2031-32",
                json={"annual_amount_pence": 7_000_000},
                headers={"Authorization": f"Bearer {token}"},
            )
            [request] = [
                span
                for span in EXPORTER.get_finished_spans()
                if span.kind is SpanKind.SERVER and span.name == "PUT /budgets/west-kent/2031-32"
            ]
            trace_id = format(request.context.trace_id, "032x")
            await broker.start()
            await eventually(lambda: _seen_in_trace(seen, trace_id))
    finally:
        await broker.stop()
        await producer.stop()
        await pool.close()

    assert response.status_code == 200
    trace = [
        s for s in EXPORTER.get_finished_spans() if s.context.trace_id == request.context.trace_id
    ]
    kinds = {(s.kind, s.name) for s in trace}
    assert (SpanKind.PRODUCER, "funding.budget.v1 publish") in kinds
    assert (SpanKind.CONSUMER, "funding.budget.v1 process") in kinds
    [event] = [e for e in seen if e.traceparent and trace_id in e.traceparent]
    assert event.subject == "west-kent:2031-32"


async def _seen_in_trace(seen: list[CloudEvent], trace_id: str) -> bool:
    return any(event.traceparent and trace_id in event.traceparent for event in seen)
