"""A real single-node KRaft Apache Kafka broker (broker + controller in one JVM).

The broker runs from the `org.apache.kafka:kafka_2.13` jars on Maven Central, resolved with the
machine's Maven into a cache, on the machine's Java 17: no Docker, no tarball from elsewhere.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from inclusion_cli.infra.tls import LocalCA
from inclusion_cli.paths import StateDir, cache_dir, deploy_dir
from inclusion_cli.procs import (
    file_lock,
    pid_alive,
    port_open,
    running_pid,
    spawn_detached,
    stop_process,
    tail,
)
from inclusion_cli.sync import run_sync, within
from inclusion_shared.messaging.connection import KafkaSettings

KAFKA_VERSION = "4.4.0"
MAIN_CLASS = "kafka.Kafka"


class KafkaStartError(RuntimeError):
    pass


SUPER_USER = "admin"
"""The secure broker's super user: it creates the topics and the ACLs, and nothing else uses it."""
BROKER_NAME = "inclusion-kafka"
"""The broker's certificate's name: it authenticates to its own controller listener with it."""


@dataclass(frozen=True)
class BrokerSecurity:
    """What makes a broker secure (`inclusion up --secure`): clients only over SASL_SSL with
    SCRAM-SHA-512, the controller listener only over TLS with the broker's own certificate,
    deny unless an ACL allows. ``scram`` holds every principal's password, the super user's
    among them; SCRAM credentials are written into the storage when it is formatted."""

    ca: LocalCA
    scram: dict[str, str]  # principal -> password

    def client(self, principal: str, bootstrap_servers: str) -> KafkaSettings:
        return KafkaSettings(
            bootstrap_servers=bootstrap_servers,
            security_protocol="SASL_SSL",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username=principal,
            sasl_password=self.scram[principal],
            ssl_cafile=self.ca.certificate,
        )


@dataclass(frozen=True)
class KafkaNode:
    """One broker: its config, data and pid file live under `home`; ports are parameters so
    tests can run a second broker beside the one `inclusion up` uses."""

    home: Path
    log_file: Path
    port: int = 9092
    controller_port: int = 9093
    host: str = "127.0.0.1"
    max_heap: str = "1g"
    security: BrokerSecurity | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def admin(self) -> KafkaSettings:
        """How this program talks to the broker: as the super user when it is secure."""
        if self.security is None:
            return KafkaSettings(bootstrap_servers=self.bootstrap_servers)
        return self.security.client(SUPER_USER, self.bootstrap_servers)

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def config_file(self) -> Path:
        return self.home / "server.properties"

    @property
    def pid_file(self) -> Path:
        return self.home / "kafka.pid"

    @property
    def lock_file(self) -> Path:
        return self.home / "kafka.lock"


@dataclass(frozen=True)
class KafkaRun:
    bootstrap_servers: str
    pid: int
    started: bool  # False: it was already running and was left alone


def local_node(state: StateDir) -> KafkaNode:
    """The broker `inclusion up` and the test session share: .local/kafka, ports 9092/9093."""
    return KafkaNode(home=state.kafka, log_file=state.logs / "kafka.log")


def kafka_pid(node: KafkaNode) -> int | None:
    return running_pid(node.pid_file, [MAIN_CLASS, str(node.config_file)])


