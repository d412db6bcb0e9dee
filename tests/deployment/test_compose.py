"""docker-compose.yml runs the same suite as `make up`: valid by the Compose Specification,
health-checked, started in order, configured with the same variables, one database each."""

from __future__ import annotations

import asyncio
import base64
import copy
import importlib
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import asyncpg
import jsonschema
import pytest

from inclusion_cli.keys import audit_key_paths
from inclusion_cli.services import SERVICE_PORTS
from inclusion_shared.audit.checkpoints import (
    audit_public_key,
    generate_audit_key,
    sign,
    signature_holds,
)
from inclusion_shared.events.catalogue import CATALOGUE, SERVICES
from inclusion_shared.messaging.kafka import has_dead_letters
from inclusion_shared.settings import ServiceSettings

from .conftest import DEPLOYED, READERS, make_up_variables

REPO = Path(__file__).resolve().parents[2]
# Beside the repository, as CI lays it out: the team's copy of the Compose Specification schema.
COMPOSE_SPEC = REPO.parent / "shared" / "schemas" / "compose-spec.json"
JOBS = ("topics", "keys")
KEY_SCRIPT = "create_personal_data_key"


def _load_script(name: str) -> ModuleType:
    path = REPO / "deploy" / "compose" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"compose_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would: dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Mount:
    """A named volume (or the part of it under ``subpath``) mounted at ``target``."""

    volume: str
    subpath: PurePosixPath
    target: PurePosixPath
    read_only: bool


@dataclass(frozen=True)
class InVolume:
    """Where a path inside a container lies in a named volume."""

    volume: str
    path: PurePosixPath
    read_only: bool


def _mounts(compose: dict[str, Any], service: dict[str, Any]) -> list[Mount]:
    """The service's named-volume mounts, short (`name:/path[:ro]`) or long syntax."""
    mounts = []
    for entry in service.get("volumes", []):
        if isinstance(entry, str):
            source, target, *mode = entry.split(":")
            mounts.append(
                Mount(source, PurePosixPath(), PurePosixPath(target), "ro" in "".join(mode))
            )
        elif entry["type"] == "volume":
            subpath = PurePosixPath(entry.get("volume", {}).get("subpath", ""))
            read_only = bool(entry.get("read_only", False))
            mounts.append(
                Mount(entry["source"], subpath, PurePosixPath(entry["target"]), read_only)
            )
    return [mount for mount in mounts if mount.volume in compose.get("volumes", {})]


def _in_volume(compose: dict[str, Any], service: dict[str, Any], path: str | Path) -> InVolume:
    """The volume and the path in it that a container path reaches (the deepest mount wins)."""
    wanted = PurePosixPath(path)
    covering = [
        mount
        for mount in _mounts(compose, service)
        if wanted == mount.target or mount.target in wanted.parents
    ]
    assert covering, f"{path} is in no named volume"
    mount = max(covering, key=lambda found: len(found.target.parts))
    return InVolume(mount.volume, mount.subpath / wanted.relative_to(mount.target), mount.read_only)


def _reaches(mount: Mount, place: InVolume) -> bool:
    return mount.volume == place.volume and (
        place.path == mount.subpath or mount.subpath in place.path.parents
    )


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    assert isinstance(environment, dict), "environment is written as a mapping"
    return {name: str(value) for name, value in environment.items()}


