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

from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.messaging.acls import SUBSCRIBERS

DEPLOYED = (*SERVICES, *SUBSCRIBERS)


def read_subscriptions(services: Iterable[str] = DEPLOYED) -> dict[str, list[str]]:
    """Per service, the topics its inbox consumer subscribes to, from its own app (in this
    process: building an app sets process-wide logging and tracing)."""
    with tempfile.TemporaryDirectory() as scratch:
        key = Path(scratch) / "personal-data.key"
        key.write_bytes(base64.b64encode(os.urandom(32)))
        os.environ["PERSONAL_DATA_KEY_FILE"] = str(key)
        return {
            service: sorted(
                importlib.import_module(f"{service}.app").create_app().state.service.consumer.topics
            )
            for service in services
        }


def main() -> None:
    print(json.dumps(read_subscriptions()))


if __name__ == "__main__":
    main()
