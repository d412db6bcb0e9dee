"""The one way the suite connects to Kafka.

Every Kafka client of the suite — a service's FastStream broker, its relay and dead-letter
producer, its admin client, the replay and audit consumers of ``inclusion``, the demo, the bench
and the fault campaign — is configured from one ``KafkaSettings`` through ``client_options``
(aiokafka) or ``faststream_security`` (FastStream). Nothing else names a security protocol.

Settings are read from ``KAFKA_*`` environment variables (the names in docker-compose, the
Kubernetes ConfigMaps and ``make up``):

| variable | meaning | default |
|---|---|---|
| ``KAFKA_BOOTSTRAP_SERVERS`` | brokers, ``host:port[,host:port…]`` | ``127.0.0.1:9092`` |
| ``KAFKA_SECURITY_PROTOCOL`` | PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL | PLAINTEXT |
| ``KAFKA_SASL_MECHANISM`` | ``SCRAM-SHA-512``, ``SCRAM-SHA-256`` or ``PLAIN`` | ``SCRAM-SHA-512`` |
| ``KAFKA_SASL_USERNAME`` | the principal | — |
| ``KAFKA_SASL_PASSWORD`` / ``KAFKA_SASL_PASSWORD_FILE`` | its password, or a file holding it | — |
| ``KAFKA_SSL_CAFILE`` | PEM bundle of the CAs to trust (the system's when unset) | — |
| ``KAFKA_SSL_CERTFILE``, ``KAFKA_SSL_KEYFILE`` | client certificate and key (mutual TLS) | — |
| ``KAFKA_REPLICATION_FACTOR``, ``KAFKA_MIN_INSYNC_REPLICAS`` | for topics the kit creates | 1, 1 |

A misconfiguration stops the process at start with a message naming the variable: an unknown
``KAFKA_*`` variable, an unknown protocol or mechanism, a missing or unreadable password file,
CA bundle or client key, SASL without a user, or TLS or SASL settings given to a protocol that
would not use them. There is no fallback to PLAINTEXT. Hostnames are always verified.
"""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from faststream.security import (
    BaseSecurity,
    SASLPlaintext,
    SASLScram256,
    SASLScram512,
)
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]

PREFIX = "KAFKA_"

# Kubernetes adds these for a Service named `kafka` in the namespace (service links); they are
# addresses, not settings. The manifests turn service links off; a cluster that does not is
# still not a misconfiguration of ours.
_SERVICE_LINK = re.compile(
    r"^KAFKA_(SERVICE_HOST|SERVICE_PORT(_\w+)?|PORT(_\d+_(TCP|UDP|SCTP)(_\w+)?)?)$"
)


class KafkaConfigError(ValueError):
    """A Kafka setting that cannot work; the message names the environment variable."""


class KafkaSettings(BaseModel):
    """How to reach and authenticate to Kafka; ``load_kafka_settings`` reads it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bootstrap_servers: str = Field("127.0.0.1:9092", min_length=1)
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    sasl_password_file: Path | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    replication_factor: int = Field(1, ge=1)
    min_insync_replicas: int = Field(1, ge=1)

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    @model_validator(mode="after")
    def _consistent(self) -> KafkaSettings:
        if self.uses_sasl:
            if not self.sasl_username:
                raise ValueError(_named("sasl_username", f"is needed for {self.security_protocol}"))
            if (self.sasl_password is None) == (self.sasl_password_file is None):
                raise ValueError(
                    f"{PREFIX}SASL_PASSWORD or {PREFIX}SASL_PASSWORD_FILE: give exactly one "
                    f"for {self.security_protocol}"
                )
            if self.sasl_password_file is not None:
                _readable("sasl_password_file", self.sasl_password_file)
        else:
            for field in ("sasl_username", "sasl_password", "sasl_password_file"):
                if getattr(self, field) is not None:
                    raise ValueError(
                        _named(field, f"is set but {self.security_protocol} does not use SASL")
                    )
        if self.uses_tls:
            for field in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
                path = getattr(self, field)
                if path is not None:
                    _readable(field, path)
            if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
                raise ValueError(
                    f"{PREFIX}SSL_CERTFILE and {PREFIX}SSL_KEYFILE: mutual TLS needs both"
                )
        else:
            for field in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
                if getattr(self, field) is not None:
                    raise ValueError(
                        _named(field, f"is set but {self.security_protocol} does not use TLS")
                    )
        if self.min_insync_replicas > self.replication_factor:
            raise ValueError(
                f"{PREFIX}MIN_INSYNC_REPLICAS ({self.min_insync_replicas}) exceeds "
                f"{PREFIX}REPLICATION_FACTOR ({self.replication_factor})"
            )
        return self

    def password(self) -> str:
        """The SASL password, read from its file each time it is asked for (a rotated Secret
        is picked up by the next client made)."""
        if self.sasl_password_file is not None:
            return self.sasl_password_file.read_text(encoding="utf-8").strip()
        if self.sasl_password is not None:
            return self.sasl_password.get_secret_value()
        raise KafkaConfigError(_named("sasl_password", "is not set"))

    def environment(self) -> dict[str, str]:
        """The ``KAFKA_*`` variables from which ``load_kafka_settings`` reads these settings
        back: how a subprocess (a service, a tool) is given this connection. A password given
        as such travels as one; prefer a password file."""
        environment = {}
        for field, value in self.model_dump(exclude_none=True).items():
            secret = value.get_secret_value() if isinstance(value, SecretStr) else value
            environment[PREFIX + field.upper()] = str(secret)
        return environment

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context every client shares: the CA bundle (or the system's), the client
        certificate for mutual TLS, TLS 1.2 at least, hostnames verified. None without TLS."""
        if not self.uses_tls:
            return None
        try:
            context = ssl.create_default_context(
                cafile=str(self.ssl_cafile) if self.ssl_cafile else None
            )
        except (OSError, ssl.SSLError) as error:
            raise KafkaConfigError(_named("ssl_cafile", f"cannot be loaded: {error}")) from error
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        if self.ssl_certfile is not None and self.ssl_keyfile is not None:
            try:
                context.load_cert_chain(str(self.ssl_certfile), str(self.ssl_keyfile))
            except (OSError, ssl.SSLError) as error:
                raise KafkaConfigError(
                    _named("ssl_certfile", f"and its key cannot be loaded: {error}")
                ) from error
        return context

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin)."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
        }
        if self.uses_tls:
            options["ssl_context"] = self.ssl_context()
        if self.uses_sasl:
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = self.password()
        return options

    def faststream_security(self) -> BaseSecurity | None:
        """The same connection as FastStream's security object (it also documents the server's
        security in the AsyncAPI document)."""
        if self.security_protocol == "PLAINTEXT":
            return None
        context = self.ssl_context()
        if not self.uses_sasl:
            return BaseSecurity(ssl_context=context, use_ssl=True)
        kind = {
            "SCRAM-SHA-512": SASLScram512,
            "SCRAM-SHA-256": SASLScram256,
            "PLAIN": SASLPlaintext,
        }
        return kind[self.sasl_mechanism](
            username=self.sasl_username or "",
            password=self.password(),
            ssl_context=context,
            use_ssl=self.uses_tls,
        )