def resolve_classpath(pom: Path, cache: Path | None = None) -> str:
    """The broker's classpath, from Maven once (~30 s cold) and from a cached file afterwards.
    The cache key includes the pom's hash, so editing the pom re-resolves."""
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:12]
    cached = (cache or cache_dir()) / "kafka" / f"kafka-{KAFKA_VERSION}-{digest}.classpath"
    if cached.is_file():
        classpath = cached.read_text(encoding="utf-8").strip()
        # A cleaned Maven repository invalidates the cache.
        if classpath and all(Path(jar).is_file() for jar in classpath.split(os.pathsep)):
            return classpath
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaStartError("Maven (mvn) is needed to fetch Kafka from Maven Central")
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
    command = [
        mvn, "-q", "-B",
        f"-Dmaven.repo.local={(cache or cache_dir()) / 'm2'}",
        "-f", str(pom),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={partial}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if result.returncode != 0 or not partial.is_file():
        raise KafkaStartError(f"maven failed:\n{result.stdout}\n{result.stderr}")
    os.replace(partial, cached)  # atomic: a concurrent reader never sees half a file
    return cached.read_text(encoding="utf-8").strip()


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java:
        raise KafkaStartError("Java 17 is needed to run Kafka (no `java` on PATH)")
    return java


def _inline(pem: bytes) -> str:
    """A PEM block as one properties line (Kafka reads PEM keys inline, not from a file)."""
    return pem.decode("ascii").strip().replace("\n", "\\n")


def _render_config(node: KafkaNode, deploy: Path) -> None:
    values: dict[str, object] = {
        "host": node.host,
        "port": node.port,
        "controller_port": node.controller_port,
        "data_dir": node.data_dir,
    }
    name = "server.properties.template"
    if node.security is not None:
        name = "server-secure.properties.template"
        # A fresh certificate on every start; it authenticates the broker to its controller
        # listener too.
        issued = node.security.ca.issue(BROKER_NAME, node.home / "tls", client=True)
        values |= {
            "certificate_chain": _inline(issued.certificate.read_bytes()),
            "private_key": _inline(issued.key.read_bytes()),
            "ca_file": node.security.ca.certificate,
            "super_users": f"User:{SUPER_USER};User:CN={BROKER_NAME}",
            "super_user": SUPER_USER,
            "super_user_password": node.security.scram[SUPER_USER],
        }
    template = Template((deploy / name).read_text(encoding="utf-8"))
    # It may hold a private key and a password.
    write = os.open(node.config_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(write, "w", encoding="utf-8") as config:
        config.write(template.substitute(values))
    node.config_file.chmod(0o600)


def _format_storage(node: KafkaNode, java: str, classpath: str, log4j: Path) -> None:
    """KRaft needs its log dir formatted with a cluster id once; never reformat existing data."""
    if (node.data_dir / "meta.properties").is_file():
        return
    base = [java, f"-Dlog4j2.configurationFile={log4j}", "-cp", classpath]
    tool = "kafka.tools.StorageTool"
    uuid = subprocess.run(
        [*base, tool, "random-uuid"], capture_output=True, text=True, timeout=120, check=False
    )
    cluster_id = uuid.stdout.strip().splitlines()[-1] if uuid.returncode == 0 else ""
    if not cluster_id:
        raise KafkaStartError(f"StorageTool random-uuid failed:\n{uuid.stdout}\n{uuid.stderr}")
    scram = node.security.scram.items() if node.security is not None else ()
    credentials = [
        f"--add-scram=SCRAM-SHA-512=[name={principal},password={password}]"
        for principal, password in sorted(scram)
    ]
    fmt = subprocess.run(
        [*base, tool, "format", "-t", cluster_id, "-c", str(node.config_file), *credentials],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if fmt.returncode != 0:
        raise KafkaStartError(f"StorageTool format failed:\n{fmt.stdout}\n{fmt.stderr}")


@contextmanager
def _quiet_aiokafka() -> Iterator[None]:
    """Refused connections while the broker boots are expected; without this aiokafka prints
    them to stderr through logging's last-resort handler."""
    logger = logging.getLogger("aiokafka")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


async def probe_kafka(kafka: KafkaSettings, per_attempt: float = 5.0) -> bool:
    """True if a real client, connecting as ``kafka`` says, gets cluster metadata listing at
    least one broker."""
    admin = AIOKafkaAdminClient(
        **kafka.client_options(), request_timeout_ms=int(per_attempt * 1000)
    )
    with _quiet_aiokafka():
        try:
            async with asyncio.timeout(per_attempt):
                await admin.start()
                cluster = await admin.describe_cluster()
            return bool(cluster.get("brokers"))
        except (KafkaError, OSError, TimeoutError):
            return False
        finally:
            await admin.close()


async def _poll_ready(node: KafkaNode, pid: int) -> bool:
    """True once the broker answers; False as soon as its process dies (no point waiting)."""
    while pid_alive(pid):
        if await probe_kafka(node.admin):
            return True
        await asyncio.sleep(0.25)
    return False


def _wait_ready(node: KafkaNode, pid: int, timeout: float) -> bool:
    return run_sync(lambda: within(timeout, _poll_ready(node, pid), default=False))


def ensure_kafka(node: KafkaNode, *, deploy: Path | None = None, timeout: float = 90.0) -> KafkaRun:
    """Start the broker unless it already runs; return once a client can talk to it."""
    deploy = deploy or deploy_dir() / "kafka"
    node.home.mkdir(parents=True, exist_ok=True)
    with file_lock(node.lock_file):
        pid = kafka_pid(node)
        if pid is not None:
            if _wait_ready(node, pid, timeout):
                return KafkaRun(node.bootstrap_servers, pid, started=False)
            raise KafkaStartError(
                f"Kafka (pid {pid}) runs but does not answer; log tail:\n{tail(node.log_file)}"
            )
        if port_open(node.host, node.port):
            raise KafkaStartError(
                f"port {node.port} is taken by a process that is not the "
                f"broker in {node.home}; stop it or choose other ports"
            )
        classpath = resolve_classpath(deploy / "pom.xml")
        java = _java()
        log4j = deploy / "log4j2.properties"
        _render_config(node, deploy)
        _format_storage(node, java, classpath, log4j)
        command = [
            java, "-Xms256m", f"-Xmx{node.max_heap}", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true", f"-Dlog4j2.configurationFile={log4j}",
            "-cp", classpath, MAIN_CLASS, str(node.config_file),
        ]  # fmt: skip
        pid = spawn_detached(command, log_file=node.log_file, pid_file=node.pid_file)
        if _wait_ready(node, pid, timeout):
            return KafkaRun(node.bootstrap_servers, pid, started=True)
        if pid_alive(pid):
            stop_process(pid, timeout=10.0)  # half-started: leave nothing behind
        raise KafkaStartError(
            f"Kafka did not become ready within {timeout:.0f} s; log tail "
            f"({node.log_file}):\n{tail(node.log_file)}"
        )


def stop_kafka(node: KafkaNode, *, timeout: float = 60.0) -> bool:
    """Stop the broker if it runs (clean shutdown first). True if it was running."""
    pid = kafka_pid(node)
    if pid is not None:
        stop_process(pid, timeout=timeout)
    node.pid_file.unlink(missing_ok=True)
    return pid is not None


def purge_kafka(node: KafkaNode) -> None:
    stop_kafka(node)
    shutil.rmtree(node.home, ignore_errors=True)
