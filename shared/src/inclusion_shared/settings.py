"""One settings object per service, read from environment variables with the same names in
``make up``, docker-compose and Kubernetes."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from inclusion_shared.messaging.connection import KafkaSettings, load_kafka_settings


class ServiceSettings(BaseSettings):
    """What every service needs; a service subclasses it to add its own settings."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    @classmethod
    def environment_names(cls) -> set[str]:
        """Every environment variable the settings read, the Kafka connection's included."""
        names = {name.upper() for name in cls.model_fields if name != "kafka"}
        return names | {f"KAFKA_{name.upper()}" for name in KafkaSettings.model_fields}

    service_name: str = Field(description="the service's name; also its schema and chain name")
    deployment: str = Field(
        "kent",
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="which installation of the suite: events name it, so logs never mix",
    )
    database_url: str = "postgresql://localhost:5432/inclusion"
    kafka: KafkaSettings = Field(
        default_factory=load_kafka_settings,
        description="brokers and how to authenticate: the KAFKA_* variables (messaging.connection)",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    http_max_body_bytes: int = Field(
        1024 * 1024, gt=0, description="a larger request body is refused with 413"
    )

    auth_jwks_url: str | None = Field(None, description="production: the identity provider's JWKS")
    auth_public_key_file: Path | None = Field(None, description="development: the local key")
    auth_issuer: str = "inclusion-local"
    auth_audience: str = "inclusion"
    auth_max_token_lifetime_seconds: int = Field(
        12 * 3600, gt=0, description="a token living longer than this from its iat is refused"
    )
    auth_claim_person: str = Field(
        "sub", description="the token claim holding the person's id (person- and 20 hex digits)"
    )
    auth_claim_role: str = Field("role", description="the token claim naming the role")
    auth_claim_areas: str = Field("areas", description="areas the principal works in; kent: all")
    auth_claim_districts: str = Field("districts", description="districts the principal works in")
    auth_claim_settings: str = Field("settings", description="settings a SENCO works for")
    auth_claim_panels: str = Field("panels", description="panels a member sits on")
    auth_claim_child: str = Field("child", description="the child of a parent or young person")

    personal_data_key_file: Path | None = Field(
        None, description="the 32-byte base64 master key wrapping each person's own key"
    )

    audit_signing_key_file: Path | None = Field(
        None, description="Ed25519 key signing this service's chain head into audit.checkpoints.v1"
    )
    audit_checkpoint_every_events: int = 100
    audit_checkpoint_every_seconds: float = 10.0

    log_level: str = "INFO"
    otel_exporter_otlp_endpoint: str | None = None
    otel_exporter_otlp_metrics_endpoint: str | None = Field(
        None, description="metrics over OTLP/HTTP; default: the traces endpoint's /v1/metrics"
    )

    relay_batch_size: int = 2000
    relay_poll_interval_seconds: float = 1.0
    relay_max_backlog_seconds: float = Field(
        60.0, gt=0, description="not ready while an unpublished event is older than this"
    )
    database_statement_timeout_seconds: float = Field(
        30.0, gt=0, description="PostgreSQL cancels a statement of the service running longer"
    )
    consumer_max_attempts: int = 3
