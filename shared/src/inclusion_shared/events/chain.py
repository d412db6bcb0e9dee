"""The hash chain over each service's events: a gapless sequence, each event hashing its
predecessor, hashes taken over the RFC 8785 canonical form of the event.

Canonical JSON is the cost of every seal and of every event an audit reads, so it has a fast
path: for values with no floats, no integer beyond ±(2**53 - 1) and no object key at or above
U+D800, RFC 8785's output is exactly what a compact, key-sorted, non-ASCII JSON encoder writes
(strings are escaped the same way; such keys sort the same by code point as by UTF-16 code
unit). Anything else, or anything the fast encoder refuses, goes to the ``rfc8785`` reference
implementation, so the result (or the error) is always the reference one. The fast encoder and
decoder are msgspec's (C, several times the standard library's ``json`` here); a property test
holds the fast path to the reference."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import msgspec
import rfc8785

from inclusion_shared.events.envelope import GENESIS_HASH

HASH_FIELD = "chainhash"
_ABSENT = object()
SAFE_INTEGER = 2**53 - 1
"""RFC 8785 numbers are IEEE doubles: integers beyond this are refused by the reference."""

_ENCODER = msgspec.json.Encoder(order="sorted")


def _no_floats(literal: str) -> NoReturn:
    raise ValueError(f"a float ({literal}): parsed by the standard library instead")


_DECODER = msgspec.json.Decoder(float_hook=_no_floats)


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical form of a JSON value, byte for byte what ``rfc8785.dumps`` gives
    (and raising what it raises)."""
    if _plain(value):
        try:
            return _ENCODER.encode(value)
        except UnicodeEncodeError:
            pass  # a lone surrogate: the reference says what to do with it
    return rfc8785.dumps(value)


def _plain(value: Any) -> bool:
    """True when the fast encoder's output is the canonical one: only dicts with string keys
    below U+D800 (so code point order is UTF-16 order), lists, strings, bools, None and ints
    RFC 8785 accepts. Exact types only: subclasses take the reference path."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(key, default="") < "\ud800"):
                return False
            if type(item) is not str and item is not None and not _plain(item):
                return False
        return True
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-SAFE_INTEGER <= value <= SAFE_INTEGER)
    if kind is list or kind is tuple:
        return all(type(item) is str or _plain(item) for item in value)
    return False


def event_hash(wire_event: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the event without its own hash attribute."""
    body = {name: value for name, value in wire_event.items() if name != HASH_FIELD}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def parse_and_hash(raw: bytes) -> tuple[dict[str, Any], str]:
    """An event off the wire and the hash its content gives, in one step (what an audit does
    for every record). The value is what ``json.loads`` gives: the fast decoder is only
    stricter (it refuses floats, NaN, lone surrogates, byte order marks...), and whatever it
    refuses is parsed by ``json.loads``. Raises ValueError for anything that is not a JSON
    object with a canonical form."""
    try:
        event = _DECODER.decode(raw)
        plain = _plain_on_the_wire(raw)
    except (msgspec.DecodeError, ValueError):
        event, plain = json.loads(raw), False
    if type(event) is not dict:
        raise ValueError("not a JSON object")
    recorded = event.pop(HASH_FIELD, _ABSENT)
    try:
        canonical = _ENCODER.encode(event) if plain else canonical_json(event)
        return event, hashlib.sha256(canonical).hexdigest()
    finally:
        if recorded is not _ABSENT:
            event[HASH_FIELD] = recorded


_DIGIT_RUNS = bytes(0x39 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
"""Every digit to "9", every other byte to a space: runs of digits stand out."""
_SIXTEEN_DIGITS = b"9" * 16


def _plain_on_the_wire(raw: bytes) -> bool:
    """What ``_plain`` tells from the value, told faster from the bytes it was decoded from
    (without floats, which the fast decoder refuses): all ASCII with no escape, which could make
    a character beyond it (so every key is below U+D800), and no run of sixteen digits
    anywhere (so no integer beyond ±(2**53 - 1), which needs sixteen). False is only "not
    sure": the value is then checked itself."""
    if not raw.isascii() or raw.find(b"\\") >= 0:  # no escapes at all: one memchr
        return False
    return _SIXTEEN_DIGITS not in raw.translate(_DIGIT_RUNS)


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
