"""The secure local stack: `inclusion up --secure` (`make up SECURE=1`) and the secure tests.

The same parts as production, on one machine:

- Kafka with only authenticated listeners: SASL_SSL (SCRAM-SHA-512) for clients on 9094, TLS
  with the broker's own certificate for the controller on 9095; ``StandardAuthorizer``,
  ``allow.everyone.if.no.acl.found=false``; a principal per service plus ``auditor``, each with
  the rights ``inclusion_shared.messaging.acls`` derives from the catalogue and the services'
  subscriptions; a super user ``admin`` that creates the topics and the ACLs, and nothing else.
- PostgreSQL `15/inclusion-secure` on 5434 with ``ssl = on`` and TLS-only access, one login role
  per service owning its database, which no other role may connect to.
- A local certificate authority (the machine's, in the cache) that signed both servers'
  certificates; clients verify the server's name against it.

For each principal a standard Kafka client properties file is written to
``.inclusion/secure/<principal>.properties`` (mode 600), usable as it is by Kafka's own tools
(``--command-config``) and by ``inclusion --kafka-properties``; the CLI picks it up by itself
(inclusion_cli.connection).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import CreateAclsRequest

from inclusion_cli.infra.kafka import SUPER_USER, BrokerSecurity, KafkaNode
from inclusion_cli.infra.postgres import PgCluster, secure_cluster
from inclusion_cli.infra.tls import LocalCA
from inclusion_cli.paths import StateDir, cache_dir, find_repo_root, write_private_once
from inclusion_cli.subscriptions import DEPLOYED
from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.messaging.acls import AUDITOR, Grant, principal_grants
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.messaging.kafka import ensure_topics

PRINCIPALS = (*DEPLOYED, AUDITOR)
SECURE_PORT, SECURE_CONTROLLER_PORT = 9094, 9095

# Kafka's wire codes (org.apache.kafka.common.acl / resource).
_RESOURCE_TYPES = {"topic": 2, "group": 3, "cluster": 4}
_OPERATIONS = {"Read": 3, "Write": 4, "Describe": 8, "IdempotentWrite": 12}
_LITERAL, _ALLOW = 3, 3


class AclError(RuntimeError):
    pass


def secure_directory(repo_root: Path | None = None) -> Path:
    """``.inclusion/secure``: the principals' client files, readable by this user only."""
    return (repo_root or find_repo_root()) / ".inclusion" / "secure"


def local_ca() -> LocalCA:
    """The machine's local CA: the secure PostgreSQL cluster is the machine's too, so every
    checkout trusts the same one."""
    return LocalCA(cache_dir() / "secure-ca").ensure()


def _passwords(directory: Path) -> dict[str, str]:
    """Each principal's password (the super user's too), generated once, mode 600."""
    found = {}
    for principal in (*PRINCIPALS, SUPER_USER):
        path = directory / f"{principal}.password"
        write_private_once(path, secrets.token_urlsafe(24).encode("ascii"))
        found[principal] = path.read_text(encoding="ascii").strip()
    return found


