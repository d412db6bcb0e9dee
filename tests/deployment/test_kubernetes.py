"""deploy/k8s: every overlay builds with kustomize and validates as Kubernetes (the operators'
resources against their CRDs' shape); every workload is probed, limited and locked down; traffic
is denied unless allowed, the services reaching the brokers and the database and nothing else
of the cluster; production Kafka topics follow the catalogue (the users: test_kafka_rights)."""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
from opentelemetry.sdk import environment_variables as otel_environment

from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, CATALOGUE
from inclusion_shared.messaging.kafka import has_dead_letters
from inclusion_shared.settings import ServiceSettings

from .conftest import DEPLOYED, READERS, make_up_variables
from .crd_schemas import CRD_SCHEMAS
from .manifests import (
    REPO,
    Manifest,
    environment,
    label_selector_selects,
    named,
    of_kind,
    pod_labels,
    pod_spec,
    secret_file,
    selects,
    workloads,
)

OVERLAYS = ("dev", "prod")
NAMESPACES = {"dev": "inclusion-dev", "prod": "inclusion"}
KUBERNETES_VERSION = "1.32.0"  # the oldest minor the manifests must suit
# Read by the OpenTelemetry SDK itself when a service installs its tracer provider.
READ_BY_OPENTELEMETRY = {
    otel_environment.OTEL_TRACES_SAMPLER,
    otel_environment.OTEL_TRACES_SAMPLER_ARG,
}
# Read by the PostgreSQL driver (asyncpg, as libpq does) when DATABASE_URL names no password.
READ_BY_THE_DATABASE_DRIVER = {"PGPASSWORD"}
# What only a connection over SASL or TLS sets (the kit refuses it on PLAINTEXT).
KAFKA_CREDENTIALS = {
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SASL_PASSWORD_FILE",
    "KAFKA_SSL_CAFILE",
    "KAFKA_SSL_CERTFILE",
    "KAFKA_SSL_KEYFILE",
}


@pytest.fixture(scope="module")
def prod(overlays: dict[str, list[Manifest]]) -> list[Manifest]:
    return overlays["prod"]


