"""Kafka clients configured the one way the suite uses them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

from inclusion_shared.events.catalogue import Topic


def idempotent_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    """A producer that neither loses (acks=all) nor duplicates (idempotence) on its own retries."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        # No waiting for more: every event of a command waited up to 5 ms here. The relay
        # keeps several batches in flight, so records pile up into Kafka batches anyway.
        linger_ms=0,
        max_batch_size=1024 * 1024,
    )


def subscriber_broker(bootstrap_servers: str, client_id: str) -> KafkaBroker:
    """FastStream's broker as the services run it, made cheap per message (py-spy, make bench):
    - its two log lines for every message are at DEBUG; the kit logs what needs a person
      (retries, dead letters), and at INFO they were a tenth of a consumer's time;
    - no dependency injection: the kit's one subscriber takes the message itself (see
      ``InboxConsumer.subscribe``), and resolving it through FastDepends cost a hop to a worker
      thread for every message."""
    return KafkaBroker(
        bootstrap_servers, client_id=client_id, log_level=logging.DEBUG, apply_types=False
    )


async def ensure_topics(
    bootstrap_servers: str, topics: Iterable[Topic], *, replication: int = 1, min_insync: int = 1
) -> None:
    """Create the topics and their dead-letter topics with the catalogue's settings, if missing."""
    wanted: list[NewTopic] = []
    for topic in topics:
        config = topic.config(min_insync_replicas=min_insync)
        wanted.append(NewTopic(topic.name, topic.partitions, replication, topic_configs=config))
        wanted.append(NewTopic(topic.dead_letters, 1, replication, topic_configs=config))
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [topic for topic in wanted if topic.name not in existing]
        if missing:
            # Another replica may create them first.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()
