"""docker-compose's one-shot topic job: every topic of the catalogue and its dead-letter topic.

Each service creates its own topics when it starts, but a consumer may start before the owner of
the topics it reads, and no service owns ``audit.checkpoints.v1``. So the job creates them all
first, with the kit's own ``ensure_topics`` and therefore the catalogue's settings (partitions,
``retention.ms=-1`` on decision topics). It runs in a service image, which holds the kit.
"""

from __future__ import annotations

import asyncio

from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.messaging.connection import load_kafka_settings
from inclusion_shared.messaging.kafka import ensure_topics, has_dead_letters


def create_topics() -> list[str]:
    """Create what is missing; return the names of the catalogue's topics and dead letters."""
    asyncio.run(ensure_topics(load_kafka_settings(), CATALOGUE))
    names = [topic.name for topic in CATALOGUE]
    return names + [topic.dead_letters for topic in CATALOGUE if has_dead_letters(topic)]


if __name__ == "__main__":
    for name in create_topics():
        print(f"topic {name} is there")
