"""A dedicated PostgreSQL 15 cluster (`15/inclusion`, port 5433) from Debian's packages.

Dedicated, so `down --purge` can drop it without touching the machine's own `main` cluster.
Admin work goes through `psql` as the `postgres` OS user over the Unix socket (peer auth); the
services and tests connect over TCP to 127.0.0.1 with SCRAM passwords.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from inclusion_cli.infra.tls import LocalCA
from inclusion_cli.paths import cache_dir, write_private_once
from inclusion_cli.procs import file_lock
from inclusion_cli.sync import run_sync, within

SERVICE_NAMES = ("funding", "placements", "reviews", "feedback", "monitoring")
ADMIN_ROLE = "inclusion_admin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SOCKET_DIR = "/var/run/postgresql"

# Written on every ensure: local admin over the socket as OS users, passwords over TCP.
HBA = """\
# Managed by inclusion_cli.infra.postgres; rewritten by `inclusion up`.
local   all   all                       peer
host    all   all   127.0.0.1/32        scram-sha-256
host    all   all   ::1/128             scram-sha-256
"""
# The secure cluster (`inclusion up --secure`): over TCP, TLS or nothing.
SECURE_HBA = """\
# Managed by inclusion_cli.infra.postgres; rewritten by `inclusion up --secure`.
local     all   all                       peer
hostnossl all   all   0.0.0.0/0           reject
hostnossl all   all   ::/0                reject
hostssl   all   all   127.0.0.1/32        scram-sha-256
hostssl   all   all   ::1/128             scram-sha-256
"""


class PostgresError(RuntimeError):
    pass


@dataclass(frozen=True)
class PgCluster:
    """Which cluster, and where its generated passwords are kept (one file per role, mode 600)."""

    secrets_dir: Path
    version: str = "15"
    name: str = "inclusion"
    port: int = 5433
    host: str = "127.0.0.1"
    tls: LocalCA | None = None  # set: TLS only, clients verify the server's name against it

    @property
    def lock_file(self) -> Path:
        return self.secrets_dir / "postgres.lock"


@dataclass(frozen=True)
class ClusterInfo:
    running: bool
    pid: int | None
    data_dir: Path
    config_dir: Path


@dataclass(frozen=True)
class PgRun:
    admin_dsn: str
    started: bool  # False: it was already running and was left alone
    created: bool


def _privileged(command: Sequence[str]) -> list[str]:
    """Cluster management needs root; `sudo -n` fails fast instead of prompting."""
    return list(command) if os.geteuid() == 0 else ["sudo", "-n", *command]


def _as_postgres(command: Sequence[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return ["sudo", "-n", "-u", "postgres", "--", *command]


def _run(command: Sequence[str], *, stdin: str | None = None, timeout: float = 120) -> str:
    # cwd=/ because the postgres user cannot enter root's home and psql would complain.
    result = subprocess.run(
        list(command), input=stdin, capture_output=True, text=True, cwd="/",
        timeout=timeout, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise PostgresError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def install_postgres() -> None:
    """Debian's packages provide pg_createcluster and the 15 binaries; install when missing."""
    if shutil.which("pg_createcluster") and PG_BIN.is_dir():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        result = subprocess.run(
            _privileged(command), capture_output=True, text=True, env=env, check=False
        )
        if result.returncode != 0:
            raise PostgresError(f"{' '.join(command)} failed:\n{result.stderr}")


def cluster_info(cluster: PgCluster) -> ClusterInfo | None:
    """From `pg_lsclusters --json`; None if the cluster does not exist."""
    if not shutil.which("pg_lsclusters"):
        return None
    entries: list[dict[str, Any]] = json.loads(_run(["pg_lsclusters", "--json"]) or "[]")
    for entry in entries:
        if str(entry["version"]) == cluster.version and entry["cluster"] == cluster.name:
            data_dir = Path(entry["pgdata"])
            return ClusterInfo(
                running=bool(entry["running"]),
                pid=_postmaster_pid(data_dir) if entry["running"] else None,
                data_dir=data_dir,
                config_dir=Path(entry["configdir"]),
            )
    return None


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None  # e.g. not root, so the data directory is unreadable


def password(cluster: PgCluster, role: str) -> str:
    """The role's password, generated on first use. URL-safe, so it needs no escaping in DSNs."""
    path = cluster.secrets_dir / f"postgres-{role}.password"
    if not path.is_file():
        write_private_once(path, secrets.token_urlsafe(24).encode("ascii"))
    return path.read_text(encoding="ascii").strip()


