"""The five services as the campaign runs them: subprocesses of its own, each on a port of the
campaign's, with its own database, keys and DEPLOYMENT, pointed at the campaign's broker.

A service can be started with a crash point armed (``INCLUSION_CRASH_AT=point:N``), killed
with SIGKILL, and restarted; whatever makes a process exit, the next start is this module's.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from faults.infra import kafka_environment
from inclusion_cli.keys import ensure_audit_keys, ensure_dev_signing_key, ensure_personal_data_key
from inclusion_cli.services import ServiceSpec, service_env
from inclusion_shared.faults import CRASH_AFTER_ENV, CRASH_ENV
from inclusion_shared.messaging.connection import KafkaSettings

SERVICES = ("funding", "placements", "reviews", "feedback", "monitoring")
# The services that own commands and publish events; monitoring only reads.
PRODUCERS = ("funding", "placements", "reviews", "feedback")
# The services with an inbox consumer.
CONSUMERS = ("funding", "feedback", "monitoring")


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
    starts: int = 0
    started_at: float = 0.0
    exits: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self, crash_at: str | None = None, after: float = 0.0) -> None:
        """Start the process, with a crash point armed if asked (never inherited otherwise),
        counting arrivals at it only after its first `after` seconds."""
        env = {k: v for k, v in self.env.items() if k not in (CRASH_ENV, CRASH_AFTER_ENV)}
        if crash_at:
            env[CRASH_ENV] = crash_at
            env[CRASH_AFTER_ENV] = f"{after:.2f}"
        self.armed = crash_at
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            log.write(f"\n--- start {self.starts + 1}, crash at {crash_at}\n".encode())
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
) -> dict[str, Process]:
    """The five services' processes (not started), on consecutive ports from `first_port`."""
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
        }
        found[name] = Process(spec, env, logs / f"{name}.log")
    return found
