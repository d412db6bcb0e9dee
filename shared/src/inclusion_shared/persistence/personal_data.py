"""Personal details, encrypted per person (AES-256-GCM) so they can be erased by deleting that
person's key ("crypto-shredding"). Events and logs never carry them: they carry the
pseudonymous person id only, and at most a digest of a text under a key derived from the
person's own, which erasing that key leaves unverifiable and unlinkable."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from inclusion_shared.persistence.pool import Connection

NONCE_BYTES = 12
DIGEST_KEY_INFO = b"inclusion rationale digest v1"
"""What the key a person's digests are taken under is derived for, from their own key."""


class PersonErased(LookupError):
    """The person's key was deleted: their details are gone for good."""


class RecordAltered(ValueError):
    """A sealed record does not open under its person's key: it was altered where it is kept."""


class PersonalDataVault:
    """Seals and opens a person's records; ``master_key`` wraps each person's own key."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the personal-data master key must be 32 bytes (base64 in settings)")
        self._master = AESGCM(master_key)

    @classmethod
    def from_setting(cls, encoded: str) -> PersonalDataVault:
        return cls(base64.b64decode(encoded))

    async def seal(
        self,
        connection: Connection,
        person_id: str,
        record_id: str,
        kind: str,
        details: dict[str, Any],
    ) -> None:
        """Store a record of a person's details, encrypted under their key (made on first use)."""
        key = await self._person_key(connection, person_id, create=True)
        plaintext = json.dumps(details, sort_keys=True).encode()
        await connection.execute(
            """INSERT INTO personal_records (record_id, person_id, kind, ciphertext)
               VALUES ($1, $2, $3, $4)""",
            record_id,
            person_id,
            kind,
            _encrypt(AESGCM(key), plaintext, record_id.encode()),
        )

    async def open(self, connection: Connection, record_id: str) -> dict[str, Any]:
        row = await connection.fetchrow(
            "SELECT person_id, ciphertext FROM personal_records WHERE record_id = $1", record_id
        )
        if row is None:
            raise PersonErased(record_id)
        key = await self._person_key(connection, row["person_id"], create=False)
        try:
            plaintext = _decrypt(AESGCM(key), row["ciphertext"], record_id.encode())
        except InvalidTag:
            raise RecordAltered(record_id) from None
        details: dict[str, Any] = json.loads(plaintext)
        return details

    async def digest(self, connection: Connection, person_id: str, text: str) -> str:
        """The lower-case hex HMAC-SHA256 of a text about the person, under a key derived from
        their own (HKDF-SHA256): the same text gives the same digest while their key exists,
        another person's key another digest. Once their key is erased no one can recompute it,
        confirm a guess against it or tell whose it is. Raises PersonErased without a key: a
        digest never makes one."""
        key = await self._person_key(connection, person_id, create=False)
        digest_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=DIGEST_KEY_INFO
        ).derive(key)
        return hmac.new(digest_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    async def erased(self, connection: Connection, person_id: str) -> bool:
        """True when the person has no key: it was deleted, or nothing of theirs was sealed."""
        return not await connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM personal_data WHERE person_id = $1)", person_id
        )

    async def shred(self, connection: Connection, person_id: str) -> bool:
        """Erase a person's details everywhere by deleting their key; True if there was one."""
        return bool(
            await connection.fetchval(
                "DELETE FROM personal_data WHERE person_id = $1 RETURNING true", person_id
            )
        )

    async def _person_key(self, connection: Connection, person_id: str, *, create: bool) -> bytes:
        wrapped = await connection.fetchval(
            "SELECT wrapped_key FROM personal_data WHERE person_id = $1", person_id
        )
        if wrapped is None:
            if not create:
                raise PersonErased(person_id)
            key = AESGCM.generate_key(bit_length=256)
            wrapped = _encrypt(self._master, key, person_id.encode())
            await connection.execute(
                """INSERT INTO personal_data (person_id, wrapped_key) VALUES ($1, $2)
                   ON CONFLICT DO NOTHING""",
                person_id,
                wrapped,
            )
            wrapped = await connection.fetchval(
                "SELECT wrapped_key FROM personal_data WHERE person_id = $1", person_id
            )
        return _decrypt(self._master, wrapped, person_id.encode())


def _encrypt(cipher: AESGCM, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + cipher.encrypt(nonce, plaintext, associated)


def _decrypt(cipher: AESGCM, sealed: bytes, associated: bytes) -> bytes:
    return cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
