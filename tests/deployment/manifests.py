"""Reading built Kubernetes manifests the way the cluster would: a workload's pod, its
variables, the Secret file behind a path, which pods a selector picks, what a Kafka user may do."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from inclusion_cli import secure

REPO = Path(__file__).resolve().parents[2]
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}

Manifest = dict[str, Any]


def of_kind(documents: list[Manifest], kind: str) -> list[Manifest]:
    return [document for document in documents if document["kind"] == kind]


def named(documents: list[Manifest], kind: str, name: str) -> Manifest:
    found = [d for d in of_kind(documents, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"one {kind} {name}"
    return found[0]


def pod_spec(workload: Manifest) -> Manifest:
    spec: Manifest = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: Manifest = spec["template"]["spec"]
    return pod


def pod_labels(workload: Manifest) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"]["metadata"]["labels"]
    return labels


def workloads(documents: list[Manifest]) -> Iterator[Manifest]:
    return (document for document in documents if document["kind"] in WORKLOADS)


def environment(documents: list[Manifest], workload: Manifest) -> dict[str, Any]:
    """Each container variable: its value, or how it is referenced (Secret, field)."""
    config_maps = {
        c["metadata"]["name"]: c.get("data", {}) for c in of_kind(documents, "ConfigMap")
    }
    variables: dict[str, Any] = {}
    for container in pod_spec(workload)["containers"]:
        for source in container.get("envFrom", []):
            name = source["configMapRef"]["name"]
            assert name in config_maps, f"{workload['metadata']['name']} reads missing {name}"
            variables.update(config_maps[name])
        for variable in container.get("env", []):
            variables[variable["name"]] = variable.get("value", variable.get("valueFrom"))
    return variables


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """A plain selector (a Service's, a matchLabels) against a pod's labels."""
    return all(labels.get(key) == value for key, value in selector.items())


def label_selector_selects(selector: Manifest, labels: dict[str, str]) -> bool:
    """A label selector, matchExpressions included, against a pod's labels; ``{}`` selects all."""
    if not selects(selector.get("matchLabels", {}), labels):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        holds = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[operator]
        if not holds:
            return False
    return True


@dataclass(frozen=True)
class SecretFile:
    """Where a file a container reads comes from: a key of a Secret, mounted read-only or not."""

    secret: str
    key: str
    mode: int
    read_only: bool
    sub_path: bool


def secret_file(workload: Manifest, path: str) -> SecretFile:
    """The Secret key the container sees at ``path``, through the deepest mount holding it."""
    file = PurePosixPath(path)
    pod = pod_spec(workload)
    name = workload["metadata"]["name"]
    mounts = [
        m
        for m in pod["containers"][0].get("volumeMounts", [])
        if PurePosixPath(m["mountPath"]) in file.parents or PurePosixPath(m["mountPath"]) == file
    ]
    assert mounts, f"{name}: nothing is mounted at {path}"
    mount = max(mounts, key=lambda m: len(PurePosixPath(m["mountPath"]).parts))
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    assert "secret" in volume, f"{name}: {path} is not from a Secret"
    secret = volume["secret"]
    if "subPath" in mount:
        matching = [i for i in secret.get("items", []) if i["path"] == mount["subPath"]]
    else:
        matching = [
            i
            for i in secret.get("items", [])
            if PurePosixPath(mount["mountPath"], i["path"]) == file
        ]
    assert matching, f"{name}: no item of Secret {secret['secretName']} is at {path}"
    item = matching[0]
    return SecretFile(
        secret=secret["secretName"],
        key=item["key"],
        mode=item.get("mode", secret.get("defaultMode", 0o644)),
        read_only=mount.get("readOnly") is True,
        sub_path="subPath" in mount,
    )


def kafka_acls(documents: list[Manifest], user: str) -> list[Manifest]:
    acls: list[Manifest] = named(documents, "KafkaUser", user)["spec"]["authorization"]["acls"]
    return acls


def may(acls: list[Manifest], resource: str, name: str, operation: str) -> bool:
    """Whether Kafka's authorizer lets the user do ``operation`` on the resource, as Strimzi's
    rules say (a prefix rule and ``All`` count, a ``deny`` rule is not expected)."""
    for acl in acls:
        rule = acl["resource"]
        if rule["type"] != resource or acl.get("type", "allow") != "allow":
            continue
        if resource != "cluster":
            pattern = rule.get("patternType", "literal")
            if not (
                rule["name"] == name or (pattern == "prefix" and name.startswith(rule["name"]))
            ):
                continue
        if operation in acl["operations"] or "All" in acl["operations"]:
            return True
    return False


def topics_allowed(acls: list[Manifest], operation: str) -> set[str]:
    return {
        acl["resource"]["name"]
        for acl in acls
        if acl["resource"]["type"] == "topic" and operation in acl["operations"]
    }


@functools.cache
def consumed_topics() -> dict[str, list[str]]:
    """What each service subscribes to, read from the services themselves (in a process of its
    own, as building an app sets process-wide logging and tracing)."""
    return secure.consumed_topics()
