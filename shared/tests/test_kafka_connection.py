"""The one Kafka connection: settings read from KAFKA_* variables, misconfigurations stop the
start naming the variable, and every right on the broker follows the catalogue."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest

from inclusion_shared.events.catalogue import CATALOGUE
from inclusion_shared.messaging.acls import AUDITOR, allowed, principal_grants
from inclusion_shared.messaging.connection import (
    KafkaConfigError,
    KafkaSettings,
    load_kafka_settings,
    settings_from_properties,
    without_kafka_settings,
)


def test_plaintext_is_the_local_default() -> None:
    options = load_kafka_settings({}).client_options()
    assert options == {"bootstrap_servers": "127.0.0.1:9092", "security_protocol": "PLAINTEXT"}


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"KAFKA_SASL_PASSWORD_FILE_TYPO": "x"}, "KAFKA_SASL_PASSWORD_FILE_TYPO"),
        ({"KAFKA_SASL_MECHANISM": "GSSAPI"}, "KAFKA_SASL_MECHANISM"),
        ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "KAFKA_SASL_USERNAME"),
        (
            {
                "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "KAFKA_SASL_USERNAME": "funding",
                "KAFKA_SASL_PASSWORD_FILE": "/no/such/password",
            },
            "KAFKA_SASL_PASSWORD_FILE",
        ),
        ({"KAFKA_SSL_CAFILE": "/etc/hostname"}, "KAFKA_SSL_CAFILE"),
    ],
)
def test_a_misconfiguration_stops_the_start_naming_the_setting(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(KafkaConfigError, match=named):
        load_kafka_settings(environ)


def test_a_ca_bundle_that_is_not_one_stops_the_start(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate", encoding="utf-8")
    with pytest.raises(KafkaConfigError, match="KAFKA_SSL_CAFILE"):
        load_kafka_settings({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": str(bundle)})


def test_sasl_over_plaintext_sends_the_password_from_its_file(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret\n", encoding="utf-8")
    options = load_kafka_settings(
        {
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_USERNAME": "funding",
            "KAFKA_SASL_PASSWORD_FILE": str(secret),
        }
    ).client_options()
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("funding", "s3cret")


def test_a_kafka_client_properties_file_gives_the_same_settings(tmp_path: Path) -> None:
    properties = tmp_path / "auditor.properties"
    properties.write_text(
        "bootstrap.servers=127.0.0.1:9094\n"
        "security.protocol=SASL_PLAINTEXT\n"
        "sasl.mechanism=SCRAM-SHA-256\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
        'username="auditor" password="pw";\n',
        encoding="utf-8",
    )
    settings = settings_from_properties(properties)
    assert (settings.bootstrap_servers, settings.sasl_username) == ("127.0.0.1:9094", "auditor")
    assert (settings.sasl_mechanism, settings.password()) == ("SCRAM-SHA-256", "pw")


def test_the_auditor_reads_the_whole_log_and_writes_nothing() -> None:
    grants = principal_grants({"funding": ["placements.placement.v1"]}, deployment="kent")
    auditor = grants[AUDITOR]
    for topic in CATALOGUE:
        assert allowed(auditor, "topic", topic.name, "Read")
        assert not allowed(auditor, "topic", topic.name, "Write")


def test_a_service_writes_only_its_own_topics_and_reads_only_what_it_consumes() -> None:
    funding = principal_grants({"funding": ["placements.placement.v1"]}, deployment="kent")[
        "funding"
    ]
    assert allowed(funding, "topic", "funding.decision.v1", "Write")
    assert allowed(funding, "topic", "placements.placement.v1", "Read")
    assert allowed(funding, "topic", "placements.placement.v1.dlq", "Write")
    assert allowed(funding, "group", "kent.funding", "Read")
    assert not allowed(funding, "topic", "placements.placement.v1", "Write")
    assert not allowed(funding, "topic", "reviews.review.v1", "Read")
    assert not allowed(funding, "group", "kent.placements", "Read")


def test_settings_given_to_a_subprocess_as_variables_are_read_back_the_same(
    tmp_path: Path,
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_bytes(Path(certifi.where()).read_bytes())  # any loadable bundle
    plain = KafkaSettings(bootstrap_servers="127.0.0.1:9092")
    secure = KafkaSettings(
        bootstrap_servers="127.0.0.1:9094",
        security_protocol="SASL_SSL",
        sasl_username="funding",
        sasl_password="s3cret",
        ssl_cafile=ca,
    )
    for settings in (plain, secure):
        assert load_kafka_settings(settings.environment()) == settings
    assert secure.environment()["KAFKA_SASL_PASSWORD"] == "s3cret"


def test_a_callers_own_kafka_variables_are_left_out_of_a_subprocess() -> None:
    kept = without_kafka_settings({"KAFKA_SASL_PASSWORD_FILE": "/elsewhere", "PATH": "/bin"})
    assert kept == {"PATH": "/bin"}
