"""The per-record half of an audit: parse each event, recompute its hash, keep what the rest of
the audit needs. It depends on nothing but the record, so it runs in worker processes over
batches of raw values while the parent reads Kafka and keeps the chains in order.

A digest is a plain tuple with its repeated strings interned: a worker pickles millions of
them, and plain tuples of shared strings pickle several times faster than named tuples. Kept
light on purpose: a worker imports this module and the kit's chain module only."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, Final

from inclusion_cli.audit.findings import Location
from inclusion_shared.events.chain import HASH_FIELD, parse_and_hash

Digest = tuple[
    str, int, str, str, str | None, str, str | None, str, dict[str, Any] | None, str, int, int
]
"""One event of the audited deployment, unpacked in this order:

- service: whose chain (the event's source, less the deployment's prefix)
- position: its place in that chain
- event_id
- recorded: the hash the event carries
- recomputed: None when the recorded hash recomputes, else the hash its content gives
- previous: the predecessor's hash it names
- cause: the id of the event it names as its cause, if any
- kind: its type
- data: the event's data, for the types the audit reads in full (policies, decisions...)
- topic, partition, offset: where it was read

The audit keeps the digest as its entry for that chain position, so it is made once.
"""
POSITION: Final = 1
EVENT_ID: Final = 2
RECORDED: Final = 3
RECOMPUTED: Final = 4
PREVIOUS: Final = 5
CAUSE: Final = 6
KIND: Final = 7
DATA: Final = 8
WHERE: Final = 9
"""where the record's place in Kafka starts: its topic, partition and offset"""

Digested = Digest | str | None
"""A digest; a string saying why the record is not an event of the suite; or None for another
deployment's event, which is not this audit's log."""

NOT_AN_EVENT = "not an event of the suite"


def location_of(event: Digest) -> Location:
    return Location(*event[WHERE:])


def digest(
    source_prefix: str,
    read_in_full: frozenset[str],
    topic: str,
    partition: int,
    offset: int,
    value: bytes | None,
) -> Digested:
    """One raw event: its place in its chain, and whether its hash holds."""
    try:
        event, recomputed = parse_and_hash(value or b"")
        source = event["source"]
        position, recorded = event["chainseq"], event[HASH_FIELD]
    except (ValueError, KeyError, RecursionError):
        return NOT_AN_EVENT
    if type(source) is not str or type(position) is not int or type(recorded) is not str:
        return NOT_AN_EVENT
    if not source.startswith(source_prefix):
        return None
    kind = str(event.get("type"))
    cause = event.get("causationid")
    return (
        sys.intern(source[len(source_prefix) :]),
        position,
        str(event.get("id")),
        recorded,
        None if recomputed == recorded else recomputed,
        str(event.get("chainprev")),
        str(cause) if cause else None,
        sys.intern(kind),
        event.get("data") if kind in read_in_full else None,
        topic,
        partition,
        offset,
    )


def digest_all(
    source_prefix: str,
    read_in_full: frozenset[str],
    topic: str,
    partition: int,
    offsets: Sequence[int],
    values: Sequence[bytes | None],
) -> list[Digested]:
    """A batch of raw events of one partition, as a worker process digests it."""
    topic = sys.intern(topic)
    return [
        digest(source_prefix, read_in_full, topic, partition, offset, value)
        for offset, value in zip(offsets, values, strict=True)
    ]
