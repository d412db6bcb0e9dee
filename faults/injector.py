"""Carrying out the schedule while the load runs: each service killed at its points in turn and
started again, the broker and the database restarted, every fault and outage recorded."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import httpx

from faults.infra import FaultInfra
from faults.schedule import Kill, Restart
from faults.services import Process

SIGKILLED = -9
log = logging.getLogger(__name__)


@dataclass
class KillRecord:
    service: str
    kind: str
    point: str | None
    fired: bool  # died at its crash point (or was killed from outside, for a plain kill)
    died_at: float
    ready_at: float | None = None  # the restarted process answered /health/ready
    startup_failures: int = 0  # restarts that exited before ready (broker or database down)


@dataclass
class RestartRecord:
    what: str  # broker-sigkill, broker-clean, postgres-immediate
    began: float
    ended: float


@dataclass
class Injector:
    infra: FaultInfra
    processes: dict[str, Process]
    point_timeout: float
    kills: list[KillRecord] = field(default_factory=list)
    restarts: list[RestartRecord] = field(default_factory=list)
    unexpected_exits: list[str] = field(default_factory=list)
    restarting: dict[str, float] = field(default_factory=dict)  # broker/postgres: since when
    _client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Injector:
        self._client = httpx.AsyncClient()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    @property
    def client(self) -> httpx.AsyncClient:
        assert self._client is not None
        return self._client

    def infra_disturbed(self, start: float, end: float) -> bool:
        """The broker or the database restarted at some moment between `start` and `end`."""
        return any(began < end for began in self.restarting.values()) or any(
            r.began < end and r.ended > start for r in self.restarts
        )

    def outages(self) -> list[tuple[str, float, float]]:
        """(what, from, to): each service down after a kill, the broker or database restarting."""
        found = [(k.service, k.died_at, k.ready_at or k.died_at + 60) for k in self.kills]
        found += [(r.what.split("-")[0], r.began, r.ended) for r in self.restarts]
        return found

    # --- services -----------------------------------------------------------------------------

    async def start_all(self, within: float = 180.0) -> None:
        for process in self.processes.values():
            await process.start()
        for process in self.processes.values():
            if not await process.until_ready(self.client, within):
                raise RuntimeError(f"{process.name} did not become ready; see {process.log_file}")

    async def kill_in_turn(self, service: str, kills: list[Kill]) -> None:
        """Each kill of one service in order; after each, start it again armed for the next."""
        process = self.processes[service]
        for number, kill in enumerate(kills):
            fired, died_at = await self._die(process, kill)
            record = KillRecord(service, kill.kind, kill.point, fired, died_at)
            self.kills.append(record)
            log.info("%s died (%s, fired %s)", service, kill.crash_at or "sigkill", fired)
            following = kills[number + 1] if number + 1 < len(kills) else None
            await self._restart(process, following, record)

    async def _die(self, process: Process, kill: Kill) -> tuple[bool, float]:
        """Wait for the armed point to fire, or kill from outside; (fired, when it died)."""
        while True:
            if kill.point is None:
                code = await process.wait_exit(kill.delay)
                if code is None:
                    return True, await process.kill()
            else:
                code = await process.wait_exit(self.point_timeout)
                if code is None:  # the point was not reached in time: kill it plainly instead
                    return False, await process.kill()
                if code == SIGKILLED:
                    return True, time.time()
            # It ended by itself: a defect, unless it could not start while something was down.
            self.unexpected_exits.append(f"{process.name} exited {code} (armed {process.armed})")
            await self._restart(process, kill, None)

    async def _restart(
        self, process: Process, armed: Kill | None, record: KillRecord | None
    ) -> None:
        """Start again until it is ready, or until its armed point fires during start-up.
        A start refused (the broker or the database down) is tried again after a growing pause,
        as an orchestrator backs off a crash-looping container."""
        refused = 0
        while True:
            crash_at = armed.crash_at if armed else None
            await process.start(crash_at, armed.delay if armed else 0.0)
            if await process.until_ready(self.client, within=300.0):
                if record is not None:
                    record.ready_at = time.time()
                    log.info(
                        "%s ready %.1f s after dying",
                        process.name,
                        record.ready_at - record.died_at,
                    )
                return
            code = await process.wait_exit(0.5)
            if code == SIGKILLED and crash_at:
                return  # died at the armed point while starting: that is the next kill
            if code is None:
                await process.kill()  # neither ready nor dead after five minutes
            log.info("%s could not start (exit %s)", process.name, code)
            if record is not None:
                record.startup_failures += 1
            refused += 1
            await asyncio.sleep(min(8.0, 0.5 * 2**refused))

    async def ensure_running(self) -> None:
        """After the last fault: every service up, unarmed, and ready."""
        for process in self.processes.values():
            if not process.running or process.armed:
                await process.kill()
                await self._restart(process, None, None)

    # --- the broker and the database ----------------------------------------------------------

    async def recovered(self, within: float = 90.0) -> None:
        """Until every service answers ready (or `within` passes): a broker or database restart
        comes some time after the last one's damage is repaired, so load runs in between."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            ready = [await p.ready(self.client) for p in self.processes.values() if p.running]
            if len(ready) == len(self.processes) and all(ready):
                return
            await asyncio.sleep(0.5)

    async def restart_broker_in_turn(self, restarts: list[Restart]) -> None:
        for restart in restarts:
            await self.recovered()
            await asyncio.sleep(restart.gap)
            began = self.restarting["broker"] = time.time()
            await asyncio.to_thread(self.infra.restart_broker, kill=restart.kill)
            what = "broker-sigkill" if restart.kill else "broker-clean"
            self.restarts.append(RestartRecord(what, began, time.time()))
            del self.restarting["broker"]
            log.info("%s took %.1f s", what, time.time() - began)

    async def restart_postgres_in_turn(self, restarts: list[Restart]) -> None:
        for restart in restarts:
            await self.recovered()
            await asyncio.sleep(restart.gap)
            began = self.restarting["postgres"] = time.time()
            await asyncio.to_thread(self.infra.restart_postgres)
            self.restarts.append(RestartRecord("postgres-immediate", began, time.time()))
            del self.restarting["postgres"]
            log.info("postgres immediate restart took %.1f s", time.time() - began)
