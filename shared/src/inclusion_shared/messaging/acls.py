"""Who may do what on Kafka, derived from the topic catalogue and the services' subscriptions.

This is the one source of the suite's Kafka rights: the Strimzi ``KafkaUser`` resources
(deploy/k8s/generate_strimzi.py), the local secure broker's ACLs (``inclusion up --secure``)
and the table in deploy/k8s/README.md are all made from ``principal_grants``.

- A service writes its own topics (idempotently) and the signed chain heads in
  ``audit.checkpoints.v1``; it describes its own topics' dead-letter topics; it reads the topics
  its inbox consumer subscribes to, in its own consumer group, and writes their dead letters.
- A subscriber that publishes nothing (monitoring) only reads, in its own group, and writes the
  dead letters of what it reads.
- The auditor reads every decision topic and the checkpoint topic, in no consumer group, and
  writes nothing.
- Nobody may create, delete or alter topics: in production Strimzi's ``KafkaTopic``s make them,
  locally the bootstrap super user does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, CATALOGUE, DLQ_SUFFIX
from inclusion_shared.messaging.consumer import consumer_group

AUDITOR = "auditor"
SUBSCRIBERS = ("monitoring",)
"""Services that publish no events of their own and read the others'."""

Resource = Literal["topic", "group", "cluster"]
Operation = Literal["Describe", "Read", "Write", "IdempotentWrite"]


@dataclass(frozen=True, order=True)
class Grant:
    """One allow rule: ``operations`` on the named resource (``kafka-cluster`` for the cluster)."""

    resource: Resource
    name: str
    operations: tuple[Operation, ...]

    def allows(self, resource: Resource, name: str, operation: Operation) -> bool:
        return self.resource == resource and self.name == name and operation in self.operations


def service_grants(service: str, consumes: Iterable[str], *, deployment: str) -> tuple[Grant, ...]:
    """The rights of one service's principal in one deployment."""
    grants: list[Grant] = []
    publishes = [topic for topic in CATALOGUE if topic.service == service]
    for topic in publishes:
        grants.append(Grant("topic", topic.name, ("Describe", "Write")))
        # It checks at start that its topics' dead-letter topics exist; writing to them is
        # for the topics' consumers.
        grants.append(Grant("topic", topic.dead_letters, ("Describe",)))
    consumed = sorted(set(consumes))
    for name in consumed:
        grants.append(Grant("topic", name, ("Describe", "Read")))
        grants.append(Grant("topic", name + DLQ_SUFFIX, ("Describe", "Write")))
    if consumed:
        grants.append(Grant("group", consumer_group(deployment, service), ("Describe", "Read")))
    # Every service signs its chain head, a subscriber included (its chain is empty).
    grants.append(Grant("topic", AUDIT_CHECKPOINTS.name, ("Describe", "Write")))
    grants.append(Grant("cluster", "kafka-cluster", ("IdempotentWrite",)))
    return tuple(sorted(set(grants)))


def auditor_grants() -> tuple[Grant, ...]:
    """The auditor reads the whole decision log and the signed checkpoints, and nothing else."""
    return tuple(sorted(Grant("topic", topic.name, ("Describe", "Read")) for topic in CATALOGUE))


def principal_grants(
    consumes: Mapping[str, Iterable[str]], *, deployment: str
) -> dict[str, tuple[Grant, ...]]:
    """Every principal of a deployment and its rights; ``consumes`` maps each deployed service
    to the topics its inbox consumer subscribes to."""
    grants = {
        service: service_grants(service, topics, deployment=deployment)
        for service, topics in sorted(consumes.items())
    }
    grants[AUDITOR] = auditor_grants()
    return grants


def allowed(grants: Iterable[Grant], resource: Resource, name: str, operation: Operation) -> bool:
    """Deny by default: true only where a grant names this resource and operation."""
    return any(grant.allows(resource, name, operation) for grant in grants)
