"""Kafka as the secure stack runs it: nobody unauthenticated, each principal only its rights.

Every client here is a real aiokafka client (or Kafka's own command-line tool) against the real
broker: SASL_SSL with SCRAM-SHA-512 on the client listener, TLS with the broker's certificate on
the controller listener, ``StandardAuthorizer`` denying whatever no ACL allows.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    TopicAuthorizationFailedError,
)

from inclusion_cli.infra.kafka import probe_kafka, resolve_classpath
from inclusion_cli.infra.tls import LocalCA
from inclusion_cli.paths import deploy_dir
from inclusion_cli.secure import SecureStack
from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.messaging.acls import AUDITOR
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import consumer_group

PLACEMENT = "placements.placement.v1"


def _as(secure: SecureStack, principal: str, **changes: object) -> KafkaSettings:
    return KafkaSettings(**(secure.kafka(principal).model_dump() | changes))


async def test_the_services_principals_sign_in_over_sasl_ssl(secure: SecureStack) -> None:
    for principal in ("funding", "placements", "reviews", "feedback", "monitoring", AUDITOR):
        assert await probe_kafka(secure.kafka(principal)), principal


async def test_a_client_without_credentials_is_refused_on_every_listener(
    secure: SecureStack,
) -> None:
    node = secure.node
    for port in (node.port, node.controller_port):
        address = f"{node.host}:{port}"
        plaintext = KafkaSettings(bootstrap_servers=address)
        tls_only = KafkaSettings(
            bootstrap_servers=address,
            security_protocol="SSL",
            ssl_cafile=secure.security.ca.certificate,
        )
        assert not await probe_kafka(plaintext, per_attempt=3.0), f"PLAINTEXT on {port}"
        assert not await probe_kafka(tls_only, per_attempt=3.0), f"TLS without SASL on {port}"
    # Right credentials, wrong listener: the controller takes only the broker's certificate.
    controller = f"{node.host}:{node.controller_port}"
    assert not await probe_kafka(_as(secure, "funding", bootstrap_servers=controller), 3.0)


async def test_a_wrong_password_is_refused(secure: SecureStack) -> None:
    wrong = _as(secure, "funding", sasl_password=secure.security.scram["placements"])
    assert not await probe_kafka(wrong, per_attempt=3.0)


async def test_a_client_that_trusts_another_ca_fails_closed(
    secure: SecureStack, tmp_path: Path
) -> None:
    stranger = LocalCA(tmp_path / "another-ca").ensure()
    assert not await probe_kafka(_as(secure, "funding", ssl_cafile=stranger.certificate), 3.0)


async def _publish(kafka: KafkaSettings, topic: str) -> None:
    producer = AIOKafkaProducer(**kafka.client_options(), request_timeout_ms=5000)
    await producer.start()
    try:
        async with asyncio.timeout(20):
            await producer.send_and_wait(topic, b"not an event", key=b"not a key")
    finally:
        await producer.stop()


async def test_funding_may_not_publish_on_a_placements_topic(secure: SecureStack) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await _publish(secure.kafka("funding"), PLACEMENT)


async def test_the_auditor_may_publish_nowhere(secure: SecureStack) -> None:
    for topic in CATALOGUE:
        with pytest.raises(TopicAuthorizationFailedError):
            await _publish(secure.kafka(AUDITOR), topic.name)


async def test_funding_may_not_read_in_another_services_consumer_group(
    secure: SecureStack, consumes: dict[str, list[str]], deployment: str
) -> None:
    assert PLACEMENT in consumes["funding"]  # a topic funding may read, in its own group only
    consumer = AIOKafkaConsumer(
        PLACEMENT,
        **secure.kafka("funding").client_options(),
        group_id=consumer_group(deployment, "placements"),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    with pytest.raises(GroupAuthorizationFailedError):
        async with asyncio.timeout(30):
            await consumer.start()
            try:
                await consumer.getmany(timeout_ms=10_000)
            finally:
                await consumer.stop()


async def test_the_auditor_reads_without_joining_any_group(secure: SecureStack) -> None:
    consumer = AIOKafkaConsumer(
        **secure.kafka(AUDITOR).client_options(), group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    try:
        visible = await consumer.topics()
    finally:
        await consumer.stop()
    assert {topic.name for topic in CATALOGUE} <= visible
    assert not any(name.endswith(".dlq") for name in visible)  # dead letters are not the log


def _kafka_tool(tool: str, properties: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    deploy = deploy_dir() / "kafka"
    classpath = resolve_classpath(deploy / "pom.xml")
    return subprocess.run(
        ["java", f"-Dlog4j2.configurationFile={deploy / 'tools-log4j2.properties'}",
         "-cp", classpath, f"org.apache.kafka.tools.{tool}", *arguments,
         "--command-config", str(properties)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_kafkas_own_tools_take_a_principals_properties_file_as_it_is(
    secure: SecureStack, properties: Path
) -> None:
    bootstrap = ["--bootstrap-server", secure.node.bootstrap_servers]
    funding = _kafka_tool("TopicCommand", properties / "funding.properties", *bootstrap, "--list")
    assert funding.returncode == 0, funding.stderr
    listed = set(funding.stdout.split())
    assert {"funding.decision.v1", PLACEMENT} <= listed
    assert "reviews.review.v1" not in listed  # nothing it may not describe, not even a name

    acls = _kafka_tool("AclCommand", properties / "funding.properties", *bootstrap, "--list")
    assert acls.returncode != 0  # listing ACLs is the super user's
    assert "authoriz" in (acls.stdout + acls.stderr).lower()


@pytest.mark.parametrize("principal", ["funding", AUDITOR])
def test_a_principal_may_create_no_topic(
    secure: SecureStack, properties: Path, principal: str, unique: str
) -> None:
    created = _kafka_tool(
        "TopicCommand", properties / f"{principal}.properties",
        "--bootstrap-server", secure.node.bootstrap_servers,
        "--create", "--topic", f"funding.unheard-of-{unique}.v1",
    )  # fmt: skip
    assert created.returncode != 0
    assert "TopicAuthorizationException" in created.stderr + created.stdout, created.stderr
