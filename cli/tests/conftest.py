"""Stand-ins for the services: tiny HTTP servers, so the process handling of `inclusion up` is
tested without Kafka, Postgres or the real services."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HEALTHY = """\
import http.server, os

class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health/ready" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass

print("serving", os.environ["DATABASE_URL"], flush=True)
address = (os.environ["HTTP_HOST"], int(os.environ["HTTP_PORT"]))
http.server.HTTPServer(address, Health).serve_forever()
"""

CRASHING = """\
import sys
print("boom: cannot reach the database", flush=True)
sys.exit(3)
"""

Command = tuple[str, ...]


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    """Where stand-in console scripts are written."""
    path = tmp_path / "bin"
    path.mkdir()
    return path


def _script(directory: Path, name: str, body: str) -> Command:
    path = directory / name
    path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return (str(path),)


@pytest.fixture
def healthy_service(fake_bin: Path) -> Callable[[str], Command]:
    """Writes an executable stand-in that serves 200 on /health/ready; returns its command."""
    return lambda name: _script(fake_bin, name, HEALTHY)


@pytest.fixture
def crashing_service(fake_bin: Path) -> Callable[[str], Command]:
    """Writes an executable stand-in that prints an error and exits; returns its command."""
    return lambda name: _script(fake_bin, name, CRASHING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> Callable[[], int]:
    return free_port
