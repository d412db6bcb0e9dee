"""The real local Kafka broker: idempotent start, idempotent producer, a second broker."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from pathlib import Path
from typing import NamedTuple
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from inclusion_cli.infra.kafka import KafkaNode, ensure_kafka, local_node, stop_kafka
from inclusion_cli.paths import state_dir
from inclusion_cli.procs import pid_alive
from inclusion_cli.testing import ensure_test_kafka

needs_java = pytest.mark.skipif(
    not (shutil.which("java") and shutil.which("mvn")), reason="needs Java 17 and Maven"
)
local_only = pytest.mark.skipif(
    bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS")), reason="Kafka is given; none is started"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RoundTrip(NamedTuple):
    partitions: int  # of the auto-created topic
    same_place: bool  # read back from the partition and offset the producer reported
    key: bytes | None
    value: bytes | None


async def _round_trip(bootstrap: str, topic: str) -> RoundTrip:
    """Produce one record with an idempotent producer, read it back from the beginning."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(topic, b"hello", key=b"aggregate-1")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"infra-test-{uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(60):
            record = await consumer.getone()
        partitions = consumer.partitions_for_topic(topic) or set()
    finally:
        await consumer.stop()
    same_place = (record.partition, record.offset) == (sent.partition, sent.offset)
    return RoundTrip(len(partitions), same_place, record.key, record.value)


@needs_java
@local_only
def test_starting_the_local_broker_twice_is_idempotent() -> None:
    node = local_node(state_dir().ensure())

    first = ensure_kafka(node)
    second = ensure_kafka(node)

    assert second.pid == first.pid
    assert not second.started
    assert pid_alive(second.pid)


async def test_idempotent_producer_and_consumer_round_trip() -> None:
    bootstrap = ensure_test_kafka()

    result = await _round_trip(bootstrap, f"infra.roundtrip.{uuid4().hex}")

    assert result.same_place
    assert (result.key, result.value) == (b"aggregate-1", b"hello")


@needs_java
async def test_a_second_broker_on_other_ports_in_a_temp_dir(tmp_path: Path) -> None:
    node = KafkaNode(
        home=tmp_path / "kafka",
        log_file=tmp_path / "kafka.log",
        port=_free_port(),
        controller_port=_free_port(),
        max_heap="512m",
    )
    try:
        run = ensure_kafka(node)  # from inside a running event loop, as async fixtures would
        assert run.started
        assert run.bootstrap_servers == f"127.0.0.1:{node.port}"

        result = await _round_trip(run.bootstrap_servers, "t.v1")

        assert result.same_place
        assert result.partitions == 3  # num.partitions=3
    finally:
        stopped = stop_kafka(node)

    assert stopped
    assert not pid_alive(run.pid)
    assert not node.pid_file.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", node.port)) != 0
