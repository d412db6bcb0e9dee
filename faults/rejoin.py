"""The baseline for resuming after a kill, measured in the same run on the same broker: a bare
aiokafka consumer-group member (`faults.raw_consumer`) on a probe topic fed a record every 50 ms,
SIGKILLed and started again; the time from the kill to its first record consumed after it."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from faults.aio import cancelled_for_real
from faults.infra import kafka_environment
from inclusion_shared.messaging.connection import KafkaSettings

PROBE_TOPIC = "faults.rejoin-probe"
GROUP = "faults.raw-baseline"


class RawRejoins:
    def __init__(self, kafka: KafkaSettings, workdir: Path, rng: random.Random) -> None:
        self.kafka = kafka
        self.lines = workdir / "raw-consumer.lines"
        self.log = workdir / "raw-consumer.log"
        self.rng = rng
        self.seconds: list[float] = []
        self._process: asyncio.subprocess.Process | None = None
        self._read = 0

    async def measure(
        self, times: int, stop: asyncio.Event, disturbed: Callable[[float, float], bool]
    ) -> None:
        """Feed the probe topic, and kill the raw consumer and time its return until `times`
        returns were timed with the broker undisturbed (a restart in between is not counted)."""
        feeding = asyncio.create_task(self._feed(stop))
        try:
            await self._start()
            await self._consumed_after(0.0, within=300.0)
            for _ in range(times * 4):
                if stop.is_set() or len(self.seconds) >= times:
                    return
                await asyncio.sleep(self.rng.uniform(3.0, 10.0))
                killed_at = await self._kill()
                await self._start()
                resumed = await self._consumed_after(killed_at, within=300.0)
                if resumed is not None and not disturbed(killed_at, resumed):
                    self.seconds.append(resumed - killed_at)
        finally:
            feeding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeding
            await self._kill()

    async def _start(self) -> None:
        with self.log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "faults.raw_consumer", PROBE_TOPIC, GROUP, str(self.lines),
                env=kafka_environment(self.kafka),
                stdout=log, stderr=asyncio.subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    async def _kill(self) -> float:
        at = time.time()
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGKILL)
            await process.wait()
        return at

    async def _consumed_after(self, moment: float, within: float) -> float | None:
        """When the consumer first consumed a record after `moment`, once it has. A consumer
        that gave up (it could not reach a broker that was restarting) is started again, as an
        orchestrator would."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for line in self._new_lines():
                at = float(line.split()[0])
                if at > moment:
                    return at
            if self._process is not None and self._process.returncode is not None:
                await asyncio.sleep(0.5)
                await self._start()
            await asyncio.sleep(0.05)
        return None

    def _new_lines(self) -> list[str]:
        """Whole lines written since the last look."""
        if not self.lines.is_file():
            return []
        with self.lines.open("rb") as handle:
            handle.seek(self._read)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._read += len(complete)
        return complete.decode("ascii").splitlines()

    async def _feed(self, stop: asyncio.Event) -> None:
        """A record every 50 ms, riding through the broker's restarts."""
        while not stop.is_set():
            producer = AIOKafkaProducer(**self.kafka.client_options(), acks=1)
            try:
                await producer.start()
                while not stop.is_set():
                    await producer.send_and_wait(PROBE_TOPIC, b"probe")
                    await asyncio.sleep(0.05)
            except (KafkaError, OSError, asyncio.CancelledError):
                if cancelled_for_real():
                    raise
                await asyncio.sleep(0.5)
            finally:
                with contextlib.suppress(KafkaError, OSError):
                    await producer.stop()