def without_kafka_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without its ``KAFKA_*`` variables, for a subprocess given its own."""
    return {name: value for name, value in environ.items() if not name.startswith(PREFIX)}


def load_kafka_settings(environ: Mapping[str, str] | None = None, **values: Any) -> KafkaSettings:
    """Read the settings from the environment (and ``values``, which win), or stop with a
    ``KafkaConfigError`` naming the variable at fault."""
    environ = os.environ if environ is None else environ
    known = {PREFIX + name.upper() for name in KafkaSettings.model_fields}
    unknown = sorted(
        name
        for name in environ
        if name.startswith(PREFIX) and name not in known and not _SERVICE_LINK.match(name)
    )
    if unknown:
        raise KafkaConfigError(
            f"unknown Kafka setting {', '.join(unknown)}; the kit reads {', '.join(sorted(known))}"
        )
    given = {
        name.lower(): environ[PREFIX + name.upper()]
        for name in KafkaSettings.model_fields
        if PREFIX + name.upper() in environ
    }
    try:
        settings = KafkaSettings.model_validate({**given, **values})
    except ValidationError as error:
        raise KafkaConfigError(_explain(error)) from None
    settings.ssl_context()  # an unloadable CA bundle or client key stops the start, not a send
    return settings


_JAAS = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def settings_from_properties(path: Path, **values: Any) -> KafkaSettings:
    """Settings from a standard Kafka client properties file (the ones ``inclusion up --secure``
    writes for each principal, which Kafka's own tools take as ``--command-config``):
    ``bootstrap.servers``, ``security.protocol``, ``sasl.mechanism``, ``sasl.jaas.config``
    (``username``/``password``) and a PEM ``ssl.truststore.location``."""
    properties: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KafkaConfigError(f"{path}: {error.strerror}") from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, _, value = line.partition("=")
            properties[key.strip()] = value.strip()
    environ = {}
    for key, field in (
        ("bootstrap.servers", "bootstrap_servers"),
        ("security.protocol", "security_protocol"),
        ("sasl.mechanism", "sasl_mechanism"),
        ("ssl.truststore.location", "ssl_cafile"),
    ):
        if key in properties:
            environ[PREFIX + field.upper()] = properties[key]
    if properties.get("ssl.truststore.type", "PEM") != "PEM":
        raise KafkaConfigError(f"{path}: ssl.truststore.type must be PEM")
    jaas = dict(_JAAS.findall(properties.get("sasl.jaas.config", "")))
    if "username" in jaas:
        environ[PREFIX + "SASL_USERNAME"] = jaas["username"]
    if "password" in jaas:
        environ[PREFIX + "SASL_PASSWORD"] = jaas["password"]
    return load_kafka_settings(environ, **values)


def _named(field: str, problem: str) -> str:
    return f"{PREFIX}{field.upper()} {problem}"


def _readable(field: str, path: Path) -> None:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as error:
        raise ValueError(_named(field, f"cannot be read: {path}: {error.strerror}")) from None


def _explain(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        message = str(item["msg"]).removeprefix("Value error, ")
        if location:
            problems.append(f"{PREFIX}{location[0].upper()}: {message}")
        else:
            problems.append(message)
    return "; ".join(problems)
