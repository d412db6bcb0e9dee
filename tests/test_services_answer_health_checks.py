"""Each of the four services starts against the real PostgreSQL and Kafka, applies its
migrations, and reports ready; its API refuses callers without a valid token."""

from __future__ import annotations

import base64
import importlib
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from inclusion_shared.auth import generate_signing_key, public_key_pem
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.connection import KafkaSettings


@pytest.fixture(scope="module")
def signing_key() -> bytes:
    return generate_signing_key()


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_is_ready_once_postgres_and_kafka_answer(
    service: str, database_url: str, kafka_bootstrap: str, signing_key: bytes, tmp_path: Path
) -> None:
    public_key = tmp_path / "dev.pub.pem"
    public_key.write_bytes(public_key_pem(signing_key))
    personal_data_key = tmp_path / "personal-data.key"
    personal_data_key.write_bytes(base64.b64encode(os.urandom(32)))
    app_module = importlib.import_module(f"{service}.app")
    settings_module = importlib.import_module(f"{service}.settings")
    settings = settings_module.Settings(
        database_url=database_url,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
        auth_public_key_file=public_key,
        personal_data_key_file=personal_data_key,
    )

    with TestClient(app_module.create_app(settings)) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        asyncapi = client.get("/asyncapi.json")

    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready",
        "started": True,
        "postgres": True,
        "kafka": True,
        "relay": True,
        "consumer": True,
        "log": True,
    }
    assert asyncapi.json()["asyncapi"].startswith("3.")