def dsn(cluster: PgCluster, role: str, database: str) -> str:
    pw = password(cluster, role)
    url = f"postgresql://{role}:{pw}@{cluster.host}:{cluster.port}/{database}"
    if cluster.tls is not None:
        url += f"?sslmode=verify-full&sslrootcert={cluster.tls.certificate}"
    return url


def admin_dsn(cluster: PgCluster) -> str:
    return dsn(cluster, ADMIN_ROLE, "postgres")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _psql(cluster: PgCluster, script: str) -> str:
    """Run SQL as the postgres superuser over the socket; statements run one by one (so
    CREATE DATABASE works) and the first error stops the script."""
    command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", SOCKET_DIR,
               "-p", str(cluster.port), "-d", "postgres", "-f", "-"]  # fmt: skip
    return _run(_as_postgres(command), stdin=script)


def _login_role_sql(cluster: PgCluster, role: str, *, superuser: bool = False) -> str:
    # ALTER on every run keeps the server in step with the password file, even if .local/
    # was deleted while the cluster survived.
    attrs = "LOGIN SUPERUSER" if superuser else "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
    return (
        f"SELECT format('CREATE ROLE %I', {_literal(role)}) WHERE NOT EXISTS "
        f"(SELECT FROM pg_roles WHERE rolname = {_literal(role)})\\gexec\n"
        f'ALTER ROLE "{role}" WITH {attrs} PASSWORD {_literal(password(cluster, role))};\n'
    )


def _write_settings(cluster: PgCluster, info: ClusterInfo) -> bool:
    """Our settings in conf.d (Debian's postgresql.conf includes it). True if they changed.
    `ssl` takes effect on a reload; the others at the cluster's next start."""
    settings = (
        "# Managed by inclusion_cli.infra.postgres; rewritten by `inclusion up`.\n"
        f"listen_addresses = '{cluster.host}'\n"
        # Four services' pools plus test sessions exceed the default 100.
        "max_connections = 200\n"
    )
    if cluster.tls is None:
        # Debian turns TLS on with a self-signed certificate. On loopback it protects nothing
        # and cost a quarter of the services' CPU on the command path (py-spy, make bench).
        settings += "ssl = off\n"
    else:
        changed = _write_server_certificate(cluster.tls, info.config_dir)
        settings += (
            "ssl = on\n"
            f"ssl_cert_file = '{info.config_dir / 'server.pem'}'\n"
            f"ssl_key_file = '{info.config_dir / 'server-key.pem'}'\n"
            "ssl_min_protocol_version = 'TLSv1.2'\n"
            "password_encryption = 'scram-sha-256'\n"
        )
        return _write_config(info.config_dir / "conf.d" / "inclusion.conf", settings) or changed
    return _write_config(info.config_dir / "conf.d" / "inclusion.conf", settings)


def _write_server_certificate(ca: LocalCA, config_dir: Path) -> bool:
    """The server's certificate from the local CA, issued once and kept in the cluster's
    config directory, owned by postgres (the key mode 600, as PostgreSQL demands).
    True if it changed."""
    issued = ca.issued("postgres", ca.directory / "postgres") or ca.issue(
        "postgres", ca.directory / "postgres"
    )
    changed = _write_config(config_dir / "server.pem", issued.certificate.read_text("ascii"))
    key = issued.key.read_text("ascii")
    return _write_config(config_dir / "server-key.pem", key, private=True) or changed


def _write_config(path: Path, text: str, *, private: bool = False) -> bool:
    """Write a cluster config file as its owner (the files are postgres's, some mode 640;
    ``private``: 600 from the first byte). True if the content changed."""
    current = subprocess.run(
        _as_postgres(["cat", str(path)]), capture_output=True, text=True, cwd="/", check=False
    )
    if current.returncode == 0 and current.stdout == text:
        return False
    umask = "077" if private else "022"
    _run(_as_postgres(["sh", "-c", f'umask {umask} && cat > "$0"', str(path)]), stdin=text)
    return True


async def _poll_admin(cluster: PgCluster) -> bool:
    """Until the admin can log in over TCP (right after a start, it may not yet)."""
    while True:
        try:
            connection = await asyncpg.connect(admin_dsn(cluster), timeout=5)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            await asyncio.sleep(0.2)
        else:
            await connection.close()
            return True


