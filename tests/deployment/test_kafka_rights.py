"""Production Kafka: each principal's rights are what inclusion_shared.messaging.acls derives,
enough for every topic a service publishes and subscribes to and nothing more; the auditor
writes nothing; every Deployment supplies each setting the kit needs for SASL_SSL, the files it
names mounted from the right Secret keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, CATALOGUE, DLQ_SUFFIX
from inclusion_shared.messaging.acls import AUDITOR
from inclusion_shared.messaging.connection import load_kafka_settings
from inclusion_shared.messaging.consumer import consumer_group

from .conftest import DEPLOYED
from .manifests import (
    Manifest,
    consumed_topics,
    environment,
    kafka_acls,
    may,
    named,
    of_kind,
    secret_file,
    topics_allowed,
)

PRODUCTION = "kent"  # the prod overlay's DEPLOYMENT
CLUSTER = "inclusion"  # the Strimzi Kafka resource
# Nobody may make, remove or reconfigure a topic or the cluster: Strimzi's KafkaTopics do.
ADMINISTRATION = {"Create", "Delete", "Alter", "AlterConfigs", "ClusterAction", "All"}
# What the kit needs for SASL_SSL (inclusion_shared.messaging.connection), besides a password.
SASL_SSL_SETTINGS = {
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SSL_CAFILE",
    "KAFKA_REPLICATION_FACTOR",
    "KAFKA_MIN_INSYNC_REPLICAS",
}


@pytest.fixture(scope="module")
def prod(overlays: dict[str, list[Manifest]]) -> list[Manifest]:
    return overlays["prod"]


@pytest.fixture(scope="module")
def consumes() -> dict[str, list[str]]:
    return consumed_topics()


def _publishes(service: str) -> set[str]:
    """The topics a service writes: its own in the catalogue, and its signed chain head."""
    return {topic.name for topic in CATALOGUE if topic.service == service} | {
        AUDIT_CHECKPOINTS.name
    }


@pytest.mark.parametrize("service", DEPLOYED)
def test_a_service_may_publish_and_subscribe_to_every_topic_it_uses(
    prod: list[Manifest], consumes: dict[str, list[str]], service: str
) -> None:
    acls = kafka_acls(prod, service)
    for topic in _publishes(service):
        assert may(acls, "topic", topic, "Write"), f"{service} may not publish {topic}"
    assert may(acls, "cluster", "", "IdempotentWrite"), "idempotent producers"
    for topic in consumes[service]:
        assert may(acls, "topic", topic, "Read"), f"{service} may not read {topic}"
        assert may(acls, "topic", topic + DLQ_SUFFIX, "Write"), f"{service}: {topic} dead letters"
    if consumes[service]:
        group = consumer_group(PRODUCTION, service)
        assert may(acls, "group", group, "Read"), f"{service} may not join {group}"


@pytest.mark.parametrize("service", DEPLOYED)
def test_a_service_may_write_only_its_own_topics_and_read_only_what_it_consumes(
    prod: list[Manifest], consumes: dict[str, list[str]], service: str
) -> None:
    acls = kafka_acls(prod, service)
    consumed = set(consumes[service])
    assert topics_allowed(acls, "Write") == (
        _publishes(service) | {name + DLQ_SUFFIX for name in consumed}
    )
    assert topics_allowed(acls, "Read") == consumed
    for acl in acls:
        resource = acl["resource"]
        if resource["type"] == "cluster":
            assert acl["operations"] == ["IdempotentWrite"], acl
        else:
            assert resource["type"] in {"topic", "group"}, acl
            assert resource["patternType"] == "literal", acl
            assert set(acl["operations"]) <= {"Read", "Write", "Describe"}, acl
    groups = [acl["resource"]["name"] for acl in acls if acl["resource"]["type"] == "group"]
    assert groups == ([consumer_group(PRODUCTION, service)] if consumed else [])


def test_no_principal_may_create_delete_or_alter_anything(prod: list[Manifest]) -> None:
    users = of_kind(prod, "KafkaUser")
    assert {user["metadata"]["name"] for user in users} == {*DEPLOYED, AUDITOR}
    for user in users:
        for acl in user["spec"]["authorization"]["acls"]:
            assert not ADMINISTRATION & set(acl["operations"]), (user["metadata"]["name"], acl)
            assert acl.get("type", "allow") == "allow", "deny by default, never by a rule"


def test_the_auditor_reads_the_decision_log_and_writes_nothing(prod: list[Manifest]) -> None:
    acls = kafka_acls(prod, AUDITOR)
    assert topics_allowed(acls, "Read") == {topic.name for topic in CATALOGUE}
    assert AUDIT_CHECKPOINTS.name in topics_allowed(acls, "Read")
    for acl in acls:
        assert not {"Write", "IdempotentWrite", "All"} & set(acl["operations"]), acl
    assert not [acl for acl in acls if acl["resource"]["type"] == "cluster"]


@pytest.mark.parametrize("service", DEPLOYED)
def test_each_production_service_signs_in_to_kafka_as_its_own_user(
    prod: list[Manifest], service: str
) -> None:
    deployment = named(prod, "Deployment", service)
    variables = environment(prod, deployment)
    assert SASL_SSL_SETTINGS - set(variables) == set(), "a setting the kit needs is missing"
    assert variables["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert variables["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert variables["KAFKA_SASL_USERNAME"] == service
    cluster = named(prod, "KafkaUser", service)["metadata"]["labels"]["strimzi.io/cluster"]
    assert cluster == CLUSTER
    assert variables["KAFKA_BOOTSTRAP_SERVERS"] == f"{cluster}-kafka-bootstrap:9093"
    # A file, so a regenerated password reaches the pod; never a variable a restart must renew.
    assert "KAFKA_SASL_PASSWORD" not in variables
    password = secret_file(deployment, variables["KAFKA_SASL_PASSWORD_FILE"])
    assert (password.secret, password.key) == (service, "password"), "the User Operator's Secret"
    assert password.read_only and not password.sub_path, "a subPath mount never sees a rotation"
    assert password.mode & 0o007 == 0, f"{service}: others may not read its password"
    ca = secret_file(deployment, variables["KAFKA_SSL_CAFILE"])
    assert (ca.secret, ca.key) == (f"{cluster}-cluster-ca-cert", "ca.crt")
    assert ca.read_only


@pytest.mark.parametrize("service", DEPLOYED)
def test_the_kit_accepts_each_production_services_kafka_settings(
    prod: list[Manifest], service: str, tmp_path: Path
) -> None:
    """The kit's own loader takes the Deployment's KAFKA_* variables, its files standing in."""
    variables = environment(prod, named(prod, "Deployment", service))
    kafka = {name: value for name, value in variables.items() if name.startswith("KAFKA_")}
    files = {}
    for name in ("KAFKA_SASL_PASSWORD_FILE", "KAFKA_SSL_CAFILE"):
        local = tmp_path / name.lower()
        local.write_text("placeholder\n")
        files[name] = str(local)
    # The placeholder is no CA bundle: the system's stands in for it.
    settings = load_kafka_settings({**kafka, **files}, ssl_cafile=None)
    assert settings.security_protocol == "SASL_SSL"
    assert settings.sasl_password_file is not None
    assert (settings.replication_factor, settings.min_insync_replicas) == (3, 2)