def _interpolated(value: str) -> str:
    """The value compose uses when the variable is unset: `${NAME:-default}` -> default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def _setting_names(settings: type[ServiceSettings]) -> set[str]:
    return settings.environment_names()


def test_the_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    assert COMPOSE_SPEC.is_file(), f"the Compose Specification schema belongs at {COMPOSE_SPEC}"
    schema = json.loads(COMPOSE_SPEC.read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(compose)
    ]
    assert errors == []


def test_the_schema_check_catches_a_mistake(compose: dict[str, Any]) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["funding"]["depends_on"]["kafka"]["condition"] = "service_ready"
    broken["services"]["funding"]["helthcheck"] = {}
    validator = jsonschema.Draft7Validator(json.loads(COMPOSE_SPEC.read_text()))
    assert len(list(validator.iter_errors(broken))) >= 1


def test_the_suite_has_kafka_postgres_every_service_and_tracing(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(DEPLOYED) | {"kafka", "postgres", "otel-collector", "jaeger", *JOBS} == set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["postgres"]["image"].startswith("postgres:15")


def test_every_server_has_a_health_check_and_every_job_is_waited_for(
    compose: dict[str, Any],
) -> None:
    for name, service in compose["services"].items():
        check = service.get("healthcheck", {})
        if name in JOBS:
            assert service["restart"] == "no", name
            assert check.get("disable") is True, f"{name} is a job: its image's check is off"
            continue
        assert check.get("disable") is not True, name
        test = check.get("test")
        assert isinstance(test, list) and test[0] in {"CMD", "CMD-SHELL"}, name
        assert {"interval", "timeout", "retries"} <= set(check), name


def test_every_dependency_waits_for_a_condition(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions, not a list"
        for dependency, how in depends_on.items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            expected = "service_completed_successfully" if dependency in JOBS else "service_healthy"
            assert how == {"condition": expected}, f"{name} -> {dependency}"


def test_the_services_wait_for_kafka_postgres_the_topics_and_the_collector(
    compose: dict[str, Any],
) -> None:
    for service in DEPLOYED:
        depends_on = compose["services"][service]["depends_on"]
        assert {"kafka", "postgres", "topics", "keys", "otel-collector"} <= set(depends_on)


@pytest.mark.parametrize("service", DEPLOYED)
def test_the_service_reads_only_settings_it_has(compose: dict[str, Any], service: str) -> None:
    settings = importlib.import_module(f"{service}.settings").Settings
    names = set(_environment(compose["services"][service]))
    assert names - _setting_names(settings) == set()


@pytest.mark.parametrize("job", JOBS)
def test_the_jobs_read_only_settings_the_kit_has(compose: dict[str, Any], job: str) -> None:
    names = set(_environment(compose["services"][job]))
    assert names - _setting_names(ServiceSettings) == set()


@pytest.mark.parametrize("service", DEPLOYED)
def test_the_service_gets_every_variable_make_up_gives_it(
    compose: dict[str, Any], service: str
) -> None:
    make_up = make_up_variables(service)
    assert make_up - set(_environment(compose["services"][service])) == set()


@pytest.mark.parametrize("service", DEPLOYED)
def test_the_api_listens_where_make_up_puts_it(compose: dict[str, Any], service: str) -> None:
    definition = compose["services"][service]
    environment = _environment(definition)
    assert definition["ports"] == [f"127.0.0.1:{SERVICE_PORTS[service]}:{environment['HTTP_PORT']}"]
    assert environment["HTTP_HOST"] == "0.0.0.0"
    assert f":{environment['HTTP_PORT']}/health/ready" in " ".join(
        definition["healthcheck"]["test"]
    )


@pytest.mark.parametrize("service", DEPLOYED)
def test_each_service_is_built_from_the_one_dockerfile(
    compose: dict[str, Any], service: str
) -> None:
    build = compose["services"][service]["build"]
    assert build == {"context": ".", "dockerfile": "Dockerfile", "args": {"SERVICE": service}}


@pytest.mark.parametrize("service", DEPLOYED)
def test_each_service_logs_in_to_its_own_database_with_the_password_postgres_gave_it(
    compose: dict[str, Any], service: str
) -> None:
    postgres = _environment(compose["services"]["postgres"])
    url = urlsplit(_interpolated(_environment(compose["services"][service])["DATABASE_URL"]))
    assert (url.username, url.hostname, url.port, url.path) == (
        service,
        "postgres",
        5432,
        f"/{service}",
    )
    assert url.password == _interpolated(postgres[f"{service.upper()}_DB_PASSWORD"])
    assert postgres["INCLUSION_SERVICES"].split() == list(DEPLOYED)


def test_the_services_trust_tokens_from_the_development_key(compose: dict[str, Any]) -> None:
    secret = compose["secrets"]["auth_public_key"]["file"]
    assert secret == "./.local/keys/dev-signing-key.pub.pem"
    for service in DEPLOYED:
        environment = _environment(compose["services"][service])
        assert environment["AUTH_PUBLIC_KEY_FILE"] == "/run/secrets/auth_public_key"
        assert "auth_public_key" in compose["services"][service]["secrets"]


def test_the_services_read_the_personal_data_key_the_key_job_writes(
    compose: dict[str, Any],
) -> None:
    job = compose["services"]["keys"]
    written = _in_volume(compose, job, _environment(job)["PERSONAL_DATA_KEY_FILE"])
    assert not written.read_only
    for service in SERVICES:
        definition = compose["services"][service]
        read = _in_volume(compose, definition, _environment(definition)["PERSONAL_DATA_KEY_FILE"])
        assert (read.volume, read.path) == (written.volume, written.path), service
        assert read.read_only, service


@pytest.mark.parametrize("service", READERS)
def test_a_service_that_holds_no_personal_data_has_no_personal_data_key(
    compose: dict[str, Any], service: str
) -> None:
    job = compose["services"]["keys"]
    key = _in_volume(compose, job, _environment(job)["PERSONAL_DATA_KEY_FILE"])
    for mount in _mounts(compose, compose["services"][service]):
        assert not _reaches(mount, key), mount


def _audit_keys_folder(compose: dict[str, Any]) -> Path:
    folder: Path = (
        _load_script(KEY_SCRIPT).parse_args(compose["services"]["keys"]["command"]).audit_keys
    )
    return folder


@pytest.mark.parametrize("service", DEPLOYED)
def test_each_service_signs_with_the_audit_key_the_key_job_makes_it(
    compose: dict[str, Any], service: str
) -> None:
    job = compose["services"]["keys"]
    key_files = _load_script(KEY_SCRIPT).audit_key_files(_audit_keys_folder(compose), service)
    made = _in_volume(compose, job, key_files.private)
    assert not made.read_only
    definition = compose["services"][service]
    read = _in_volume(compose, definition, _environment(definition)["AUDIT_SIGNING_KEY_FILE"])
    assert (read.volume, read.path) == (made.volume, made.path)
    assert read.read_only


@pytest.mark.parametrize("service", DEPLOYED)
def test_no_service_can_read_another_services_audit_key(
    compose: dict[str, Any], service: str
) -> None:
    job = compose["services"]["keys"]
    script = _load_script(KEY_SCRIPT)
    folder = _audit_keys_folder(compose)
    others = [
        _in_volume(compose, job, script.audit_key_files(folder, other).private)
        for other in DEPLOYED
        if other != service
    ]
    for mount in _mounts(compose, compose["services"][service]):
        assert not [key for key in others if _reaches(mount, key)], mount


def test_the_header_tells_an_auditor_where_the_public_keys_are(
    compose: dict[str, Any], repo: Path
) -> None:
    folder = _audit_keys_folder(compose)
    public = _load_script(KEY_SCRIPT).audit_key_files(folder, SERVICES[0]).public.parent
    _in_volume(compose, compose["services"]["keys"], public)  # kept with the keys
    text = (repo / "docker-compose.yml").read_text()
    header = text.split("\nname:")[0]
    assert all(line.startswith("#") for line in header.splitlines())
    assert f"docker compose cp keys:{public}/" in header
    assert "inclusion audit verify" in header and "--keys" in header


def test_every_service_names_the_same_deployment(compose: dict[str, Any]) -> None:
    deployments = {
        _interpolated(_environment(compose["services"][service])["DEPLOYMENT"])
        for service in DEPLOYED
    }
    assert len(deployments) == 1
    ServiceSettings(service_name="compose", deployment=deployments.pop())  # a valid name


def test_the_topic_job_creates_every_catalogue_topic_and_its_dead_letters(
    compose: dict[str, Any],
    planned_topics: Callable[[Callable[[], object]], dict[str, tuple[int, int, dict[str, str]]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = compose["services"]["topics"]
    assert job["entrypoint"] == ["python", "/opt/inclusion/create_topics.py"]
    assert "./deploy/compose/create_topics.py:/opt/inclusion/create_topics.py:ro" in job["volumes"]
    for name, value in _environment(job).items():
        monkeypatch.setenv(name, value)

    planned = planned_topics(_load_script("create_topics").create_topics)

    expected_names = {topic.name for topic in CATALOGUE} | {
        topic.dead_letters for topic in CATALOGUE if has_dead_letters(topic)
    }
    assert set(planned) == expected_names
    assert "audit.checkpoints.v1" in planned
    # Nothing consumes the checkpoints through an inbox, so nothing dead-letters them.
    assert "audit.checkpoints.v1.dlq" not in planned
    for topic in CATALOGUE:
        partitions, replication, config = planned[topic.name]
        assert (partitions, replication) == (topic.partitions, 1)
        assert partitions == 3
        assert (config.get("retention.ms") == "-1") == topic.keeps_forever


def test_the_key_job_makes_a_key_once_and_never_replaces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "personal-data.key"
    monkeypatch.setenv("PERSONAL_DATA_KEY_FILE", str(key))
    create = _load_script(KEY_SCRIPT).create_personal_data_key

    assert create() == key
    first = key.read_bytes()
    assert len(base64.b64decode(first)) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o400
    create()
    assert key.read_bytes() == first


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_key_job_makes_each_service_its_own_audit_key_pair_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERSONAL_DATA_KEY_FILE", str(tmp_path / "personal-data.key"))
    script = _load_script(KEY_SCRIPT)
    folder = tmp_path / "audit"
    assert script.main(["--audit-keys", str(folder)]) == 0

    assert script.DEPLOYED == DEPLOYED, "the key job makes a key for every service the stack runs"
    files = {service: script.audit_key_files(folder, service) for service in DEPLOYED}
    private = {service: found.private.read_bytes() for service, found in files.items()}
    assert len(set(private.values())) == len(DEPLOYED), "a key of its own each"
    for service, found in files.items():
        assert (_mode(found.private), _mode(found.private.parent)) == (0o400, 0o700)
        assert _mode(found.public) == 0o444
        assert found.private.parent.name == service  # compose mounts this folder alone
        # Named as the auditor's tool looks for them (`inclusion audit verify --keys`).
        assert found.public == audit_key_paths(found.public.parent, service).public
        checkpoint = sign(private[service], f"kent/{service}", 7, "a" * 64)
        assert signature_holds(checkpoint, found.public.read_bytes())
        other = next(files[s] for s in DEPLOYED if s != service)
        assert not signature_holds(checkpoint, other.public.read_bytes())
    published = {found.public.parent for found in files.values()}
    assert len(published) == 1
    assert sorted(path.name for path in published.pop().iterdir()) == sorted(
        found.public.name for found in files.values()
    )

    public = {service: found.public.read_bytes() for service, found in files.items()}
    files[SERVICES[0]].public.unlink()
    assert script.main(["--audit-keys", str(folder)]) == 0
    assert {s: f.private.read_bytes() for s, f in files.items()} == private
    assert {s: f.public.read_bytes() for s, f in files.items()} == public


def test_the_key_job_stops_on_a_public_key_that_is_not_its_private_keys_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERSONAL_DATA_KEY_FILE", str(tmp_path / "personal-data.key"))
    script = _load_script(KEY_SCRIPT)
    folder = tmp_path / "audit"
    script.main(["--audit-keys", str(folder)])
    public = script.audit_key_files(folder, SERVICES[-1]).public
    public.chmod(0o644)
    public.write_bytes(audit_public_key(generate_audit_key()))

    with pytest.raises(SystemExit, match="not the public half"):
        script.main(["--audit-keys", str(folder)])


async def test_the_postgres_init_script_gives_each_service_a_database_no_other_may_enter(
    admin_dsn: str,
) -> None:
    psql = shutil.which("psql")
    assert psql, "psql (Debian's postgresql-client) runs the init script"
    script = REPO / "deploy" / "compose" / "postgres" / "create-service-databases.sh"
    admin = urlsplit(admin_dsn)
    names = [f"compose_{uuid4().hex[:8]}_{n}" for n in ("funding", "placements")]
    passwords = {name: uuid4().hex for name in names}
    environment = {
        **os.environ,
        "INCLUSION_SERVICES": " ".join(names),
        "POSTGRES_USER": admin.username or "",
        "PGHOST": admin.hostname or "",
        "PGPORT": str(admin.port or 5432),
        "PGPASSWORD": admin.password or "",
        **{f"{name.upper()}_DB_PASSWORD": password for name, password in passwords.items()},
    }
    try:
        process = await asyncio.create_subprocess_exec(
            "bash", str(script), env=environment, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await process.communicate()
        assert process.returncode == 0, stderr.decode()

        own, other = names
        base = f"postgresql://{admin.hostname}:{admin.port or 5432}"
        connection = await asyncpg.connect(f"{base}/{own}", user=own, password=passwords[own])
        try:
            assert await connection.fetchval("SELECT current_database()") == own
            await connection.execute("CREATE TABLE decisions (id int)")  # it owns its database
        finally:
            await connection.close()
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(f"{base}/{other}", user=own, password=passwords[own])
    finally:
        cleanup = await asyncpg.connect(admin_dsn)
        try:
            for name in names:
                await cleanup.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await cleanup.execute(f'DROP ROLE IF EXISTS "{name}"')
        finally:
            await cleanup.close()


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined and comments dropped."""
    lines = [line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (word.upper(), rest.strip())
        for word, _, rest in (line.strip().partition(" ") for line in joined.splitlines())
        if word
    ]


