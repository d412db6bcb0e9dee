"""Development keys under .local/keys: the JWT signing key (production uses a JWKS URL) and the
master key that wraps personal-data keys (production mounts its own)."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from inclusion_cli.paths import write_private_once
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
