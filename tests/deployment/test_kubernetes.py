"""deploy/k8s: every overlay builds with kustomize and validates as Kubernetes; every workload
is probed, limited and locked down; traffic is denied unless allowed; production Kafka topics and
users follow the catalogue, each service limited to its own topics."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
from opentelemetry.sdk import environment_variables as otel_environment

from inclusion_cli.services import ServiceSpec, service_env
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, CATALOGUE
from inclusion_shared.messaging.consumer import consumer_group
from inclusion_shared.messaging.kafka import has_dead_letters
from inclusion_shared.settings import ServiceSettings

from .conftest import DEPLOYED, READERS

REPO = Path(__file__).resolve().parents[2]
OVERLAYS = ("dev", "prod")
NAMESPACES = {"dev": "inclusion-dev", "prod": "inclusion"}
KUBERNETES_VERSION = "1.32.0"  # the oldest minor the manifests must suit
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}
STRIMZI = "kafka.strimzi.io/v1beta2"
# Prod's Kafka runs over SASL_SSL; these names are not ServiceSettings fields yet.
AWAITING_SETTINGS = {
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SSL_CAFILE",
}
# Read by the OpenTelemetry SDK itself when a service installs its tracer provider.
READ_BY_OPENTELEMETRY = {
    otel_environment.OTEL_TRACES_SAMPLER,
    otel_environment.OTEL_TRACES_SAMPLER_ARG,
}

Manifest = dict[str, Any]

# The parts of Strimzi's KafkaTopic and KafkaUser CRDs (v1beta2) the manifests use.
_ACL = {
    "type": "object",
    "required": ["resource", "operations"],
    "additionalProperties": False,
    "properties": {
        "resource": {
            "type": "object",
            "required": ["type"],
            "additionalProperties": False,
            "properties": {
                "type": {"enum": ["topic", "group", "cluster", "transactionalId"]},
                "name": {"type": "string"},
                "patternType": {"enum": ["literal", "prefix"]},
            },
        },
        "operations": {
            "type": "array",
            "minItems": 1,
            "items": {
                "enum": [
                    "Read",
                    "Write",
                    "Create",
                    "Delete",
                    "Alter",
                    "Describe",
                    "ClusterAction",
                    "AlterConfigs",
                    "DescribeConfigs",
                    "IdempotentWrite",
                    "All",
                ]
            },
        },
        "host": {"type": "string"},
    },
}
_METADATA = {
    "type": "object",
    "required": ["name", "labels"],
    "properties": {
        "labels": {"type": "object", "required": ["strimzi.io/cluster"]},
    },
}
STRIMZI_SCHEMAS = {
    "KafkaTopic": {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": STRIMZI},
            "metadata": _METADATA,
            "spec": {
                "type": "object",
                "required": ["topicName", "partitions", "replicas", "config"],
                "additionalProperties": False,
                "properties": {
                    "topicName": {"type": "string"},
                    "partitions": {"type": "integer", "minimum": 1},
                    "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
                    "config": {"type": "object"},
                },
            },
        },
    },
    "KafkaUser": {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": STRIMZI},
            "metadata": _METADATA,
            "spec": {
                "type": "object",
                "required": ["authentication", "authorization"],
                "additionalProperties": False,
                "properties": {
                    "authentication": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {"type": {"const": "scram-sha-512"}},
                    },
                    "authorization": {
                        "type": "object",
                        "required": ["type", "acls"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"const": "simple"},
                            "acls": {"type": "array", "items": _ACL},
                        },
                    },
                },
            },
        },
    },
}


def _of_kind(documents: list[Manifest], kind: str) -> list[Manifest]:
    return [document for document in documents if document["kind"] == kind]


def _named(documents: list[Manifest], kind: str, name: str) -> Manifest:
    found = [d for d in _of_kind(documents, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"one {kind} {name}"
    return found[0]


def _pod_spec(workload: Manifest) -> Manifest:
    spec: Manifest = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: Manifest = spec["template"]["spec"]
    return pod


def _workloads(documents: list[Manifest]) -> Iterator[Manifest]:
    return (document for document in documents if document["kind"] in WORKLOADS)


def _environment(documents: list[Manifest], workload: Manifest) -> dict[str, Any]:
    """Each container variable: its value, or how it is referenced (Secret, field)."""
    config_maps = {
        c["metadata"]["name"]: c.get("data", {}) for c in _of_kind(documents, "ConfigMap")
    }
    variables: dict[str, Any] = {}
    for container in _pod_spec(workload)["containers"]:
        for source in container.get("envFrom", []):
            name = source["configMapRef"]["name"]
            assert name in config_maps, f"{workload['metadata']['name']} reads missing {name}"
            variables.update(config_maps[name])
        for variable in container.get("env", []):
            variables[variable["name"]] = variable.get("value", variable.get("valueFrom"))
    return variables


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def _kafka_topics(documents: list[Manifest]) -> dict[str, Manifest]:
    return {t["spec"]["topicName"]: t["spec"] for t in _of_kind(documents, "KafkaTopic")}


def _acls(documents: list[Manifest], user: str) -> list[Manifest]:
    acls: list[Manifest] = _named(documents, "KafkaUser", user)["spec"]["authorization"]["acls"]
    return acls


def _topics_allowed(acls: list[Manifest], operation: str) -> set[str]:
    return {
        acl["resource"]["name"]
        for acl in acls
        if acl["resource"]["type"] == "topic" and operation in acl["operations"]
    }


@pytest.fixture(scope="module")
def prod(overlays: dict[str, list[Manifest]]) -> list[Manifest]:
    return overlays["prod"]


@pytest.fixture(scope="module")
def consumes() -> dict[str, list[str]]:
    """What each service subscribes to, read by the generator from the services themselves (in
    a process of its own, as building an app sets process-wide logging and tracing)."""
    code = (
        "import json, runpy; generator = runpy.run_path('deploy/k8s/generate_strimzi.py');"
        "print(json.dumps(generator['consumed_topics'](generator['DEPLOYED'])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_overlay_builds_and_its_objects_are_valid_kubernetes(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    assert {"Deployment", "Service", "ConfigMap", "NetworkPolicy", "PodDisruptionBudget"} <= {
        d["kind"] for d in documents
    }
    for document in documents:
        if document["apiVersion"] == STRIMZI:
            jsonschema.validate(document, STRIMZI_SCHEMAS[document["kind"]])
        else:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_validation_rejects_a_misspelt_field(overlays: dict[str, list[Manifest]]) -> None:
    deployment = copy.deepcopy(_of_kind(overlays["dev"], "Deployment")[0])
    _pod_spec(deployment)["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_is_deployed_in_the_overlay(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
        assert {d["metadata"]["name"] for d in _of_kind(documents, kind)} == set(DEPLOYED), kind
    assert {d["metadata"].get("namespace") for d in documents} == {NAMESPACES[overlay]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_workload_is_probed_limited_and_locked_down(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    for workload in _workloads(overlays[overlay]):
        name = workload["metadata"]["name"]
        pod = _pod_spec(workload)
        pod_security = pod.get("securityContext", {})
        assert pod_security.get("runAsNonRoot") is True, name
        assert pod_security.get("seccompProfile") == {"type": "RuntimeDefault"}, name
        assert pod.get("automountServiceAccountToken") is False, name
        temporary = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
        for container in pod["containers"] + pod.get("initContainers", []):
            where = f"{name}/{container['name']}"
            security = container.get("securityContext", {})
            assert security.get("allowPrivilegeEscalation") is False, where
            assert security.get("readOnlyRootFilesystem") is True, where
            assert security.get("capabilities", {}).get("drop") == ["ALL"], where
            assert not security.get("capabilities", {}).get("add"), where
            assert security.get("privileged") in (None, False), where
            assert security.get("runAsNonRoot", pod_security["runAsNonRoot"]) is True, where
            assert security.get("seccompProfile", {"type": "RuntimeDefault"}) == {
                "type": "RuntimeDefault"
            }, where
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(bound, {})), f"{where} {bound}"
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert mounts.get("/tmp") in temporary, f"{where}: /tmp is an emptyDir"
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            probes = {
                kind: container[kind]["httpGet"]
                for kind in ("livenessProbe", "readinessProbe", "startupProbe")
            }
            assert probes["livenessProbe"]["path"] == "/health/live", where
            assert probes["readinessProbe"]["path"] == "/health/ready", where
            assert probes["startupProbe"]["path"] == "/health/live", where
            assert all(probe["port"] in ports for probe in probes.values()), where
            http_port = _environment(overlays[overlay], workload)["HTTP_PORT"]
            assert ports["http"] == int(http_port), where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_disruption_budget_keeps_every_workload_serving(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    budgets = _of_kind(documents, "PodDisruptionBudget")
    for workload in _workloads(documents):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets if _selects(b["spec"]["selector"]["matchLabels"], labels)]
        assert len(covering) == 1, workload["metadata"]["name"]
        assert covering[0]["spec"].get("maxUnavailable") == 1


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_routes_to_its_own_pods(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    for service in _of_kind(documents, "Service"):
        selected = [
            d
            for d in _of_kind(documents, "Deployment")
            if _selects(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
        ]
        assert [d["metadata"]["name"] for d in selected] == [service["metadata"]["name"]]
        assert service["spec"]["ports"][0]["targetPort"] == "http"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_traffic_is_denied_unless_a_policy_allows_it(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    policies = _of_kind(overlays[overlay], "NetworkPolicy")
    deny_all = [
        p
        for p in policies
        if p["spec"]["podSelector"] == {}
        and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    assert deny_all, "a default-deny policy"
    for workload in _workloads(overlays[overlay]):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        mine = [
            p
            for p in policies
            if _selects(p["spec"]["podSelector"].get("matchLabels", {}), labels)
            and p["spec"]["podSelector"]
        ]
        ingress_ports = {
            port["port"]
            for p in mine
            for rule in p["spec"].get("ingress", [])
            for port in rule["ports"]
        }
        egress_ports = {
            port["port"]
            for p in mine
            for rule in p["spec"].get("egress", [])
            for port in rule.get("ports", [])
        }
        assert ingress_ports == {"http"}, workload["metadata"]["name"]
        assert {53, 5432, 4318} <= egress_ports, workload["metadata"]["name"]
        assert {9092, 9093} & egress_ports
        assert all(rule.get("ports") for p in mine for rule in p["spec"].get("egress", [])), (
            "no egress rule without ports"
        )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_read_only_settings_they_have(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    for workload in _workloads(overlays[overlay]):
        name = workload["metadata"]["name"]
        fields = {*importlib.import_module(f"{name}.settings").Settings.environment_names()}
        unknown = (
            set(_environment(overlays[overlay], workload))
            - fields
            - AWAITING_SETTINGS
            - READ_BY_OPENTELEMETRY
        )
        assert unknown == set(), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_get_what_make_up_gives_them(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    parameters = inspect.signature(service_env).parameters
    placeholders: dict[str, Any] = {name: f"/{name}" for name in parameters if name != "spec"}
    make_up = set(service_env(ServiceSpec("funding", 8000, ("unused",)), **placeholders))
    # Production verifies tokens against the identity provider instead of a local key.
    expected = (
        make_up if overlay == "dev" else make_up - {"AUTH_PUBLIC_KEY_FILE"} | {"AUTH_JWKS_URL"}
    )
    for workload in _workloads(overlays[overlay]):
        variables = _environment(overlays[overlay], workload)
        assert expected - set(variables) == set(), workload["metadata"]["name"]
        assert ("AUTH_JWKS_URL" in variables) != ("AUTH_PUBLIC_KEY_FILE" in variables)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_referenced_never_committed(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    assert _of_kind(documents, "Secret") == []
    for workload in _workloads(documents):
        name = workload["metadata"]["name"]
        database_url = _environment(documents, workload)["DATABASE_URL"]
        assert database_url == {"secretKeyRef": {"name": f"{name}-database", "key": "DATABASE_URL"}}
    committed = [p for p in (REPO / "deploy").rglob("*.yaml") if "kind: Secret" in p.read_text()]
    assert committed == []

    # No key material anywhere under deploy/ or in the compose file either.
    files = [*(REPO / "deploy").rglob("*"), REPO / "docker-compose.yml"]
    keys = [p for p in files if p.is_file() and "PRIVATE KEY-----" in p.read_text(errors="ignore")]
    assert keys == []


def _secrets_referenced(workload: Manifest) -> set[str]:
    pod = _pod_spec(workload)
    names = {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
    for container in pod["containers"] + pod.get("initContainers", []):
        for variable in container.get("env", []):
            reference = variable.get("valueFrom", {}).get("secretKeyRef")
            if reference:
                names.add(reference["name"])
    return names


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_signs_its_chain_with_its_own_key_from_a_secret(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    secrets = []
    for workload in _workloads(documents):
        name = workload["metadata"]["name"]
        key_file = PurePosixPath(_environment(documents, workload)["AUDIT_SIGNING_KEY_FILE"])
        pod = _pod_spec(workload)
        mounts = [
            m
            for m in pod["containers"][0]["volumeMounts"]
            if PurePosixPath(m["mountPath"]) in key_file.parents
        ]
        mount = max(mounts, key=lambda m: len(PurePosixPath(m["mountPath"]).parts))
        assert mount.get("readOnly") is True, name
        volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
        secret = volume["secret"]
        assert secret["secretName"] == f"{name}-audit-key"
        item = next(
            i for i in secret["items"] if PurePosixPath(mount["mountPath"], i["path"]) == key_file
        )
        assert item["key"] == "audit-signing-key.pem", name
        mode = item.get("mode", secret.get("defaultMode", 0o644))
        assert mode & 0o007 == 0, f"{name}: others may not read its key"
        secrets.append(secret["secretName"])
    assert len(set(secrets)) == len(secrets) == len(DEPLOYED)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_secret_the_cluster_must_provide_is_documented(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    readme = (REPO / "deploy" / "k8s" / "README.md").read_text()
    kafka_users = {user["metadata"]["name"] for user in _of_kind(documents, "KafkaUser")}
    for workload in _workloads(documents):
        name = workload["metadata"]["name"]
        for secret in _secrets_referenced(workload) - kafka_users:  # Strimzi makes those
            documented = secret.replace(f"{name}-", "<service>-", 1)
            assert f"`{documented}`" in readme, f"{secret} is not in deploy/k8s/README.md"


def test_each_overlay_names_its_deployment(overlays: dict[str, list[Manifest]]) -> None:
    named = {}
    for overlay in OVERLAYS:
        documents = overlays[overlay]
        deployments = {
            _environment(documents, workload)["DEPLOYMENT"] for workload in _workloads(documents)
        }
        assert len(deployments) == 1, overlay
        named[overlay] = deployments.pop()
        ServiceSettings(service_name="k8s", deployment=named[overlay])  # a valid name
    assert named["prod"] == "kent"
    assert named["dev"] != named["prod"], "development events never join production's log"


def test_production_topics_are_the_catalogues_at_replication_three(
    prod: list[Manifest], kit_plan: Callable[..., dict[str, tuple[int, int, dict[str, str]]]]
) -> None:
    declared = {
        name: (spec["partitions"], spec["replicas"], {k: str(v) for k, v in spec["config"].items()})
        for name, spec in _kafka_topics(prod).items()
    }
    assert declared == kit_plan(CATALOGUE, replication=3, min_insync=2)
    for topic in CATALOGUE:
        spec = _kafka_topics(prod)[topic.name]
        assert (spec["partitions"], spec["replicas"]) == (3, 3)
        assert spec["config"]["min.insync.replicas"] == 2
        assert (spec["config"].get("retention.ms") == -1) == topic.keeps_forever
        assert (topic.dead_letters in declared) == has_dead_letters(topic)
    assert AUDIT_CHECKPOINTS.name in declared


def test_production_services_create_topics_as_the_operator_declares_them(
    prod: list[Manifest],
) -> None:
    config = _named(prod, "ConfigMap", _config_map_name(prod))["data"]
    replicas = {spec["replicas"] for spec in _kafka_topics(prod).values()}
    min_insync = {spec["config"]["min.insync.replicas"] for spec in _kafka_topics(prod).values()}
    assert replicas == {int(config["KAFKA_REPLICATION_FACTOR"])}
    assert min_insync == {int(config["KAFKA_MIN_INSYNC_REPLICAS"])}


def _config_map_name(documents: list[Manifest]) -> str:
    names: list[str] = [
        c["metadata"]["name"]
        for c in _of_kind(documents, "ConfigMap")
        if c["metadata"]["name"].startswith("inclusion-config")
    ]
    assert len(names) == 1
    return names[0]


def test_the_generated_strimzi_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "deploy/k8s/generate_strimzi.py", "--check"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("service", DEPLOYED)
def test_each_service_may_write_only_its_own_topics_and_read_only_what_it_consumes(
    prod: list[Manifest], consumes: dict[str, list[str]], service: str
) -> None:
    acls = _acls(prod, service)
    own = {topic.name for topic in CATALOGUE if topic.service == service}
    consumed = set(consumes[service])
    assert _topics_allowed(acls, "Write") == (
        own | {f"{name}.dlq" for name in consumed} | {AUDIT_CHECKPOINTS.name}
    )
    assert _topics_allowed(acls, "Read") == consumed
    for acl in acls:
        assert acl["resource"]["patternType"] == "literal", acl
        assert acl["resource"]["type"] in {"topic", "group"}, acl
        assert set(acl["operations"]) <= {"Read", "Write", "Describe"}, acl
    groups = [acl for acl in acls if acl["resource"]["type"] == "group"]
    assert [g["resource"]["name"] for g in groups] == (
        [consumer_group("kent", service)] if consumed else []
    )


def test_the_auditor_reads_the_decision_log_and_writes_nothing(prod: list[Manifest]) -> None:
    acls = _acls(prod, "auditor")
    assert _topics_allowed(acls, "Read") == {topic.name for topic in CATALOGUE}
    assert _topics_allowed(acls, "Write") == set()


@pytest.mark.parametrize("service", DEPLOYED)
def test_each_production_service_signs_in_to_kafka_as_its_own_user(
    prod: list[Manifest], service: str
) -> None:
    deployment = _named(prod, "Deployment", service)
    variables = _environment(prod, deployment)
    assert variables["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert variables["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert variables["KAFKA_SASL_USERNAME"] == service
    assert variables["KAFKA_SASL_PASSWORD"] == {
        "secretKeyRef": {"name": service, "key": "password"}
    }
    user = _named(prod, "KafkaUser", service)
    cluster = user["metadata"]["labels"]["strimzi.io/cluster"]
    assert variables["KAFKA_BOOTSTRAP_SERVERS"] == f"{cluster}-kafka-bootstrap:9093"
    container = _pod_spec(deployment)["containers"][0]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    ca_volume = mounts[str(Path(variables["KAFKA_SSL_CAFILE"]).parent)]
    volume = next(v for v in _pod_spec(deployment)["volumes"] if v["name"] == ca_volume)
    assert volume["secret"]["secretName"] == f"{cluster}-cluster-ca-cert"


def test_development_services_need_no_kafka_credentials(
    overlays: dict[str, list[Manifest]],
) -> None:
    dev = overlays["dev"]
    assert _of_kind(dev, "KafkaTopic") == _of_kind(dev, "KafkaUser") == []
    for workload in _workloads(dev):
        assert not AWAITING_SETTINGS & set(_environment(dev, workload))


def test_the_generator_deploys_every_service_make_up_starts() -> None:
    code = (
        "import json, runpy; generator = runpy.run_path('deploy/k8s/generate_strimzi.py');"
        "print(json.dumps(generator['DEPLOYED']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert tuple(json.loads(result.stdout.strip().splitlines()[-1])) == DEPLOYED


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("service", READERS)
def test_a_service_that_holds_no_personal_data_mounts_no_personal_data_key(
    overlays: dict[str, list[Manifest]], overlay: str, service: str
) -> None:
    pod = _pod_spec(_named(overlays[overlay], "Deployment", service))
    secrets = {v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
    assert not [name for name in secrets if name.endswith("personal-data-key")]
    assert f"{service}-session-key" in secrets, "sessions survive a restart and every replica"


def test_monitoring_signs_in_through_the_identity_provider_in_production_only(
    overlays: dict[str, list[Manifest]],
) -> None:
    prod = _environment(overlays["prod"], _named(overlays["prod"], "Deployment", "monitoring"))
    dev = _environment(overlays["dev"], _named(overlays["dev"], "Deployment", "monitoring"))
    assert {"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_REDIRECT_URI"} <= set(prod)
    assert prod["OIDC_CLIENT_SECRET"] == {
        "secretKeyRef": {"name": "monitoring-oidc", "key": "client-secret", "optional": True}
    }
    assert "DEV_SIGN_IN" not in prod
    assert dev["DEV_SIGN_IN"] == "true" and "OIDC_ISSUER" not in dev
