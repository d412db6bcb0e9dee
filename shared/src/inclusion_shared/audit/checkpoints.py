"""Signed checkpoints: each service signs its chain head (sequence and hash) with its own
Ed25519 key into ``audit.checkpoints.v1``, every N events or T seconds. An auditor holding the
published public keys can then tell a verified log from an unsigned tail, a truncated one, or
one extended by someone without the key."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

CHECKPOINT_TYPE = "audit.checkpoint.signed"


class Checkpoint(BaseModel):
    """A chain head as its service signed it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = CHECKPOINT_TYPE
    chain: str
    seq: int = Field(ge=1)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    signed_at: datetime
    signature: str = ""

    def signed_bytes(self) -> bytes:
        """What the signature covers: the canonical JSON of everything but the signature."""
        body = self.model_dump(mode="json", exclude={"signature"})
        return rfc8785.dumps(body)

    def to_bytes(self) -> bytes:
        return rfc8785.dumps(self.model_dump(mode="json"))


def generate_audit_key() -> bytes:
    """A new Ed25519 private key, PEM-encoded."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def audit_public_key(private_pem: bytes) -> bytes:
    key = _private(private_pem)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sign(private_pem: bytes, chain: str, seq: int, head_hash: str) -> Checkpoint:
    unsigned = Checkpoint(chain=chain, seq=seq, hash=head_hash, signed_at=datetime.now(UTC))
    signature = _private(private_pem).sign(unsigned.signed_bytes())
    return unsigned.model_copy(update={"signature": base64.b64encode(signature).decode()})


def signature_holds(checkpoint: Checkpoint, public_pem: bytes) -> bool:
    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        return False
    try:
        key.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_bytes())
    except (InvalidSignature, ValueError):
        return False
    return True


class CheckpointSigner:
    """Decides when the relay signs: after ``every_events`` new events, or after
    ``every_seconds`` when any event is unsigned."""

    def __init__(
        self, chain: str, key_file: Path, *, every_events: int = 100, every_seconds: float = 10.0
    ) -> None:
        self.chain = chain
        self._key = key_file.read_bytes()
        self.every_events = every_events
        self.every_seconds = every_seconds
        self.signed_seq = 0
        self._signed_at = time.monotonic()

    def due(self, head_seq: int) -> bool:
        if head_seq <= self.signed_seq:
            return False
        waited = time.monotonic() - self._signed_at
        return head_seq - self.signed_seq >= self.every_events or waited >= self.every_seconds

    def sign(self, head_seq: int, head_hash: str) -> Checkpoint:
        checkpoint = sign(self._key, self.chain, head_seq, head_hash)
        self.signed_seq, self._signed_at = head_seq, time.monotonic()
        return checkpoint


def _private(private_pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("audit keys are Ed25519")
    return key


def parse_checkpoint(raw: bytes | dict[str, Any]) -> Checkpoint:
    if isinstance(raw, dict):
        return Checkpoint.model_validate(raw)
    return Checkpoint.model_validate_json(raw)
