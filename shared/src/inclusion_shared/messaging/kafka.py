"""Kafka clients configured the one way the suite uses them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    KafkaConnectionError,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
)
from faststream.kafka import KafkaBroker

from inclusion_shared.events.catalogue import SERVICES, Topic
from inclusion_shared.messaging.connection import KafkaSettings

log = logging.getLogger(__name__)


class MissingTopicsError(RuntimeError):
    """Topics the service needs do not exist and its principal may not create them."""


def idempotent_producer(kafka: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    """A producer that neither loses (acks=all) nor duplicates (idempotence) on its own retries."""
    return AIOKafkaProducer(
        **kafka.client_options(),
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        # No waiting for more: every event of a command waited up to 5 ms here. The relay
        # keeps several batches in flight, so records pile up into Kafka batches anyway.
        linger_ms=0,
        max_batch_size=1024 * 1024,
    )


def dead_letter_producer(kafka: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    """The producer of dead letters (and readiness probes): acks=all, and not idempotent. A dead
    letter whose send timed out is tried again later, and an idempotent producer that gave up
    on a batch is left with sequence numbers the broker refuses for good (OutOfOrderSequence),
    wedging the partition behind it. A dead letter written twice is harmless: both name the
    same origin topic, partition and offset."""
    return AIOKafkaProducer(
        **kafka.client_options(), client_id=client_id, acks="all", enable_idempotence=False
    )


def relay_producer(kafka: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    """The relay's idempotent producer, whose queued batches never expire. aiokafka fails the
    head batch of a partition that has had no leader for ``request_timeout_ms`` and keeps the
    batches behind it: were the leader back a moment later, a later batch would be written
    before the earlier one is sent again, and one key's events would be out of order. Here
    an outage delays publication (readiness shows the backlog's age) and never fails it."""
    producer = idempotent_producer(kafka, client_id)
    producer._message_accumulator._batch_ttl = math.inf  # aiokafka has no setting for this
    return producer


def fail_pending(producer: AIOKafkaProducer, error: BaseException) -> None:
    """Fail every record the producer still holds, queued or awaiting an answer, so none of
    them can be written after this moment; the producer takes no more records."""
    producer._message_accumulator.fail_all(error)


async def abandon(producer: AIOKafkaProducer, within: float = 10.0) -> None:
    """Close a producer without delivering what it still holds (see ``fail_pending``)."""
    fail_pending(producer, KafkaConnectionError("the producer was abandoned"))
    try:
        await asyncio.wait_for(producer.stop(), within)
    except TimeoutError:
        log.warning("a producer did not close in %ss; its connections are dropped", within)
        sender = producer._sender.sender_task
        if sender is not None:
            sender.cancel()
        await producer.client.close()


def subscriber_broker(kafka: KafkaSettings, client_id: str) -> KafkaBroker:
    """FastStream's broker as the services run it, made cheap per message (py-spy, make bench):
    - its two log lines for every message are at DEBUG; the kit logs what needs a person
      (retries, dead letters), and at INFO they were a tenth of a consumer's time;
    - no dependency injection: the kit's one subscriber takes the message itself (see
      ``InboxConsumer.subscribe``), and resolving it through FastDepends cost a hop to a worker
      thread for every message."""
    return KafkaBroker(
        kafka.bootstrap_servers,
        security=kafka.faststream_security(),
        client_id=client_id,
        log_level=logging.DEBUG,
        apply_types=False,
    )


def has_dead_letters(topic: Topic) -> bool:
    """Inbox consumers dead-letter what they cannot apply; only the services' event topics have
    inbox consumers (the audit checkpoints are read by the auditor alone)."""
    return topic.service in SERVICES


async def ensure_topics(kafka: KafkaSettings, topics: Iterable[Topic]) -> None:
    """Create the topics and their dead-letter topics with the catalogue's settings, if missing.

    A principal without the Create right (production: Strimzi's ``KafkaTopic``s make them;
    ``inclusion up --secure``: the bootstrap super user) only checks they exist, and a missing
    one stops the start with its name."""
    replication, min_insync = kafka.replication_factor, kafka.min_insync_replicas
    wanted: list[NewTopic] = []
    for topic in topics:
        config = topic.config(min_insync_replicas=min_insync)
        wanted.append(NewTopic(topic.name, topic.partitions, replication, topic_configs=config))
        if has_dead_letters(topic):
            wanted.append(NewTopic(topic.dead_letters, 1, replication, topic_configs=config))
    admin = AIOKafkaAdminClient(**kafka.client_options())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [topic for topic in wanted if topic.name not in existing]
        if not missing:
            return
        try:
            # Another replica may create them first.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
        except (TopicAuthorizationFailedError, ClusterAuthorizationFailedError) as error:
            names = ", ".join(sorted(topic.name for topic in missing))
            raise MissingTopicsError(
                f"topics {names} do not exist and {kafka.sasl_username or 'this client'} may "
                f"not create them ({type(error).__name__}): declare them as KafkaTopics"
            ) from error
    finally:
        await admin.close()
