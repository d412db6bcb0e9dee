"""What the deployment tests share: the repository's files, the built Kubernetes overlays, and
the topics the kit's own ``ensure_topics`` would create, to hold the manifests against."""

from __future__ import annotations

import asyncio
import inspect
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka.admin import NewTopic

from inclusion_cli.services import SERVICE_PORTS, ServiceSpec, service_env
from inclusion_shared.events.catalogue import SERVICES, Topic
from inclusion_shared.messaging import kafka
from inclusion_shared.messaging.connection import KafkaSettings

REPO = Path(__file__).resolve().parents[2]
DEPLOYED = tuple(SERVICE_PORTS)
"""Every service `make up` starts, and so every one deployed: the four that publish events
(``SERVICES``) and monitoring, which only reads them."""
READERS = tuple(service for service in DEPLOYED if service not in SERVICES)
K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
# The kit's own ensure_topics, as the services and the compose job run it: name -> (partitions,
# replication, topic config).
PlannedTopics = dict[str, tuple[int, int, dict[str, str]]]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return loaded


def _kustomize() -> list[str]:
    """`kubectl kustomize` (kubectl is on the project's machines), else a standalone kustomize,
    e.g. one built with `go install sigs.k8s.io/kustomize/kustomize/v5` into the tools' bin."""
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    tools = Path.home() / ".cache" / "inclusion" / "tools" / "bin" / "kustomize"
    for candidate in (shutil.which("kustomize"), tools):
        if candidate and Path(candidate).is_file():
            return [str(candidate), "build"]
    pytest.fail(
        "neither kubectl nor kustomize is installed; install one, e.g. "
        "GOBIN=~/.cache/inclusion/tools/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0"
    )


def build_overlay(path: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [*_kustomize(), str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"kustomize build {path} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def overlays() -> dict[str, list[dict[str, Any]]]:
    """Every overlay, built the way `kubectl apply -k` would build it."""
    return {name: build_overlay(K8S / "overlays" / name) for name in OVERLAYS}


class _RecordingAdmin:
    """Answers ensure_topics as an empty cluster would and keeps what it was asked to create."""

    created: list[NewTopic]

    def __init__(self, **_: object) -> None:
        pass

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def list_topics(self) -> list[str]:
        return []

    async def create_topics(self, topics: list[NewTopic]) -> None:
        _RecordingAdmin.created.extend(topics)


@pytest.fixture
def planned_topics(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[Callable[[], object]], PlannedTopics]:
    """Runs a function that calls the kit's ensure_topics, and returns what it would create."""

    def plan(run: Callable[[], object]) -> PlannedTopics:
        _RecordingAdmin.created = []
        monkeypatch.setattr(kafka, "AIOKafkaAdminClient", _RecordingAdmin)
        run()
        return {
            topic.name: (topic.num_partitions, topic.replication_factor, topic.topic_configs)
            for topic in _RecordingAdmin.created
        }

    return plan


@pytest.fixture
def kit_plan(
    planned_topics: Callable[[Callable[[], object]], PlannedTopics],
) -> Callable[..., PlannedTopics]:
    """What ensure_topics creates for the given topics at the given replication."""

    def plan(topics: Iterable[Topic], *, replication: int, min_insync: int) -> PlannedTopics:
        wanted = list(topics)
        return planned_topics(
            lambda: asyncio.run(
                kafka.ensure_topics(
                    KafkaSettings(
                        bootstrap_servers="unused:9092",
                        replication_factor=replication,
                        min_insync_replicas=min_insync,
                    ),
                    wanted,
                )
            )
        )

    return plan


def make_up_variables(service: str) -> set[str]:
    """The variables plain ``make up`` gives a service (a placeholder for each path; the secure
    stack's extra Kafka variables are not plain make up's)."""
    parameters = inspect.signature(service_env).parameters
    placeholders: dict[str, Any] = {
        name: f"/{name}"
        for name, parameter in parameters.items()
        if name != "spec" and "Mapping" not in str(parameter.annotation)
    }
    return set(service_env(ServiceSpec(service, 8000, ("unused",)), **placeholders))
