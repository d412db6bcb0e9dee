"""docker-compose's one-shot key job: the stack's personal-data master key, made once.

The services encrypt each person's details under a key of their own, wrapped by this master key
(PERSONAL_DATA_KEY_FILE: 32 random bytes, base64). The compose stack has its own database, so
it makes its own key, into a volume that only the services' user can read, and never replaces
one that exists: that would make every sealed record unreadable.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from inclusion_shared.settings import ServiceSettings


def create_personal_data_key() -> Path:
    """Write the key if there is none; return where it is."""
    path = ServiceSettings(service_name="keys").personal_data_key_file
    if path is None:
        raise SystemExit("set PERSONAL_DATA_KEY_FILE to where the key belongs")
    if not path.is_file():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        with os.fdopen(descriptor, "wb") as key:
            key.write(base64.b64encode(os.urandom(32)) + b"\n")
    return path


if __name__ == "__main__":
    print(f"personal-data key at {create_personal_data_key()}")
