"""A bare aiokafka consumer in a consumer group, nothing else: the baseline for how long a killed
consumer takes to be consuming again. It appends one line per record consumed (wall-clock time,
offset) to a file, so the campaign can see when a restarted one has resumed. It reaches Kafka as
the ``KAFKA_*`` variables say (the campaign sets them from its own settings).

    python -m faults.raw_consumer <topic> <group> <file>
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from inclusion_shared.messaging.connection import KafkaSettings, load_kafka_settings


async def consume(kafka: KafkaSettings, topic: str, group: str, out: Path) -> None:
    # aiokafka's defaults (10 s session, 3 s heartbeats, auto-commit), as the services' subscribers.
    consumer = AIOKafkaConsumer(
        topic, **kafka.client_options(), group_id=group, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        with out.open("a", encoding="ascii") as lines:
            async for record in consumer:
                lines.write(f"{time.time():.6f} {record.offset}\n")
                lines.flush()
    finally:
        await consumer.stop()


if __name__ == "__main__":
    topic, group, file = sys.argv[1:4]
    asyncio.run(consume(load_kafka_settings(), topic, group, Path(file)))
