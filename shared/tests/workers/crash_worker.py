"""A small 'service' process for crash tests: it writes events, relays them or consumes them,
and can be told (INCLUSION_CRASH_AT) to SIGKILL itself at a named point."""

from __future__ import annotations

import argparse
import asyncio

import asyncpg
from faststream.kafka import KafkaBroker

from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import EventData
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.consumer import InboxConsumer
from inclusion_shared.messaging.kafka import idempotent_producer, relay_producer
from inclusion_shared.messaging.relay import Relay
from inclusion_shared.persistence.outbox import Outbox
from inclusion_shared.persistence.unit_of_work import UnitOfWork, unit_of_work
from inclusion_shared.testing import CaseNoted, command_cause, eventually, sample_contracts


async def main(args: argparse.Namespace) -> None:
    contracts, _, event_type = sample_contracts(args.schema)
    outbox = Outbox(args.schema, contracts)
    pool = await asyncpg.create_pool(
        args.database_url, server_settings={"search_path": args.schema}
    )
    producer = idempotent_producer(
        KafkaSettings(bootstrap_servers=args.bootstrap), f"{args.schema}-worker"
    )
    await producer.start()
    if args.mode == "write":
        for step in range(1, args.count + 1):
            async with unit_of_work(pool, outbox, command_cause()) as work:
                work.emit(event_type, "case-1", CaseNoted(case="case-1", step=step))
    elif args.mode == "relay":

        async def connect() -> asyncpg.Connection:
            return await asyncpg.connect(
                args.database_url, server_settings={"search_path": args.schema}
            )

        stopping = asyncio.Event()
        kafka = KafkaSettings(bootstrap_servers=args.bootstrap)
        relay = Relay(
            args.schema,
            connect,
            lambda: relay_producer(kafka, f"{args.schema}-relay"),
            batch_size=100,
            poll_interval=0.2,
        )
        task = asyncio.create_task(relay.run(stopping))
        await eventually(lambda: _delivered_all(pool), within=60)
        stopping.set()
        await task
    else:
        consumer = InboxConsumer("effects", outbox, contracts=contracts)

        @consumer.on(event_type)
        async def record(work: UnitOfWork, event: CloudEvent, data: EventData) -> None:
            assert isinstance(data, CaseNoted)
            await work.connection.execute(
                "INSERT INTO effects VALUES ($1, $2)", event.id, data.step
            )

        consumer.bind(pool, producer)
        broker = KafkaBroker(args.bootstrap)
        consumer.subscribe(broker)
        await broker.start()
        await eventually(lambda: _effects_at_least(pool, args.count), within=60)
        await broker.stop()
    await producer.stop()
    await pool.close()


async def _delivered_all(pool: asyncpg.Pool) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT (SELECT count(*) FROM outbox) = (SELECT count(*) FROM outbox_delivery)"
        )
    )


async def _effects_at_least(pool: asyncpg.Pool, count: int) -> bool:
    return bool(await pool.fetchval("SELECT count(*) FROM effects") >= count)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["write", "relay", "consume"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--count", type=int, default=1)
    asyncio.run(main(parser.parse_args()))
