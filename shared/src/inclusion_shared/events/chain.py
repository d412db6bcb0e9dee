"""The hash chain over each service's events: a gapless sequence, each event hashing its
predecessor, hashes taken over the RFC 8785 canonical form of the event."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from inclusion_shared.events.envelope import GENESIS_HASH

HASH_FIELD = "chainhash"


def event_hash(wire_event: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the event without its own hash attribute."""
    body = {name: value for name, value in wire_event.items() if name != HASH_FIELD}
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first place a chain does not hold, with what was expected and what was found."""

    position: int
    problem: str
    expected: str
    actual: str


def verify_chain(wire_events: Iterable[Mapping[str, Any]]) -> ChainBreak | None:
    """Check events given in chain order: sequence from 1 without gaps, each linking to its
    predecessor's hash, each hash recomputing. Returns the first break, or None."""
    expected_seq, previous = 1, GENESIS_HASH
    for event in wire_events:
        seq = event.get("chainseq")
        if seq != expected_seq:
            return ChainBreak(expected_seq, "gap or reorder", str(expected_seq), str(seq))
        if event.get("chainprev") != previous:
            return ChainBreak(expected_seq, "broken link", previous, str(event.get("chainprev")))
        recomputed = event_hash(event)
        if event.get(HASH_FIELD) != recomputed:
            return ChainBreak(expected_seq, "hash mismatch", recomputed, str(event.get(HASH_FIELD)))
        expected_seq, previous = expected_seq + 1, recomputed
    return None
