"""Development keys under .local/keys: the JWT signing key (production uses a JWKS URL) and the
master key that wraps personal-data keys (production mounts its own)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inclusion_cli.paths import write_private_once
from inclusion_shared.audit.checkpoints import audit_public_key, generate_audit_key
from inclusion_shared.auth import generate_signing_key, public_key_pem


@dataclass(frozen=True)
class DevKey:
    private: Path
    public: Path


def dev_key_paths(keys_dir: Path) -> DevKey:
    return DevKey(keys_dir / "dev-signing-key.pem", keys_dir / "dev-signing-key.pub.pem")


def ensure_dev_signing_key(keys_dir: Path) -> DevKey:
    """Create the key pair once; the private half is readable by this user only."""
    paths = dev_key_paths(keys_dir)
    if not paths.private.is_file():
        private: bytes = generate_signing_key()
        write_private_once(paths.private, private)
    if not paths.public.is_file():
        public: bytes = public_key_pem(paths.private.read_bytes())
        write_private_once(paths.public, public)
        paths.public.chmod(0o644)  # public: services running as other users may read it
    return paths


def ensure_personal_data_key(keys_dir: Path) -> Path:
    """The development master key that wraps each person's own key (32 random bytes, base64)."""
    path = keys_dir / "personal-data.key"
    if not path.is_file():
        write_private_once(path, base64.b64encode(os.urandom(32)) + b"\n")
    return path


def audit_key_paths(keys_dir: Path, service: str) -> DevKey:
    return DevKey(keys_dir / f"audit-{service}.pem", keys_dir / f"audit-{service}.pub.pem")


def ensure_audit_keys(keys_dir: Path, services: Iterable[str]) -> dict[str, Path]:
    """One Ed25519 key per service for signing its chain head; the public halves are what an
    auditor is given. Returns each service's private key file."""
    found = {}
    for service in services:
        paths = audit_key_paths(keys_dir, service)
        if not paths.private.is_file():
            write_private_once(paths.private, generate_audit_key())
        if not paths.public.is_file():
            write_private_once(paths.public, audit_public_key(paths.private.read_bytes()))
            paths.public.chmod(0o644)
        found[service] = paths.private
    return found


def audit_public_keys(keys_dir: Path, services: Iterable[str]) -> dict[str, bytes]:
    """The published audit keys found in a folder, by service."""
    keys = {}
    for service in services:
        public = audit_key_paths(keys_dir, service).public
        if public.is_file():
            keys[service] = public.read_bytes()
    return keys
