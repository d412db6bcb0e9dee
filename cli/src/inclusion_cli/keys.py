"""The development JWT signing key under .local/keys (production uses a JWKS URL instead)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inclusion_cli.paths import write_private_once


@dataclass(frozen=True)
class DevKey:
    private: Path
    public: Path


def dev_key_paths(keys_dir: Path) -> DevKey:
    return DevKey(keys_dir / "dev-signing-key.pem", keys_dir / "dev-signing-key.pub.pem")


def ensure_dev_signing_key(keys_dir: Path) -> DevKey:
    """Create the key pair once; the private half is readable by this user only."""
    # Imported here so `up`/`down`/`status` still load while the auth kit is being written.
    # No py.typed in inclusion_shared yet; drop the ignore once it has one.
    from inclusion_shared.auth import (
        generate_signing_key,
        public_key_pem,
    )

    paths = dev_key_paths(keys_dir)
    if not paths.private.is_file():
        private: bytes = generate_signing_key()
        write_private_once(paths.private, private)
    if not paths.public.is_file():
        public: bytes = public_key_pem(paths.private.read_bytes())
        write_private_once(paths.public, public)
        paths.public.chmod(0o644)  # public: services running as other users may read it
    return paths
