"""docker-compose's one-shot key job: the stack's keys, each made once and never replaced.

    python create_personal_data_key.py --audit-keys /var/lib/inclusion/keys/audit

- The personal-data master key (PERSONAL_DATA_KEY_FILE: 32 random bytes, base64). The services
  encrypt each person's details under a key of their own, wrapped by this one; replacing it
  would make every sealed record unreadable.
- Per service (the four that publish events, and monitoring), its own Ed25519 audit key, which
  signs the service's chain head into ``audit.checkpoints.v1``: the private half at
  ``<audit>/<service>/audit-<service>.pem`` (0400, in a 0700 folder that compose mounts into
  that service alone), the public half at ``<audit>/public/audit-<service>.pub.pem`` for
  auditors (``inclusion audit verify --keys``).
  Replacing a private key would leave the signed checkpoints unverifiable with what auditors
  were given, so a key that exists is kept, and a public key that does not match its private
  one stops the job.

The compose stack has its own database and Kafka, so it makes its own keys, into a volume that
only the services' user can read (docker initialises it from the image's /var/lib/inclusion/keys).
The job runs in a service image, which holds the kit.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inclusion_shared.audit.checkpoints import audit_public_key, generate_audit_key
from inclusion_shared.events.catalogue import SERVICES
from inclusion_shared.settings import ServiceSettings

PRIVATE = 0o400  # the services' user alone, read only
PRIVATE_FOLDER = 0o700
PUBLIC = 0o444
PUBLIC_FOLDER = 0o755
PUBLIC_KEYS = "public"  # <audit>/public: the folder an auditor is given
# Every service the stack runs: those that publish events, and monitoring, which reads them (it
# has signed nothing yet, but is deployed like the others).
DEPLOYED = (*SERVICES, "monitoring")


@dataclass(frozen=True)
class AuditKeyFiles:
    private: Path
    public: Path


def audit_key_files(folder: Path, service: str) -> AuditKeyFiles:
    """Where the job keeps a service's audit key pair (the names `make up` uses)."""
    return AuditKeyFiles(
        private=folder / service / f"audit-{service}.pem",
        public=folder / PUBLIC_KEYS / f"audit-{service}.pub.pem",
    )


def _folder(path: Path, mode: int) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)  # whatever the umask


def _write_once(path: Path, content: bytes, mode: int) -> bool:
    """Write the file whole or not at all, never over one that exists; True if written."""
    if path.exists():
        return False
    scratch = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(scratch, mode)
        os.link(scratch, path)  # fails if another run got there first: theirs is kept
    except FileExistsError:
        return False
    finally:
        scratch.unlink(missing_ok=True)
    return True


def create_personal_data_key() -> Path:
    """Write the key if there is none; return where it is."""
    path = ServiceSettings(service_name="keys").personal_data_key_file
    if path is None:
        raise SystemExit("set PERSONAL_DATA_KEY_FILE to where the key belongs")
    _write_once(path, base64.b64encode(os.urandom(32)) + b"\n", PRIVATE)
    return path


def create_audit_keys(folder: Path, services: Iterable[str]) -> dict[str, AuditKeyFiles]:
    """One key pair per service, made if missing; a missing public half is made again from
    its private half. Returns each service's files."""
    _folder(folder, PUBLIC_FOLDER)
    _folder(folder / PUBLIC_KEYS, PUBLIC_FOLDER)
    found = {}
    for service in services:
        files = audit_key_files(folder, service)
        _folder(files.private.parent, PRIVATE_FOLDER)
        _write_once(files.private, generate_audit_key(), PRIVATE)
        public = audit_public_key(files.private.read_bytes())
        if not _write_once(files.public, public, PUBLIC) and files.public.read_bytes() != public:
            raise SystemExit(
                f"{files.public} is not the public half of {files.private}: "
                "auditors would reject every checkpoint; find out who changed which"
            )
        found[service] = files
    return found


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--audit-keys", type=Path, required=True, help="the folder of the services' audit keys"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"personal-data key at {create_personal_data_key()}")
    for service, files in create_audit_keys(args.audit_keys, DEPLOYED).items():
        print(f"audit key of {service} at {files.private}, public half at {files.public}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