def test_the_image_runs_as_a_user_and_checks_readiness_without_curl(repo: Path) -> None:
    instructions = _instructions((repo / "Dockerfile").read_text())
    final_stage = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    runtime = dict(instructions[final_stage:])
    assert runtime["USER"].split(":")[0] not in {"0", "root"}
    healthcheck = runtime["HEALTHCHECK"]
    assert "urllib.request" in healthcheck and "/health/ready" in healthcheck
    assert "curl" not in healthcheck
    syncs = [args for word, args in instructions if word == "RUN" and "uv sync" in args]
    assert all("--locked --no-dev" in args and '"inclusion-${SERVICE}"' in args for args in syncs)
    assert len(syncs) == 2


@pytest.mark.timeout(600)
def test_the_image_installs_the_service_and_the_kit_from_the_lock_and_nothing_else(
    repo: Path, tmp_path: Path
) -> None:
    """The Dockerfile's two `uv sync` steps, here: first from the pyproject files alone (the
    cached layer), then with the sources of the kit and one service."""
    uv = shutil.which("uv") or str(Path.home() / ".cache/inclusion/tools/bin/uv")
    source = tmp_path / "src"
    members = ["shared", "cli", *(f"services/{name}" for name in DEPLOYED)]
    for relative in ["pyproject.toml", "uv.lock", *(f"{m}/pyproject.toml" for m in members)]:
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / relative, source / relative)
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("UV_", "VIRTUAL_"))
    }
    environment |= {"UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"), "UV_LINK_MODE": "copy"}

    def sync(*extra: str) -> None:
        command = [uv, "sync", "--locked", "--no-dev", *extra, "--package", "inclusion-reviews"]
        result = subprocess.run(
            command, cwd=source, env=environment, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr

    sync("--no-install-workspace")
    shutil.copytree(repo / "shared" / "src", source / "shared" / "src")
    shutil.copytree(repo / "services" / "reviews" / "src", source / "services" / "reviews" / "src")
    sync("--no-editable")

    python = tmp_path / "venv" / "bin" / "python"
    probe = subprocess.run(
        [str(python), "-c", "import reviews.main, inclusion_shared, importlib.util as u;"
         "print(u.find_spec('inclusion_cli'), u.find_spec('pytest'))"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["None", "None"], "no CLI and no dev tools in the image"
    assert (tmp_path / "venv" / "bin" / "inclusion-reviews").is_file()
