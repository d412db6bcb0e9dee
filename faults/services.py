"""The five services as the campaign runs them: subprocesses of its own, each on a port of the
campaign's, with its own database, keys and DEPLOYMENT, pointed at the campaign's broker.

A service can be started with a crash point armed (``INCLUSION_CRASH_AT=point:N``) and a raise
point too (``INCLUSION_RAISE_AT=point:N``), killed with SIGKILL, and restarted; whatever makes a
process exit, the next start is this module's. What the services logged is read back from their
log files: the errors raised at raise points, and how the services took them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from faults.infra import kafka_environment
from inclusion_cli.keys import ensure_audit_keys, ensure_dev_signing_key, ensure_personal_data_key
from inclusion_cli.services import ServiceSpec, service_env
from inclusion_shared.faults import CRASH_AFTER_ENV, CRASH_ENV, RAISE_ENV, RAISED
from inclusion_shared.messaging.connection import KafkaSettings

SERVICES = ("funding", "placements", "reviews", "feedback", "monitoring")
# The services that own commands and publish events; monitoring only reads.
PRODUCERS = ("funding", "placements", "reviews", "feedback")
# The services with an inbox consumer.
CONSUMERS = ("funding", "feedback", "monitoring")
# What the services' logs say when they take a fault the campaign injected.
SUPERVISOR_RESTARTED = "background task failed; restarting it"
RECORD_TRIED_AGAIN = "record not finished; trying it again"
STATEMENT_TIMEOUT = "canceling statement due to statement timeout"


@dataclass(frozen=True)
class Keys:
    folder: Path
    public: Path
    personal_data: Path
    audit: Mapping[str, Path]

    @classmethod
    def under(cls, folder: Path) -> Keys:
        signing = ensure_dev_signing_key(folder)
        return cls(
            folder,
            signing.public,
            ensure_personal_data_key(folder),
            ensure_audit_keys(folder, SERVICES),
        )


@dataclass
class Process:
    """One service process of the campaign and what happened to it."""

    spec: ServiceSpec
    env: dict[str, str]
    log_file: Path
    process: asyncio.subprocess.Process | None = None
    armed: str | None = None
    raising: str | None = None
    starts: int = 0
    started_at: float = 0.0
    exits: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(
        self, crash_at: str | None = None, after: float = 0.0, raise_at: str | None = None
    ) -> None:
        """Start the process, with a crash point armed if asked (never inherited otherwise),
        counting arrivals at it only after its first `after` seconds, and a raise point."""
        armed = (CRASH_ENV, CRASH_AFTER_ENV, RAISE_ENV)
        env = {k: v for k, v in self.env.items() if k not in armed}
        if crash_at:
            env[CRASH_ENV] = crash_at
            env[CRASH_AFTER_ENV] = f"{after:.2f}"
        if raise_at:
            env[RAISE_ENV] = raise_at
        self.armed, self.raising = crash_at, raise_at
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            started = f"start {self.starts + 1}, crash at {crash_at}, raise at {raise_at}"
            log.write(f"\n--- {started}\n".encode())
            self.process = await asyncio.create_subprocess_exec(
                *self.spec.command,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                # Its own session: a Ctrl-C at the terminal reaches the campaign, which stops
                # the services in order, rather than every process at once.
                start_new_session=True,
            )
        self.starts += 1
        self.started_at = time.time()

    async def wait_exit(self, within: float | None = None) -> int | None:
        """The exit code once the process has ended; None if it still runs after `within` s."""
        if self.process is None:
            return None
        try:
            async with asyncio.timeout(within):
                code = await self.process.wait()
        except TimeoutError:
            return None
        self.exits.append(code)
        return code

    async def ended_within(self, seconds: float) -> bool:
        """The process has ended, or does within `seconds`."""
        if self.process is None:
            return True
        try:
            async with asyncio.timeout(seconds):
                await self.process.wait()
        except TimeoutError:
            return False
        return True

    async def kill(self) -> float:
        """SIGKILL, no warning; returns the moment it was sent."""
        at = time.time()
        if self.running and self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)
            await self.wait_exit()
        return at

    async def stop(self, grace: float = 20.0) -> None:
        """SIGTERM for a clean shutdown, SIGKILL after `grace`."""
        if not self.running or self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        if await self.wait_exit(grace) is None:
            await self.kill()

    async def ready(self, client: httpx.AsyncClient) -> bool:
        try:
            response = await client.get(f"{self.spec.url}/health/ready", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def alive(self, client: httpx.AsyncClient) -> bool:
        """The process serves HTTP (ready or not)."""
        try:
            response = await client.get(f"{self.spec.url}/health/live", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def until_serving(self, client: httpx.AsyncClient, within: float) -> bool:
        """True once it serves HTTP (started again by whoever restarts it, if need be)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if await self.alive(client):
                return True
            await asyncio.sleep(0.2)
        return False

    def logged(self) -> Iterator[dict[str, object]]:
        """Each JSON line the process has logged, in every one of its lives."""
        if not self.log_file.is_file():
            return
        with self.log_file.open("rb") as lines:
            for line in lines:
                if line.startswith(b"{"):
                    with contextlib.suppress(ValueError):
                        found = json.loads(line)
                        if isinstance(found, dict):
                            yield found

    def took(self) -> Counter[str]:
        """How often the process logged each injected fault and what it did about it: errors
        raised per point, its supervisor restarting a task, a record tried again, a
        statement cancelled by the statement timeout."""
        found: Counter[str] = Counter()
        for entry in self.logged():
            message, text = entry.get("message"), json.dumps(entry)
            if message == RAISED:
                found[f"raised at {entry.get('fault_point')}"] += 1
            elif message == SUPERVISOR_RESTARTED:
                found["task restarted by its supervisor"] += 1
            elif message == RECORD_TRIED_AGAIN:
                found["consumed record tried again"] += 1
            if STATEMENT_TIMEOUT in text:
                found["statement timeouts"] += 1
        return found

    async def until_ready(self, client: httpx.AsyncClient, within: float) -> bool:
        """True once ready; False if the process ended (or `within` passed) first."""
        deadline = time.monotonic() + within
        while self.running and time.monotonic() < deadline:
            if await self.ready(client):
                return True
            await asyncio.sleep(0.1)
        return False


