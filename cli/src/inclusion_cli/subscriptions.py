"""Prints, as JSON, the topics each deployed service's inbox consumer subscribes to, read from
the service's own app (``python -m inclusion_cli.subscriptions``).

Run in a process of its own (inclusion_cli.secure.consumed_topics): building an app sets
process-wide logging and tracing. Building one connects to nothing; it reads the personal-data
key, so a throwaway one is given.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from inclusion_shared.bootstrap import Service
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.acls import SUBSCRIBERS

DEPLOYED = (*SERVICES, *SUBSCRIBERS)


def services_of(names: Iterable[str] = DEPLOYED) -> dict[str, Service]:
    """Each service as its own app builds it, connected to nothing (in this process: building
    an app sets process-wide logging and tracing)."""
    with tempfile.TemporaryDirectory() as scratch:
        key = Path(scratch) / "personal-data.key"
        key.write_bytes(base64.b64encode(os.urandom(32)))
        os.environ["PERSONAL_DATA_KEY_FILE"] = str(key)
        return {
            name: importlib.import_module(f"{name}.app").create_app().state.service
            for name in names
        }


def read_subscriptions(services: Iterable[str] = DEPLOYED) -> dict[str, list[str]]:
    """Per service, the topics its inbox consumer subscribes to, from its own app."""
    return {name: sorted(s.consumer.topics) for name, s in services_of(services).items()}


def main() -> None:
    print(json.dumps(read_subscriptions()))


if __name__ == "__main__":
    main()
