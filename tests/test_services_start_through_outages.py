"""A service started while PostgreSQL or Kafka cannot be reached serves its API without being
ready — commands answer 503 with Retry-After, never 500 — and becomes ready on its own once
they answer again, without a restart.

The database and the broker are the real ones, reached through a gate: a TCP forwarder that,
shut, drops every connection as a stopped server's port would, and, open, passes bytes through.
(Kafka's clients reach the gate only to bootstrap, then the broker's advertised address: a
broker that cannot be bootstrapped is what a service starting in an outage sees.)
"""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from funding.app import create_app
from funding.settings import Settings
from inclusion_shared.auth import generate_signing_key, mint_token, public_key_pem
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.messaging.connection import KafkaSettings


class Gate(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: tuple[str, int]) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream = upstream
        self.open = threading.Event()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class _Forward(socketserver.BaseRequestHandler):
    server: Gate

    def handle(self) -> None:
        if not self.server.open.is_set():
            return  # shut: the connection is closed at once
        with socket.create_connection(self.server.upstream) as upstream:
            back = threading.Thread(target=_pipe, args=(upstream, self.request), daemon=True)
            back.start()
            _pipe(self.request, upstream)
            back.join(timeout=5)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def gate_to(request: pytest.FixtureRequest) -> Iterator[Any]:
    gates: list[Gate] = []

    def make(host_port: str) -> Gate:
        host, _, port = host_port.rpartition(":")
        gate = Gate((host, int(port)))
        threading.Thread(target=gate.serve_forever, daemon=True).start()
        gates.append(gate)
        return gate

    yield make
    for gate in gates:
        gate.shutdown()
        gate.server_close()


def _wait_for(check: Any, within: float = 60.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


@pytest.mark.parametrize("away", ["postgres", "kafka"])
def test_a_service_started_in_an_outage_serves_unready_and_becomes_ready_when_it_ends(
    away: str, database_url: str, kafka_bootstrap: str, gate_to: Any, tmp_path: Path
) -> None:
    signing_key = generate_signing_key()
    (tmp_path / "dev.pub.pem").write_bytes(public_key_pem(signing_key))
    (tmp_path / "personal-data.key").write_bytes(base64.b64encode(os.urandom(32)))
    parts = urlsplit(database_url)
    postgres = gate_to(f"{parts.hostname}:{parts.port}")
    kafka = gate_to(kafka_bootstrap.split(",")[0])
    (kafka if away == "postgres" else postgres).open.set()
    shut = postgres if away == "postgres" else kafka
    settings = Settings(
        database_url=parts._replace(
            netloc=f"{parts.username}:{parts.password}@{postgres.address}"
        ).geturl(),
        kafka=KafkaSettings(bootstrap_servers=kafka.address),
        auth_public_key_file=tmp_path / "dev.pub.pem",
        personal_data_key_file=tmp_path / "personal-data.key",
    )
    officer = mint_token(
        signing_key, role="kcc-officer", subject=person_id_for("officer-1"), areas=("kent",)
    )

    with TestClient(create_app(settings)) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["started"] is False
        command = client.put(
            "/budgets/east-kent/2026-27",
            json={"annual_amount_pence": 100_000_00},
            headers={"Authorization": f"Bearer {officer}"},
        )
        assert command.status_code == 503, command.text
        assert command.headers["Retry-After"] and command.json()["type"].endswith("unavailable")

        shut.open.set()  # the outage ends

        answer = _wait_for(lambda: client.get("/health/ready").status_code == 200, within=90)
        assert answer, client.get("/health/ready").json()
        again = client.put(
            "/budgets/east-kent/2026-27",
            json={"annual_amount_pence": 100_000_00},
            headers={"Authorization": f"Bearer {officer}"},
        )
        assert again.status_code == 200, again.text