@dataclass(frozen=True)
class SecureStack:
    directory: Path  # .inclusion/secure
    node: KafkaNode
    cluster: PgCluster

    @property
    def security(self) -> BrokerSecurity:
        assert self.node.security is not None
        return self.node.security

    def password_file(self, principal: str) -> Path:
        return self.directory / f"{principal}.password"

    def kafka(self, principal: str) -> KafkaSettings:
        return self.security.client(principal, self.node.bootstrap_servers)

    def service_environment(self, principal: str) -> dict[str, str]:
        """The ``KAFKA_*`` variables a service runs with: its own principal, the password from
        its file, the local CA."""
        return KafkaSettings(
            bootstrap_servers=self.node.bootstrap_servers,
            security_protocol="SASL_SSL",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username=principal,
            sasl_password_file=self.password_file(principal),
            ssl_cafile=self.security.ca.certificate,
        ).environment()

    def write_properties(self, into: Path | None = None) -> None:
        """A Kafka client properties file per principal, as Kafka's own tools read them, in
        ``.inclusion/secure`` (or ``into``: the tests, which must not switch the CLI over)."""
        for principal in (*PRINCIPALS, SUPER_USER):
            password = self.security.scram[principal]
            text = (
                f"# {principal}: written by `inclusion up --secure`; for Kafka's tools\n"
                f"# (--command-config) and `inclusion --kafka-properties`.\n"
                f"bootstrap.servers={self.node.bootstrap_servers}\n"
                "security.protocol=SASL_SSL\n"
                "sasl.mechanism=SCRAM-SHA-512\n"
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule "
                f'required username="{principal}" password="{password}";\n'
                "ssl.truststore.type=PEM\n"
                f"ssl.truststore.location={self.security.ca.certificate}\n"
            )
            path = (into or self.directory) / f"{principal}.properties"
            path.unlink(missing_ok=True)
            write_private_once(path, text.encode("utf-8"))


def secure_stack(state: StateDir, repo_root: Path | None = None) -> SecureStack:
    """Where the secure stack lives; creates its credentials and CA, starts nothing."""
    directory = secure_directory(repo_root)
    directory.mkdir(parents=True, exist_ok=True)
    directory.parent.chmod(0o700)
    directory.chmod(0o700)
    ca = local_ca()
    node = secure_node(state, BrokerSecurity(ca, _passwords(directory)))
    return SecureStack(directory, node, secure_cluster(ca))


def secure_node(state: StateDir, security: BrokerSecurity | None = None) -> KafkaNode:
    """The secure broker: .local/kafka-secure, ports 9094/9095 (without ``security``, enough
    to find and stop it)."""
    return KafkaNode(
        home=state.root / "kafka-secure",
        log_file=state.logs / "kafka-secure.log",
        port=SECURE_PORT,
        controller_port=SECURE_CONTROLLER_PORT,
        security=security,
    )


def consumed_topics() -> dict[str, list[str]]:
    """What each deployed service's inbox consumer subscribes to, read from the services' own
    apps in a process of their own (building an app sets process-wide logging and tracing)."""
    result = subprocess.run(
        [sys.executable, "-m", "inclusion_cli.subscriptions"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise AclError(f"reading the services' subscriptions failed:\n{result.stderr}")
    found: dict[str, list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


async def grant(admin: KafkaSettings, grants: Mapping[str, tuple[Grant, ...]]) -> int:
    """Create an allow ACL for each grant of each principal (creating one that exists changes
    nothing). Returns how many bindings were sent."""
    client = AIOKafkaAdminClient(**admin.client_options())
    await client.start()
    sent = 0
    try:
        for principal, rules in sorted(grants.items()):
            for rule in rules:
                for operation in rule.operations:
                    request = CreateAclsRequest(
                        _RESOURCE_TYPES[rule.resource], rule.name, _LITERAL,
                        f"User:{principal}", "*", _OPERATIONS[operation], _ALLOW,
                    )  # fmt: skip
                    response = await client._send_request(request)
                    for error_code, message in response.creation_responses:
                        if error_code:
                            raise AclError(
                                f"ACL {operation} on {rule.resource} {rule.name} for "
                                f"{principal}: error {error_code} {message}"
                            )
                    sent += 1
    finally:
        await client.close()
    return sent


async def bootstrap(
    stack: SecureStack, deployment: str, consumes: Mapping[str, list[str]] | None = None
) -> int:
    """As the super user: every topic of the catalogue (with its dead letters), and each
    principal's ACLs for ``deployment`` (consumer groups are named after it). Idempotent."""
    admin = stack.node.admin
    await ensure_topics(admin, CATALOGUE)
    grants = principal_grants(consumes or consumed_topics(), deployment=deployment)
    return await grant(admin, grants)
