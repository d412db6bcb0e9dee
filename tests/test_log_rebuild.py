"""A broker that loses its data under a running service, as when a re-cloned checkout starts a
new broker beside the old databases: the service, started again, sees the hole and is not
ready (`log: false`); `inclusion log rebuild`'s steps (find the lost logs, record a
republication, start the service, wait for the log) put every event back — the same ids and
hashes in the same order — and the service is ready again."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any

import asyncpg
from fastapi.testclient import TestClient

from funding.app import create_app
from funding.settings import Settings
from inclusion_cli.infra.kafka import KafkaNode, ensure_kafka, stop_kafka
from inclusion_cli.rebuild import lost_logs, record_republications, wait_republished
from inclusion_cli.stack import Infrastructure
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.events.chain import verify_chain
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings
from inclusion_shared.testing import read_topic


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ready(client: TestClient, within: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        answer = client.get("/health/ready")
        if answer.status_code == 200 or time.monotonic() > deadline:
            return dict(answer.json())
        time.sleep(0.2)


async def _outbox(database_url: str) -> tuple[list[tuple[str, str]], set[str]]:
    """The service's log as its outbox keeps it (id and hash in order), and its topics."""
    connection = await asyncpg.connect(database_url, server_settings={"search_path": "funding"})
    try:
        rows = await connection.fetch("SELECT event_id::text, hash, topic FROM outbox ORDER BY seq")
    finally:
        await connection.close()
    return [(row["event_id"], row["hash"]) for row in rows], {row["topic"] for row in rows}


async def _on_the_broker(bootstrap: str, topics: set[str]) -> list[dict[str, Any]]:
    """The first copy of each event on the broker, in chain order."""
    found: dict[str, dict[str, Any]] = {}
    for topic in sorted(topics):
        for record in await read_topic(bootstrap, topic):
            event = json.loads(record.value)
            found.setdefault(event["id"], event)
    return sorted(found.values(), key=lambda event: event["chainseq"])


def test_a_broker_that_lost_its_data_gets_the_whole_log_back(
    database_url: str, tmp_path: Path
) -> None:
    node = KafkaNode(
        home=tmp_path / "kafka",
        log_file=tmp_path / "kafka.log",
        port=_free_port(),
        controller_port=_free_port(),
        max_heap="512m",
    )
    signing_key = generate_signing_key()
    (tmp_path / "dev.pub.pem").write_bytes(public_key_pem(signing_key))
    (tmp_path / "personal-data.key").write_bytes(base64.b64encode(os.urandom(32)))
    officer = {
        "Authorization": "Bearer "
        + mint_token(
            signing_key, role="kcc-officer", subject=person_id_for("officer-1"), areas=("kent",)
        )
    }
    try:
        bootstrap = ensure_kafka(node).bootstrap_servers
        settings = Settings(
            database_url=database_url,
            kafka=KafkaSettings(bootstrap_servers=bootstrap),
            auth_public_key_file=tmp_path / "dev.pub.pem",
            personal_data_key_file=tmp_path / "personal-data.key",
        )
        infra = Infrastructure(bootstrap, {"funding": database_url}, True, True)

        with TestClient(create_app(settings)) as client:
            assert _ready(client)["status"] == "ready"
            for area in ("east-kent", "west-kent"):
                answered = client.put(
                    f"/budgets/{area}/2026-27", json={"annual_amount_pence": 9_000_000_00},
                    headers=officer,
                )  # fmt: skip
                assert answered.status_code == 200, answered.text
            asyncio.run(wait_republished(infra, ["funding"], within=60))
        published, topics = asyncio.run(_outbox(database_url))
        assert len(published) >= 2

        stop_kafka(node)  # the broker's data is lost; the database is kept
        shutil.rmtree(node.home)
        ensure_kafka(node)

        with TestClient(create_app(settings)) as client:
            held = _ready(client, within=15)
            assert held["log"] is False and held["status"] != "ready", held
        assert list(asyncio.run(lost_logs(infra))) == ["funding"]

        asyncio.run(record_republications(infra, ["funding"]))
        with TestClient(create_app(settings)) as client:
            asyncio.run(wait_republished(infra, ["funding"], within=120))
            assert _ready(client)["log"] is True

        assert asyncio.run(lost_logs(infra)) == {}
        events = asyncio.run(_on_the_broker(bootstrap, topics))
        assert [(event["id"], event["chainhash"]) for event in events] == published
        assert verify_chain(events) is None
    finally:
        stop_kafka(node)
