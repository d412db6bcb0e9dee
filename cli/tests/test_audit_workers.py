"""An audit read from a real Kafka broker says the same whether its records are parsed and hashed
in the auditing process or spread over worker processes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from inclusion_cli.audit.run import audit_log
from inclusion_cli.audit.verify import Verifier
from inclusion_shared.messaging.connection import KafkaSettings

from .audit_chains import KEYS, funding_chain, log_of, placements_chain, rechain


@pytest.fixture
async def topics(kafka_bootstrap: str) -> AsyncIterator[list[str]]:
    """Two topics of this test's own, one with three partitions, removed afterwards."""
    prefix = f"audit-workers-{uuid4().hex[:8]}"
    names = [f"{prefix}.funding", f"{prefix}.placements"]
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(names[0], 3, 1), NewTopic(names[1], 1, 1)], validate_only=False
        )
        yield names
    finally:
        await admin.delete_topics(names)
        await admin.close()


async def test_workers_and_a_single_process_find_the_same(
    kafka_bootstrap: str, topics: list[str]
) -> None:
    funding = funding_chain()
    funding[3]["data"]["record"]["outcome"]["band"] = 5  # a decision the rules do not give
    rechain(funding, 3)
    placements = placements_chain(places=1, children=2)  # an offer beyond capacity
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for topic, chain in zip(topics, (funding, placements), strict=True):
            records = log_of(chain)
            for record in [*records, records[0]]:  # and one exact redelivery
                await producer.send_and_wait(topic, record.value, key=record.value[-8:])
        await producer.send_and_wait(topics[0], b"not json")
    finally:
        await producer.stop()

    reports: list[dict[str, Any]] = []
    for workers in (0, 2):
        report = await audit_log(
            KafkaSettings(bootstrap_servers=kafka_bootstrap),
            topics,
            Verifier(KEYS),
            workers=workers,
        )
        reports.append(report.as_json())

    in_process, in_workers = reports
    assert in_workers == in_process
    assert in_workers["records_read"] == 5 + 5 + 1 + 1 + 1
    kinds = sorted({(f["service"], f["kind"]) for f in in_workers["failures"]})
    assert kinds == [
        ("funding", "decision does not follow from its rules"),
        ("placements", "decision does not follow from its rules"),
    ]
    assert ("?", "malformed event") in {(w["service"], w["kind"]) for w in in_workers["warnings"]}
    assert in_workers["chains"]["funding"]["exact_duplicates"] == 1


async def test_a_chain_spread_over_two_workers_topics_is_audited_as_one(
    kafka_bootstrap: str, topics: list[str]
) -> None:
    funding, placements = funding_chain(), placements_chain()
    funding[3]["data"]["record"]["outcome"]["band"] = 5  # a decision the rules do not give
    rechain(funding, 3)
    funding_records, placement_records = log_of(funding), log_of(placements)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for record in funding_records[:4]:
            await producer.send_and_wait(topics[0], record.value, partition=0)
        # The chain's head lands on the other topic: no worker holds the whole chain.
        for record in [funding_records[4], *placement_records]:
            await producer.send_and_wait(topics[1], record.value)
    finally:
        await producer.stop()

    reports = [
        (
            await audit_log(
                KafkaSettings(bootstrap_servers=kafka_bootstrap),
                topics,
                Verifier(KEYS),
                workers=workers,
            )
        ).as_json()
        for workers in (0, 2)
    ]

    in_process, in_workers = reports
    assert in_workers == in_process
    assert in_workers["chains"]["funding"]["events"] == 5
    assert [(f["service"], f["position"]) for f in in_workers["failures"]] == [("funding", 4)]