def processes(
    *,
    deployment: str,
    kafka: KafkaSettings,
    databases: Mapping[str, str],
    keys: Keys,
    first_port: int,
    logs: Path,
    statement_timeout: float,
) -> dict[str, Process]:
    """The five services' processes (not started), on consecutive ports from `first_port`,
    each cancelling a statement that runs longer than `statement_timeout` seconds."""
    found = {}
    for number, name in enumerate(SERVICES):
        spec = ServiceSpec(
            name, first_port + number, (str(Path(sys.prefix) / "bin" / f"inclusion-{name}"),)
        )
        env = {
            # Connected exactly as the campaign is: no KAFKA_* of the caller's shell.
            **kafka_environment(kafka),
            **service_env(
                spec,
                kafka=kafka.bootstrap_servers,
                database_url=databases[name],
                public_key=keys.public,
                personal_data_key=keys.personal_data,
                audit_key=keys.audit[name],
            ),
            "DEPLOYMENT": deployment,
            "LOG_LEVEL": "WARNING",
            # Checkpoints often enough that the audit sees many signed heads in a short run.
            "AUDIT_CHECKPOINT_EVERY_SECONDS": "5",
            # Short, so a table locked for a few seconds makes statements fail, not wait.
            "DATABASE_STATEMENT_TIMEOUT_SECONDS": f"{statement_timeout:g}",
        }
        found[name] = Process(spec, env, logs / f"{name}.log")
    return found
