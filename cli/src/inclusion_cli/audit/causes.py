"""Every cause an event names is an event of the log, any service's: checked once the whole log
is read, over packed ids (16 bytes an event, sorted and searched by numpy) rather than a set of
strings, which for ten million events would not fit the memory an audit is allowed."""

from __future__ import annotations

import hashlib
import re
import uuid
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from inclusion_cli.audit.findings import Location

ID_BYTES = 16
_OTHER = b"\xff"
"""The first byte of a packed id that is not a UUID in its canonical form (a hash of it)."""
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Causes:
    """The ids of a part of the log's events, and the causes its events name."""

    ids: bytearray = field(default_factory=bytearray)
    joined_ids: list[bytearray] = field(default_factory=list)
    """the ids of other parts joined to these, each part's kept as it came (not copied)"""
    causes: bytearray = field(default_factory=bytearray)
    citing: bytearray = field(default_factory=bytearray)
    """the id of the event naming each cause"""
    services: list[str] = field(default_factory=list)
    service_of: array[int] = field(default_factory=lambda: array("H"))
    positions: array[int] = field(default_factory=lambda: array("q"))
    topics: list[str] = field(default_factory=list)
    topic_of: array[int] = field(default_factory=lambda: array("H"))
    partitions: array[int] = field(default_factory=lambda: array("I"))
    offsets: array[int] = field(default_factory=lambda: array("q"))
    spelled: dict[bytes, str] = field(default_factory=dict)
    """ids that are not canonical UUIDs, by their packed form, as written"""

    def event(self, event_id: str) -> None:
        self.ids += self.pack(event_id)

    def cause(
        self, service: str, position: int, event_id: str, cause: str, location: Location
    ) -> None:
        self.causes += self.pack(cause)
        self.citing += self.pack(event_id)
        self.service_of.append(_index(self.services, service))
        self.positions.append(position)
        self.topic_of.append(_index(self.topics, location.topic))
        self.partitions.append(location.partition)
        self.offsets.append(location.offset)

    def pack(self, event_id: str) -> bytes:
        if _CANONICAL_UUID.fullmatch(event_id) and not event_id.startswith("ff"):
            return bytes.fromhex(event_id.replace("-", ""))
        spelling = event_id.encode(errors="replace")
        packed = _OTHER + hashlib.blake2b(spelling, digest_size=ID_BYTES - 1).digest()
        self.spelled[packed] = event_id
        return packed

    def spell(self, packed: bytes) -> str:
        return self.spelled.get(packed) or str(uuid.UUID(bytes=packed))

    def extend(self, other: Causes) -> None:
        """Another part's ids and causes joined to these."""
        self.joined_ids += [other.ids, *other.joined_ids]
        self.spelled.update(other.spelled)
        for i in range(len(other.positions)):
            start = i * ID_BYTES
            self.causes += other.causes[start : start + ID_BYTES]
            self.citing += other.citing[start : start + ID_BYTES]
            self.service_of.append(_index(self.services, other.services[other.service_of[i]]))
            self.positions.append(other.positions[i])
            self.topic_of.append(_index(self.topics, other.topics[other.topic_of[i]]))
            self.partitions.append(other.partitions[i])
            self.offsets.append(other.offsets[i])

    def dangling(self) -> Iterator[tuple[str, int, str, str, Location]]:
        """Each event naming a cause that no event of the log has as its id: its service,
        position, id, the cause it names and where it is."""
        if not self.positions:
            return
        named = np.frombuffer(self.causes, dtype=f"S{ID_BYTES}")
        known = np.zeros(len(named), dtype=bool)
        for ids in [self.ids, *self.joined_ids]:
            known |= np.isin(named, np.frombuffer(ids, dtype=f"S{ID_BYTES}"))
        for i in np.flatnonzero(~known).tolist():
            start = i * ID_BYTES
            yield (
                self.services[self.service_of[i]],
                self.positions[i],
                self.spell(bytes(self.citing[start : start + ID_BYTES])),
                self.spell(bytes(self.causes[start : start + ID_BYTES])),
                Location(self.topics[self.topic_of[i]], self.partitions[i], self.offsets[i]),
            )


def _index(names: list[str], name: str) -> int:
    """Where ``name`` is in a short list of names, added at the end if it is not there."""
    try:
        return names.index(name)
    except ValueError:
        names.append(name)
        return len(names) - 1
