"""The suite's services as detached local processes, each `<venv>/bin/inclusion-<name>` (uvicorn):
the four that own data and events, and monitoring, which reads their events."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from inclusion_cli.paths import StateDir
from inclusion_cli.procs import (
    file_lock,
    pid_alive,
    port_open,
    running_pid,
    spawn_detached,
    stop_process,
)
from inclusion_cli.sync import run_sync, within

SERVICE_PORTS = {
    "funding": 8001,
    "placements": 8002,
    "reviews": 8003,
    "feedback": 8004,
    "monitoring": 8005,
}
# What `make up` sets for one service alone: signing in to the monitoring pages from a browser
# with a role token (`inclusion token --role area-board --area kent`), as development allows.
LOCAL_SETTINGS = {"monitoring": {"DEV_SIGN_IN": "true"}}
# Where a person starts: the API docs, or the monitoring service's pages.
FRONT_PAGES = {"monitoring": "/dashboard"}


def front_page(name: str, url: str) -> str:
    return url + FRONT_PAGES.get(name, "/docs")


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    command: tuple[str, ...]  # injectable: tests run a stand-in service
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass(frozen=True)
class ServiceOutcome:
    spec: ServiceSpec
    pid: int | None
    started: bool  # False: already running (and left alone), or could not start
    ready: bool
    error: str | None = None


def default_specs(bin_dir: Path | None = None) -> list[ServiceSpec]:
    """Console scripts from this venv, or from $INCLUSION_SERVICES_BIN_DIR."""
    override = os.environ.get("INCLUSION_SERVICES_BIN_DIR")
    directory = bin_dir or (Path(override) if override else Path(sys.prefix) / "bin")
    return [
        ServiceSpec(name, port, (str(directory / f"inclusion-{name}"),))
        for name, port in SERVICE_PORTS.items()
    ]


def log_file(state: StateDir, spec: ServiceSpec) -> Path:
    return state.logs / f"{spec.name}.log"


def pid_file(state: StateDir, spec: ServiceSpec) -> Path:
    return state.pids / f"{spec.name}.pid"


def service_pid(state: StateDir, spec: ServiceSpec) -> int | None:
    return running_pid(pid_file(state, spec), spec.command)


def service_env(
    spec: ServiceSpec,
    *,
    kafka: str,
    database_url: str,
    public_key: Path,
    personal_data_key: Path,
    audit_key: Path | None = None,
    kafka_environment: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """``kafka_environment``: the other KAFKA_* variables (the secure stack's principal)."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        **(kafka_environment or {}),
        "DATABASE_URL": database_url,
        "HTTP_HOST": spec.host,
        "HTTP_PORT": str(spec.port),
        "AUTH_PUBLIC_KEY_FILE": str(public_key),
        "PERSONAL_DATA_KEY_FILE": str(personal_data_key),
        **({"AUDIT_SIGNING_KEY_FILE": str(audit_key)} if audit_key else {}),
        "LOG_LEVEL": "INFO",
        **LOCAL_SETTINGS.get(spec.name, {}),
    }


async def probe_ready(client: httpx.AsyncClient, spec: ServiceSpec) -> bool:
    try:
        response = await client.get(f"{spec.url}/health/ready", timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def _poll_ready(client: httpx.AsyncClient, spec: ServiceSpec, pid: int) -> bool:
    """True once /health/ready says 200; False as soon as the process dies."""
    while pid_alive(pid):
        if await probe_ready(client, spec):
            return True
        await asyncio.sleep(0.2)
    return False


def start_services(
    state: StateDir,
    specs: Sequence[ServiceSpec],
    envs: Mapping[str, Mapping[str, str]],
    *,
    timeout: float = 60.0,
) -> list[ServiceOutcome]:
    """Start each service that is not running, then wait for all to be ready, in parallel.
    A running service is left alone. One that we started and that never became ready is
    stopped again, so the next `up` starts it afresh."""
    # Two `up`s at once: the second waits, then finds the services running.
    with file_lock(state.locks / "services.lock"):
        return _start_services(state, specs, envs, timeout)


def _start_services(
    state: StateDir,
    specs: Sequence[ServiceSpec],
    envs: Mapping[str, Mapping[str, str]],
    timeout: float,
) -> list[ServiceOutcome]:
    pids: dict[str, tuple[int, bool]] = {}
    failed: list[ServiceOutcome] = []
    for spec in specs:
        existing = service_pid(state, spec)
        if existing is not None:
            pids[spec.name] = (existing, False)
        elif not Path(spec.command[0]).exists():
            error = f"{spec.command[0]} is not installed (run `uv sync`)"
            failed.append(ServiceOutcome(spec, None, started=False, ready=False, error=error))
        elif port_open(spec.host, spec.port):
            # Otherwise the readiness probe could be answered by whatever holds the port.
            error = f"port {spec.port} is taken by a process that is not this {spec.name}"
            failed.append(ServiceOutcome(spec, None, started=False, ready=False, error=error))
        else:
            pid = spawn_detached(
                spec.command,
                log_file=log_file(state, spec),
                pid_file=pid_file(state, spec),
                env={**os.environ, **envs[spec.name]},
            )
            pids[spec.name] = (pid, True)

    waiting = [spec for spec in specs if spec.name in pids]

    async def wait_all() -> list[bool]:
        async with httpx.AsyncClient() as client:
            checks = (
                within(timeout, _poll_ready(client, spec, pids[spec.name][0]), default=False)
                for spec in waiting
            )
            return list(await asyncio.gather(*checks))

    outcomes = {outcome.spec.name: outcome for outcome in failed}
    for spec, ready in zip(waiting, run_sync(wait_all), strict=True):
        pid, started = pids[spec.name]
        if not ready and started and pid_alive(pid):
            stop_process(pid, timeout=10.0)
        outcomes[spec.name] = ServiceOutcome(spec, pid, started=started, ready=ready)
    return [outcomes[spec.name] for spec in specs]


def stop_services(state: StateDir, specs: Sequence[ServiceSpec]) -> list[str]:
    """Stop every service whose pid file names a live process of ours; return their names."""
    stopped = []
    for spec in specs:
        pid = service_pid(state, spec)
        if pid is not None:
            stop_process(pid, timeout=30.0)
            stopped.append(spec.name)
        pid_file(state, spec).unlink(missing_ok=True)
    return stopped
