"""The funding service the bench starts reads back exactly the settings the bench connects with."""

from __future__ import annotations

from pathlib import Path

import certifi

from bench.infra import kafka_environment, without_kafka_settings
from inclusion_shared.messaging.connection import KafkaSettings, load_kafka_settings


def test_a_plain_broker_reaches_the_service_as_plaintext() -> None:
    plain = KafkaSettings(bootstrap_servers="127.0.0.1:9092")
    environment = kafka_environment(plain)
    assert environment["KAFKA_SECURITY_PROTOCOL"] == "PLAINTEXT"
    assert load_kafka_settings(environment) == plain


def test_the_secure_broker_reaches_the_service_with_its_principal_password_and_ca() -> None:
    ca = Path(certifi.where())  # any loadable bundle: the service loads it when it starts
    secure = KafkaSettings(
        bootstrap_servers="127.0.0.1:9094",
        security_protocol="SASL_SSL",
        sasl_username="admin",
        sasl_password="s3cret",
        ssl_cafile=ca,
    )
    environment = kafka_environment(secure)
    assert environment["KAFKA_SASL_PASSWORD"] == "s3cret"
    assert environment["KAFKA_SSL_CAFILE"] == str(ca)
    assert (
        KafkaSettings.model_validate(
            {name.removeprefix("KAFKA_").lower(): value for name, value in environment.items()}
        )
        == secure
    )


def test_the_callers_own_kafka_settings_do_not_reach_the_service() -> None:
    kept = without_kafka_settings({"KAFKA_SASL_PASSWORD_FILE": "/elsewhere", "PATH": "/bin"})
    assert kept == {"PATH": "/bin"}
