"""Raw hashing baselines over the same events: RFC 8785 canonical JSON then SHA-256 (what every
chain hash costs), and SHA-256 alone over bytes already canonical."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785

from bench.stats import clock
from inclusion_shared.events.chain import HASH_FIELD


@dataclass(frozen=True)
class Hashed:
    canonical_seconds: float
    sha256_seconds: float
    count: int


def hash_events(payloads: Sequence[bytes]) -> Hashed:
    bodies: list[dict[str, Any]] = []
    for payload in payloads:
        body = json.loads(payload)
        body.pop(HASH_FIELD)
        bodies.append(body)
    begun = clock()
    canonical = [rfc8785.dumps(body) for body in bodies]
    digests = [hashlib.sha256(blob).hexdigest() for blob in canonical]
    canonical_seconds = clock() - begun
    begun = clock()
    again = [hashlib.sha256(blob).hexdigest() for blob in canonical]
    sha256_seconds = clock() - begun
    assert again == digests
    return Hashed(canonical_seconds, sha256_seconds, len(payloads))
