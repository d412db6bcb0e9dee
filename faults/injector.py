"""Carrying out the schedule while the load runs: each service killed at its points in turn and
started again (with errors to raise armed, and some starts while PostgreSQL is down), the broker
restarted with poisons in flight, the database restarted, its tables locked for longer than the
statement timeout, bursts of oversized requests; every fault and outage recorded."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import asyncpg
import httpx

from faults.infra import FaultInfra
from faults.oversized import Burst, Oversized
from faults.poison import Poisoned, Poisoner
from faults.schedule import DEAD_LETTER_RAISE, POSTGRES_DOWN, Kill, Lock, Restart
from faults.services import SERVICES, Process
from faults.stores import consumed_topics, service_database
from faults.tap import Tap

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
    what: str  # broker-sigkill, broker-clean, postgres-immediate, postgres-down-at-start
    began: float
    ended: float
    poisons: list[Poisoned] = field(default_factory=list)  # produced just before a broker stop


@dataclass
class PostgresDownStart:
    """A service started while PostgreSQL was down: what it answered meanwhile."""

    service: str
    held: float  # seconds PostgreSQL stayed down after the service was started
    answers: dict[str, int]  # /health/ready while down: status code (or "none") -> how often
    exited: bool  # the process ended while PostgreSQL was down
    ready_after: float | None = None  # seconds from PostgreSQL's return to the service ready


@dataclass
class LockRecord:
    service: str
    table: str
    began: float
    ended: float
    held: bool  # the lock was taken and held for the whole time
    error: str | None = None


@dataclass
class Injector:
    infra: FaultInfra
    processes: dict[str, Process]
    point_timeout: float
    kills: list[KillRecord] = field(default_factory=list)
    restarts: list[RestartRecord] = field(default_factory=list)
    unexpected_exits: list[str] = field(default_factory=list)
    restarting: dict[str, float] = field(default_factory=dict)  # broker/postgres: since when
    poisoner: Poisoner | None = None
    tap: Tap | None = None
    burst: Burst | None = None
    postgres_down_starts: list[PostgresDownStart] = field(default_factory=list)
    locks: list[LockRecord] = field(default_factory=list)
    oversized: list[Oversized] = field(default_factory=list)
    interrupted: list[Oversized] = field(default_factory=list)  # no answer: the service died
    # What a service did wrong under these faults: not ready again, not refusing, not serving.
    violations: list[str] = field(default_factory=list)
    _client: httpx.AsyncClient | None = None
    _postgres: asyncio.Lock = field(default_factory=asyncio.Lock)  # one database fault at once

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
        """The broker or the database restarted, or a table was locked, at some moment between
        `start` and `end`."""
        return (
            any(began < end for began in self.restarting.values())
            or any(r.began < end and r.ended > start for r in self.restarts)
            or any(lock.began < end and lock.ended > start for lock in self.locks)
        )

    def outages(self) -> list[tuple[str, float, float]]:
        """(what, from, to): each service down after a kill or slowed by a locked table, the
        broker or database restarting or down."""
        found = [(k.service, k.died_at, k.ready_at or k.died_at + 60) for k in self.kills]
        found += [(r.what.split("-")[0], r.began, r.ended) for r in self.restarts]
        found += [(lock.service, lock.began, lock.ended) for lock in self.locks]
        return found

    # --- services -----------------------------------------------------------------------------

    async def start_all(self, first: dict[str, Kill], within: float = 180.0) -> None:
        """Every service started, each armed with the error to raise in its first life."""
        for name, process in self.processes.items():
            raising = first[name].raising if name in first else None
            await process.start(raise_at=raising.raise_at if raising else None)
        for process in self.processes.values():
            if not await process.until_ready(self.client, within):
                raise RuntimeError(f"{process.name} did not become ready; see {process.log_file}")

    async def feed_raises(self, first: dict[str, Kill]) -> None:
        """Poisons for the consumers armed in their first life to fail as they dead-letter."""
        for name, kill in first.items():
            await self._feed_raise(self.processes[name], kill)

    async def kill_in_turn(self, service: str, kills: list[Kill]) -> None:
        """Each kill of one service in order; after each, start it again armed for the next."""
        process = self.processes[service]
        for number, kill in enumerate(kills):
            fired, died_at = await self._die(process, kill)
            record = KillRecord(service, kill.kind, kill.point, fired, died_at)
            self.kills.append(record)
            log.info("%s died (%s, fired %s)", service, kill.crash_at or "sigkill", fired)
            following = kills[number + 1] if number + 1 < len(kills) else None
            if kill.kind == POSTGRES_DOWN:
                await self._restart_with_postgres_down(process, following, record, kill.hold)
            else:
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
            crash_at = await self._start(process, armed)
            if await process.until_ready(self.client, within=300.0):
                self._ready(process, record)
                await self._feed_raise(process, armed)
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

    async def _start(self, process: Process, armed: Kill | None) -> str | None:
        """Start the process armed for the life `armed` ends; returns its crash point."""
        crash_at = armed.crash_at if armed else None
        raising = armed.raising if armed else None
        await process.start(
            crash_at, armed.delay if armed else 0.0, raising.raise_at if raising else None
        )
        return crash_at

    def _ready(self, process: Process, record: KillRecord | None) -> None:
        if record is not None:
            record.ready_at = time.time()
            log.info("%s ready %.1f s after dying", process.name, record.ready_at - record.died_at)

    async def _feed_raise(self, process: Process, armed: Kill | None) -> None:
        """A consumer armed to fail as it dead-letters gets poisons to dead-letter now (they are
        rare otherwise): as many as the arrival it fails on."""
        raising = armed.raising if armed else None
        if raising is None or raising.point != DEAD_LETTER_RAISE or self.poisoner is None:
            return
        assert self.tap is not None
        for _ in range(raising.nth):
            await self.poisoner.send_one(self.tap, topics=consumed_topics(process.name))

    async def _restart_with_postgres_down(
        self, process: Process, armed: Kill | None, record: KillRecord, hold: float
    ) -> None:
        """Stop PostgreSQL, start the service while it is down and keep it down `hold` seconds
        (longer, until the service has answered): the service must keep running and answer
        not ready (503) meanwhile, then become ready once PostgreSQL is back."""
        async with self._postgres:
            began = self.restarting["postgres"] = time.time()
            try:
                await asyncio.to_thread(self.infra.stop_postgres)
                crash_at = await self._start(process, armed)
                down = await self._while_postgres_down(process, hold)
            finally:
                await asyncio.to_thread(self.infra.start_postgres)
                back = time.time()
                self.restarts.append(RestartRecord("postgres-down-at-start", began, back))
                del self.restarting["postgres"]
        self.postgres_down_starts.append(down)
        name = f"{process.name} started with PostgreSQL down"
        if down.answers.get("200"):
            self.violations.append(f"{name}: answered ready while PostgreSQL was down")
        if not down.answers.get("503") and not down.exited:
            self.violations.append(f"{name}: never answered 503 while PostgreSQL was down")
        if down.exited:
            self.violations.append(f"{name}: exited {process.exits[-1:]} while it was down")
            await self._restart(process, armed, record)
            return
        if await process.until_ready(self.client, within=120.0):
            down.ready_after = time.time() - back
            self._ready(process, record)
            await self._feed_raise(process, armed)
            return
        code = await process.wait_exit(0.5)
        if code == SIGKILLED and crash_at:
            return  # it died at its armed point once PostgreSQL was back: the next kill
        self.violations.append(f"{name}: not ready 120 s after PostgreSQL came back (exit {code})")
        await process.kill()
        await self._restart(process, armed, record)

    async def _while_postgres_down(self, process: Process, hold: float) -> PostgresDownStart:
        began = time.monotonic()
        answers: dict[str, int] = {}
        while process.running:
            waited = time.monotonic() - began
            if waited >= 60.0 or (waited >= hold and answers.get("503")):
                break
            try:
                response = await self.client.get(f"{process.spec.url}/health/ready", timeout=2.0)
                answer = str(response.status_code)
            except httpx.HTTPError:
                answer = "none"  # not listening yet
            answers[answer] = answers.get(answer, 0) + 1
            await asyncio.sleep(0.25)
        return PostgresDownStart(
            process.name, time.monotonic() - began, answers, exited=not process.running
        )

    async def readiness(self) -> dict[str, object]:
        """What each service's /health/ready says now (what it waits on, when not ready)."""
        found: dict[str, object] = {}
        for name, process in self.processes.items():
            try:
                response = await self.client.get(f"{process.spec.url}/health/ready", timeout=5.0)
                found[name] = response.json()
            except (httpx.HTTPError, ValueError) as error:
                found[name] = repr(error)
        return found

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
            # Poisons just produced: the consumers are dead-lettering them as the broker goes.
            poisons = []
            if self.poisoner is not None and self.tap is not None:
                poisons = [await self.poisoner.send_one(self.tap) for _ in range(restart.poisons)]
            began = self.restarting["broker"] = time.time()
            await asyncio.to_thread(self.infra.restart_broker, kill=restart.kill)
            what = "broker-sigkill" if restart.kill else "broker-clean"
            self.restarts.append(RestartRecord(what, began, time.time(), poisons))
            del self.restarting["broker"]
            log.info("%s took %.1f s", what, time.time() - began)

    async def restart_postgres_in_turn(self, restarts: list[Restart]) -> None:
        for restart in restarts:
            await self.recovered()
            await asyncio.sleep(restart.gap)
            async with self._postgres:
                began = self.restarting["postgres"] = time.time()
                await asyncio.to_thread(self.infra.restart_postgres)
                self.restarts.append(RestartRecord("postgres-immediate", began, time.time()))
                del self.restarting["postgres"]
            log.info("postgres immediate restart took %.1f s", time.time() - began)

    # --- a slow database ----------------------------------------------------------------------

    async def hold_locks_in_turn(self, locks: list[Lock]) -> None:
        """Each table locked in turn for longer than the statement timeout: what waits on it
        fails (a command with a 5xx, sent again; a consumed record, tried again)."""
        for lock in locks:
            await asyncio.sleep(lock.gap)
            for _ in range(3):  # the database still starting up: try again
                # Every service ready, so load and consumed events meet the lock (not a broker
                # or database outage), and the database not restarted while it is held.
                await self.recovered()
                async with self._postgres:
                    record = await self._hold(lock)
                self.locks.append(record)
                if record.held:
                    break
                await asyncio.sleep(1.0)

    async def _hold(self, lock: Lock) -> LockRecord:
        began = time.time()
        held, error = False, None
        try:
            connection = await asyncpg.connect(
                service_database(self.infra.admin_dsn, lock.service),
                timeout=5,
                server_settings={"lock_timeout": "5s"},
            )
            try:
                transaction = connection.transaction()
                await transaction.start()
                await connection.execute(
                    f'LOCK TABLE "{lock.service}"."{lock.table}" IN ACCESS EXCLUSIVE MODE'
                )
                began = time.time()
                await asyncio.sleep(lock.hold)
                await transaction.rollback()
                held = True
            finally:
                await connection.close()
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as failed:
            error = repr(failed)
        log.info("%s.%s locked for %.1f s (held %s)", lock.service, lock.table, lock.hold, held)
        return LockRecord(lock.service, lock.table, began, time.time(), held, error)

    # --- oversized requests -------------------------------------------------------------------

    async def oversized_in_turn(self, gaps: list[float], each: int = 2) -> None:
        """After each gap, a burst to every service at once: `each` requests announcing their
        length and `each` streamed without one. Each must be refused (413) and every service
        serve on."""
        for gap in gaps:
            await asyncio.sleep(gap)
            lives = {name: p.starts for name, p in self.processes.items()}
            await asyncio.gather(
                *(
                    self._oversized(name, streamed)
                    for name in SERVICES
                    for streamed in (False, True)
                    for _ in range(each)
                )
            )
            await asyncio.gather(*(self._serves_on(name, lives[name]) for name in SERVICES))

    async def _oversized(self, service: str, streamed: bool) -> None:
        assert self.burst is not None
        process = self.processes[service]
        for _ in range(20):
            # Killed, or starting: sent once it serves.
            await process.until_serving(self.client, within=300.0)
            life = process.starts
            answer = await self.burst.one(service, streamed)
            # Cut off by a kill (the exit may show a moment after the connection ends): sent
            # again to the next life.
            if answer.status is None and (
                process.starts != life or await process.ended_within(3.0)
            ):
                self.interrupted.append(answer)
                continue
            self.oversized.append(answer)
            if not answer.refused:
                self.violations.append(
                    f"{service}: an oversized request ({'streamed' if streamed else 'announced'})"
                    f" answered {answer.status} {answer.problem}, not 413 too-large, after "
                    f"{answer.answered_at - answer.sent_at:.1f} s"
                )
            return

    async def _serves_on(self, service: str, life: int) -> None:
        """After a burst the service still answers, unless it was killed meanwhile."""
        process = self.processes[service]
        serving = await process.until_serving(self.client, within=15.0)
        # Killed meanwhile, it is not the burst's doing (an exit of its own is counted apart).
        if not serving and process.running and process.starts == life:
            self.violations.append(f"{service}: stopped serving after oversized requests")