def ensure_postgres(cluster: PgCluster, *, timeout: float = 60.0) -> PgRun:
    """Create (once) and start the cluster and its `inclusion_admin` superuser; return once
    the admin can log in over TCP with its password."""
    install_postgres()
    cluster.secrets_dir.mkdir(parents=True, exist_ok=True)
    with file_lock(cluster.lock_file):
        info = cluster_info(cluster)
        created = info is None
        if created:
            _run(_privileged([
                "pg_createcluster", cluster.version, cluster.name, "--port", str(cluster.port),
                "--encoding", "UTF8", "--locale", "C.UTF-8",
            ]))  # fmt: skip
            info = cluster_info(cluster)
        if info is None:
            raise PostgresError(f"cluster {cluster.version}/{cluster.name} was not created")
        settings_changed = _write_settings(cluster, info)
        hba = HBA if cluster.tls is None else SECURE_HBA
        hba_changed = _write_config(info.config_dir / "pg_hba.conf", hba)
        started = not info.running
        control = ["pg_ctlcluster", cluster.version, cluster.name]
        if started:
            _run(_privileged([*control, "start"]))
        elif hba_changed or settings_changed:
            _run(_privileged([*control, "reload"]))
        _psql(cluster, _login_role_sql(cluster, ADMIN_ROLE, superuser=True))
        if not run_sync(lambda: within(timeout, _poll_admin(cluster), default=False)):
            raise PostgresError(
                f"{ADMIN_ROLE} cannot log in to 127.0.0.1:{cluster.port} within {timeout:.0f} s; "
                f"see /var/log/postgresql/postgresql-{cluster.version}-{cluster.name}.log"
            )
        return PgRun(admin_dsn(cluster), started=started, created=created)


def ensure_service_databases(
    cluster: PgCluster, services: Iterable[str] = SERVICE_NAMES
) -> dict[str, str]:
    """Per service: a login role owning a database of the same name, which no other role may
    connect to. Idempotent. Returns service -> DSN."""
    script = []
    for service in services:
        db = _literal(service)
        script += [
            _login_role_sql(cluster, service),
            f"SELECT format('CREATE DATABASE %I OWNER %I', {db}, {db}) WHERE NOT EXISTS "
            f"(SELECT FROM pg_database WHERE datname = {db})\\gexec",
            f'ALTER DATABASE "{service}" OWNER TO "{service}";',
            # CONNECT is granted to PUBLIC by default; keep each service out of the others.
            f'REVOKE ALL ON DATABASE "{service}" FROM PUBLIC;',
            f'GRANT CONNECT, TEMPORARY ON DATABASE "{service}" TO "{service}";',
        ]
    with file_lock(cluster.lock_file):
        _psql(cluster, "\n".join(script) + "\n")
    return {service: dsn(cluster, service, service) for service in services}


def stop_postgres(cluster: PgCluster) -> bool:
    """Stop the cluster (fast mode: disconnects clients). True if it was running."""
    info = cluster_info(cluster)
    if info is None or not info.running:
        return False
    _run(_privileged(["pg_ctlcluster", cluster.version, cluster.name, "stop", "-m", "fast"]))
    return True


def drop_postgres(cluster: PgCluster) -> bool:
    """Delete the cluster and all its data. True if it existed."""
    if cluster_info(cluster) is None:
        return False
    _run(_privileged(["pg_dropcluster", "--stop", cluster.version, cluster.name]))
    for role_file in cluster.secrets_dir.glob("postgres-*.password"):
        role_file.unlink()
    return True


def local_cluster() -> PgCluster:
    """The cluster `inclusion up` and the test session share. The cluster belongs to the machine,
    not to one checkout, so its passwords live in the machine's cache: two checkouts (a developer's
    tree and a fresh clone) never reset each other's passwords."""
    return PgCluster(secrets_dir=cache_dir() / "postgres-secrets")


def secure_cluster(ca: LocalCA | None) -> PgCluster:
    """The cluster of `inclusion up --secure` and the secure tests: `15/inclusion-secure` on
    5434, TLS only, its certificate from ``ca`` (the machine's, as the cluster is; without one,
    enough to find, stop or drop it)."""
    return PgCluster(
        secrets_dir=cache_dir() / "postgres-secure-secrets", name="inclusion-secure", port=5434,
        tls=ca,
    )  # fmt: skip
