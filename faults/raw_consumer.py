"""A bare aiokafka consumer in a consumer group, nothing else: the baseline for how long a killed
consumer takes to be consuming again. It appends one line per record consumed (wall-clock time,
offset) to a file, so the campaign can see when a restarted one has resumed.

    python -m faults.raw_consumer <bootstrap> <topic> <group> <file>
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer


async def consume(bootstrap: str, topic: str, group: str, out: Path) -> None:
    # aiokafka's defaults (10 s session, 3 s heartbeats, auto-commit), as the services' subscribers.
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest"
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
    bootstrap, topic, group, file = sys.argv[1:5]
    asyncio.run(consume(bootstrap, topic, group, Path(file)))
