"""Committing a consumer's offsets in batches, never past a record it has not processed.

A consumed event's effects and its inbox row commit in one PostgreSQL transaction, so committing
its Kafka offset at once adds nothing to correctness: a restart before the commit redelivers it
and the inbox skips it. Committing after every event cost a round trip to the group coordinator
each (make bench). The offsets are therefore committed every ``every`` records or ``within``
seconds, whichever comes first, and also when the stream goes quiet, always as explicit offsets
of records already processed: never the consumer's position, which may be ahead of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

log = logging.getLogger(__name__)


class OffsetBatcher:
    def __init__(self, *, every: int = 200, within: float = 0.5) -> None:
        self.every = every
        self.within = within
        self._consumer: AIOKafkaConsumer | None = None
        self._pending: dict[TopicPartition, int] = {}
        self._since_commit = 0
        self._oldest = 0.0
        self._lock = asyncio.Lock()
        self._quiet: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> dict[TopicPartition, int]:
        """Per partition, the next offset to commit (one past the last processed record)."""
        return dict(self._pending)

    async def processed(
        self, consumer: AIOKafkaConsumer, topic: str, partition: int, offset: int
    ) -> None:
        """Note a record as processed; commit now if enough are waiting or waited long enough."""
        if not self._pending:
            self._oldest = time.monotonic()
        self._consumer = consumer
        self._pending[TopicPartition(topic, partition)] = offset + 1
        self._since_commit += 1
        if self._since_commit >= self.every or time.monotonic() - self._oldest >= self.within:
            await self.commit()
        else:
            self._commit_when_quiet()

    async def commit(self) -> None:
        """Commit what is pending (if Kafka refuses, say after a rebalance, the records are
        read again by whoever owns the partition and its inbox skips them)."""
        async with self._lock:
            if not self._pending or self._consumer is None:
                return
            offsets, self._pending, self._since_commit = self._pending, {}, 0
            if self._quiet is not None:
                self._quiet.cancel()
                self._quiet = None
            try:
                await self._consumer.commit(offsets)
            except KafkaError as error:
                log.warning(
                    "offsets not committed; those records will be read again",
                    extra={"error": repr(error), "partitions": len(offsets)},
                )

    def _commit_when_quiet(self) -> None:
        if self._quiet is None:
            self._quiet = asyncio.get_running_loop().call_later(self.within, self._flush)

    def _flush(self) -> None:
        self._quiet = None
        task = asyncio.get_running_loop().create_task(self.commit())
        self._flushing.add(task)
        task.add_done_callback(self._flushed)

    def _flushed(self, task: asyncio.Task[None]) -> None:
        """A flush that failed is said, never lost in its task (its records are read again by
        whoever next owns the partition, and the inbox skips them)."""
        self._flushing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("committing offsets failed", exc_info=task.exception())

    async def close(self) -> None:
        """Commit what is pending before the consumer stops."""
        for task in list(self._flushing):
            with contextlib.suppress(Exception):
                await task
        await self.commit()
