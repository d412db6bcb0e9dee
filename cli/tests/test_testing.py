"""The explicit settings win: given infrastructure is used as is, nothing is started."""

from __future__ import annotations

import pytest

from inclusion_cli.testing import ensure_test_kafka, ensure_test_postgres


def test_given_kafka_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")

    assert ensure_test_kafka() == "kafka.example:9092"


def test_given_admin_database_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_ADMIN_DATABASE_URL", "postgresql://admin:pw@db.example/postgres")

    assert ensure_test_postgres() == "postgresql://admin:pw@db.example/postgres"