def _kafka_topics(documents: list[Manifest]) -> dict[str, Manifest]:
    return {t["spec"]["topicName"]: t["spec"] for t in of_kind(documents, "KafkaTopic")}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_overlay_builds_and_its_objects_are_valid_kubernetes(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    assert {"Deployment", "Service", "ConfigMap", "NetworkPolicy", "PodDisruptionBudget"} <= {
        d["kind"] for d in documents
    }
    for document in documents:
        custom = CRD_SCHEMAS.get((document["apiVersion"], document["kind"]))
        if custom is not None:
            jsonschema.validate(document, custom)
        else:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_validation_rejects_a_misspelt_field(overlays: dict[str, list[Manifest]]) -> None:
    deployment = copy.deepcopy(of_kind(overlays["dev"], "Deployment")[0])
    pod_spec(deployment)["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_is_deployed_in_the_overlay(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
        assert {d["metadata"]["name"] for d in of_kind(documents, kind)} == set(DEPLOYED), kind
    assert {d["metadata"].get("namespace") for d in documents} == {NAMESPACES[overlay]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_workload_is_probed_limited_and_locked_down(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    for workload in workloads(overlays[overlay]):
        name = workload["metadata"]["name"]
        pod = pod_spec(workload)
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
            http_port = environment(overlays[overlay], workload)["HTTP_PORT"]
            assert ports["http"] == int(http_port), where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_disruption_budget_keeps_every_workload_serving(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    budgets = of_kind(documents, "PodDisruptionBudget")
    for workload in workloads(documents):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets if selects(b["spec"]["selector"]["matchLabels"], labels)]
        assert len(covering) == 1, workload["metadata"]["name"]
        assert covering[0]["spec"].get("maxUnavailable") == 1


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_routes_to_its_own_pods(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    for service in of_kind(documents, "Service"):
        selected = [
            d
            for d in of_kind(documents, "Deployment")
            if selects(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
        ]
        assert [d["metadata"]["name"] for d in selected] == [service["metadata"]["name"]]
        assert service["spec"]["ports"][0]["targetPort"] == "http"


# Pods the operators run for the suite, labelled as Strimzi and CloudNativePG label them.
BROKER = {
    "strimzi.io/cluster": "inclusion",
    "strimzi.io/kind": "Kafka",
    "strimzi.io/name": "inclusion-kafka",
    "strimzi.io/broker-role": "true",
    "app.kubernetes.io/part-of": "inclusion",  # Strimzi copies the Kafka resource's labels
}
CONTROLLER = {**BROKER, "strimzi.io/broker-role": "false", "strimzi.io/controller-role": "true"}
DATABASE_INSTANCE = {"cnpg.io/cluster": "inclusion-db", "cnpg.io/podRole": "instance"}
OPERATED = (BROKER, CONTROLLER, DATABASE_INSTANCE)


def _policies_of(policies: list[Manifest], labels: dict[str, str], kind: str) -> list[Manifest]:
    return [
        p
        for p in policies
        if kind in p["spec"]["policyTypes"]
        and label_selector_selects(p["spec"]["podSelector"], labels)
    ]


def _egress_ports(policies: list[Manifest], labels: dict[str, str], to: dict[str, str]) -> set[Any]:
    """The ports on which pods labelled ``labels`` may reach pods labelled ``to`` in their own
    namespace."""
    ports = set()
    for policy in _policies_of(policies, labels, "Egress"):
        for rule in policy["spec"].get("egress", []):
            peers = rule.get("to")
            reaches = peers is None or any(
                "podSelector" in peer
                and "namespaceSelector" not in peer
                and "ipBlock" not in peer
                and label_selector_selects(peer["podSelector"], to)
                for peer in peers
            )
            if reaches:
                ports |= {port["port"] for port in rule.get("ports", [])}
    return ports


def _kafka_port(documents: list[Manifest], workload: Manifest) -> int:
    servers = environment(documents, workload)["KAFKA_BOOTSTRAP_SERVERS"].split(",")
    (port,) = {int(server.rsplit(":", 1)[1]) for server in servers}
    return port


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_traffic_is_denied_unless_a_policy_allows_it(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    policies = of_kind(documents, "NetworkPolicy")
    deny_all = [
        p
        for p in policies
        if set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    assert len(deny_all) == 1, "a default-deny policy"
    for workload in workloads(documents):
        name = workload["metadata"]["name"]
        labels = pod_labels(workload)
        assert label_selector_selects(deny_all[0]["spec"]["podSelector"], labels), name
        mine = _policies_of(policies, labels, "Ingress") + _policies_of(policies, labels, "Egress")
        ingress_ports = {
            port["port"]
            for p in _policies_of(policies, labels, "Ingress")
            for rule in p["spec"].get("ingress", [])
            for port in rule["ports"]
        }
        assert ingress_ports == {"http"}, name
        egress_rules = [rule for p in mine for rule in p["spec"].get("egress", [])]
        assert all(rule.get("ports") for rule in egress_rules), "no egress rule without ports"
        # Only the identity provider (production, HTTPS) is reached at an address not named.
        anywhere = {
            port["port"] for rule in egress_rules if "to" not in rule for port in rule["ports"]
        }
        assert anywhere == ({443} if overlay == "prod" else set()), name
        assert {53, 4318} <= {port["port"] for rule in egress_rules for port in rule["ports"]}
        outside = anywhere
        assert _egress_ports(policies, labels, BROKER) - outside == {
            _kafka_port(documents, workload)
        }
        assert _egress_ports(policies, labels, CONTROLLER) - outside == set(), "no client port"
        assert _egress_ports(policies, labels, DATABASE_INSTANCE) - outside == {5432}, name
        for other in workloads(documents):
            # The services talk to each other through Kafka only.
            assert _egress_ports(policies, labels, pod_labels(other)) - outside == set(), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_operators_pods_are_not_cut_off_from_each_other(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    """Brokers replicate to each other and controllers vote; the old default deny, selecting
    every pod, stopped that. Their own ingress is Strimzi's (its policies) and the database's."""
    policies = of_kind(overlays[overlay], "NetworkPolicy")
    for labels in OPERATED:
        assert _policies_of(policies, labels, "Egress") == [], labels
    for labels in (BROKER, CONTROLLER):
        assert _policies_of(policies, labels, "Ingress") == [], labels
    (database,) = _policies_of(policies, DATABASE_INSTANCE, "Ingress")
    rules = database["spec"]["ingress"]

    def admits(labels: dict[str, str]) -> set[Any]:
        return {
            port["port"]
            for rule in rules
            for peer in rule["from"]
            if "namespaceSelector" not in peer
            and label_selector_selects(peer["podSelector"], labels)
            for port in rule["ports"]
        }

    assert admits(DATABASE_INSTANCE) == {5432, 8000}, "replication and the instance manager"
    service = pod_labels(next(workloads(overlays[overlay])))
    assert admits(service) == {5432}
    assert admits(BROKER) == set()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_read_only_settings_they_have(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    for workload in workloads(overlays[overlay]):
        name = workload["metadata"]["name"]
        fields = {*importlib.import_module(f"{name}.settings").Settings.environment_names()}
        unknown = (
            set(environment(overlays[overlay], workload))
            - fields
            - READ_BY_OPENTELEMETRY
            - READ_BY_THE_DATABASE_DRIVER
        )
        assert unknown == set(), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_get_what_make_up_gives_them(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    make_up = make_up_variables("funding")
    # Production verifies tokens against the identity provider instead of a local key.
    expected = (
        make_up if overlay == "dev" else make_up - {"AUTH_PUBLIC_KEY_FILE"} | {"AUTH_JWKS_URL"}
    )
    for workload in workloads(overlays[overlay]):
        variables = environment(overlays[overlay], workload)
        assert expected - set(variables) == set(), workload["metadata"]["name"]
        assert ("AUTH_JWKS_URL" in variables) != ("AUTH_PUBLIC_KEY_FILE" in variables)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_referenced_never_committed(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    assert of_kind(documents, "Secret") == []
    for workload in workloads(documents):
        name = workload["metadata"]["name"]
        variables = environment(documents, workload)
        # The URL says where and how (TLS, the CA); the password alone is secret.
        assert isinstance(variables["DATABASE_URL"], str), name
        assert ":@" not in variables["DATABASE_URL"] and "password" not in variables["DATABASE_URL"]
        assert variables["PGPASSWORD"] == {
            "secretKeyRef": {"name": f"{name}-database", "key": "password"}
        }
    committed = [p for p in (REPO / "deploy").rglob("*.yaml") if "kind: Secret" in p.read_text()]
    assert committed == []

    # No key material anywhere under deploy/ or in the compose file either.
    files = [*(REPO / "deploy").rglob("*"), REPO / "docker-compose.yml"]
    keys = [p for p in files if p.is_file() and "PRIVATE KEY-----" in p.read_text(errors="ignore")]
    assert keys == []


def _secrets_referenced(workload: Manifest) -> set[str]:
    pod = pod_spec(workload)
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
    for workload in workloads(documents):
        name = workload["metadata"]["name"]
        key = secret_file(workload, environment(documents, workload)["AUDIT_SIGNING_KEY_FILE"])
        assert key.read_only, name
        assert (key.secret, key.key) == (f"{name}-audit-key", "audit-signing-key.pem"), name
        assert key.mode & 0o007 == 0, f"{name}: others may not read its key"
        secrets.append(key.secret)
    assert len(set(secrets)) == len(secrets) == len(DEPLOYED)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_secret_the_cluster_must_provide_is_documented(
    overlays: dict[str, list[Manifest]], overlay: str
) -> None:
    documents = overlays[overlay]
    readme = (REPO / "deploy" / "k8s" / "README.md").read_text()
    kafka_users = {user["metadata"]["name"] for user in of_kind(documents, "KafkaUser")}
    for workload in workloads(documents):
        name = workload["metadata"]["name"]
        for secret in _secrets_referenced(workload) - kafka_users:  # Strimzi makes those
            documented = secret.replace(f"{name}-", "<service>-", 1)
            assert f"`{documented}`" in readme, f"{secret} is not in deploy/k8s/README.md"


def test_each_overlay_names_its_deployment(overlays: dict[str, list[Manifest]]) -> None:
    named = {}
    for overlay in OVERLAYS:
        documents = overlays[overlay]
        deployments = {
            environment(documents, workload)["DEPLOYMENT"] for workload in workloads(documents)
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
    config = named(prod, "ConfigMap", _config_map_name(prod))["data"]
    replicas = {spec["replicas"] for spec in _kafka_topics(prod).values()}
    min_insync = {spec["config"]["min.insync.replicas"] for spec in _kafka_topics(prod).values()}
    assert replicas == {int(config["KAFKA_REPLICATION_FACTOR"])}
    assert min_insync == {int(config["KAFKA_MIN_INSYNC_REPLICAS"])}


def _config_map_name(documents: list[Manifest]) -> str:
    names: list[str] = [
        c["metadata"]["name"]
        for c in of_kind(documents, "ConfigMap")
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


def test_development_services_need_no_kafka_credentials(
    overlays: dict[str, list[Manifest]],
) -> None:
    dev = overlays["dev"]
    assert of_kind(dev, "KafkaTopic") == of_kind(dev, "KafkaUser") == []
    for workload in workloads(dev):
        assert not KAFKA_CREDENTIALS & set(environment(dev, workload))


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
    pod = pod_spec(named(overlays[overlay], "Deployment", service))
    secrets = {v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
    assert not [name for name in secrets if name.endswith("personal-data-key")]
    assert f"{service}-session-key" in secrets, "sessions survive a restart and every replica"


def test_monitoring_signs_in_through_the_identity_provider_in_production_only(
    overlays: dict[str, list[Manifest]],
) -> None:
    prod = environment(overlays["prod"], named(overlays["prod"], "Deployment", "monitoring"))
    dev = environment(overlays["dev"], named(overlays["dev"], "Deployment", "monitoring"))
    assert {"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_REDIRECT_URI"} <= set(prod)
    assert prod["OIDC_CLIENT_SECRET"] == {
        "secretKeyRef": {"name": "monitoring-oidc", "key": "client-secret", "optional": True}
    }
    assert "DEV_SIGN_IN" not in prod
    assert dev["DEV_SIGN_IN"] == "true" and "OIDC_ISSUER" not in dev
