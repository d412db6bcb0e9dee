"""One service's chain, checked as its events arrive, in any order, in memory that grows by 33
bytes a position (its recorded hash and whether it is there) and otherwise holds only what is
waiting for a neighbour still to come.

A link is checked as soon as both of its ends have arrived; a signed checkpoint as soon as its
event has; the rules see the chain's events in chain order, once the chain has filled in a
little way past them. What only the end can tell (gaps, checkpoints naming positions never
seen) is told by ``finish``."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterator
from typing import Any

from inclusion_cli.audit.decisions import LOOKAHEAD, ChainRules
from inclusion_cli.audit.digest import (
    DATA,
    KIND,
    POSITION,
    PREVIOUS,
    RECOMPUTED,
    RECORDED,
    Digest,
    location_of,
)
from inclusion_cli.audit.findings import RULES_NOT_FOLLOWED, ChainSummary, Location
from inclusion_shared.audit.checkpoints import Checkpoint
from inclusion_shared.events.envelope import GENESIS_HASH

HASH_BYTES = 32
Fail = Callable[..., None]
"""Records one failure: ``fail(kind, service, message, **where)``."""


class ChainCheck:
    def __init__(self, summary: ChainSummary, fail: Fail, positions: int | None = None) -> None:
        self.summary = summary
        self.positions = positions
        """no chain of a log of this many records has a position beyond it (None: unknown)"""
        self.service = summary.service
        self.fail = fail
        self.present = bytearray(1)
        """one byte a position, 1 where an event has arrived (index 0 is unused)"""
        self.recorded = bytearray(HASH_BYTES)
        """each position's recorded hash, as bytes"""
        self.odd_hashes: dict[int, str] = {}
        """recorded hashes that are not 64 hex digits, as written (a forged or mangled event)"""
        self.successors: dict[int, Digest] = {}
        """by position, the event after it, until it arrives (its link is then checked)"""
        self.awaiting: dict[int, list[Checkpoint]] = {}
        """checkpoints whose position has not arrived yet"""
        self.contiguous = 0
        """every position up to this one has arrived"""
        self.rules = ChainRules.of(self.service)
        self.kept: list[tuple[int, str, dict[str, Any], Location]] = []
        """a heap of events the rules read, waiting for the chain to fill in past them"""

    def take(self, event: Digest) -> bool:
        """One event; True if it is the first at its position (not a redelivery or a fork).

        Made for ten million calls: the common case, an event after its predecessor with
        nothing to report, touches no dict and builds no location."""
        position = event[POSITION]
        if position < 1 or (self.positions is not None and position > self.positions):
            self._impossible(position, event)
            return False
        if position >= len(self.present):
            self._make_room(position)
        if self.present[position]:
            self._again(position, event)
            return False
        self.present[position] = 1
        recorded = event[RECORDED]
        self._store(position, recorded)
        summary = self.summary
        summary.events += 1
        if position > summary.highest_position:
            summary.highest_position = position
        if event[RECOMPUTED] is not None:
            message = "the event's content does not give its recorded hash: it was altered"
            self._fail_at(
                "hash mismatch",
                message,
                position,
                event,
                expected=event[RECOMPUTED],
                actual=recorded,
            )
        if position == 1:
            self._check_link(1, GENESIS_HASH, event[PREVIOUS], event)
        elif self.present[position - 1]:
            self._check_link(position, self.hash_at(position - 1), event[PREVIOUS], event)
        else:
            self.successors[position - 1] = event
        if self.successors:
            after = self.successors.pop(position, None)
            if after is not None:
                self._check_link(position + 1, recorded, after[PREVIOUS], after)
        if self.awaiting:
            for checkpoint in self.awaiting.pop(position, ()):
                self._check_checkpoint(checkpoint, location_of(event))
        kind, data = event[KIND], event[DATA]
        if data is not None and self.rules is not None and kind in self.rules.read_in_full:
            if not isinstance(data, dict):
                data = {}  # the rules then say what is missing
            heapq.heappush(self.kept, (position, kind, data, location_of(event)))
            self.rules.survey(kind, data)
        if position == self.contiguous + 1:
            contiguous, present, end = position, self.present, len(self.present)
            while contiguous + 1 < end and present[contiguous + 1]:
                contiguous += 1
            self.contiguous = contiguous
            if self.kept:
                self._apply_through(contiguous - LOOKAHEAD)
        return True

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """A checkpoint whose signature holds: checked against its event now or when it comes."""
        if checkpoint.seq < len(self.present) and self.present[checkpoint.seq]:
            self._check_checkpoint(checkpoint, None)
        else:
            self.awaiting.setdefault(checkpoint.seq, []).append(checkpoint)

    def finish(self) -> None:
        self._apply_through(None)
        for start, end in self._gaps():
            where = f"position {start} is" if start == end else f"positions {start} to {end} are"
            self.fail(
                "gap",
                self.service,
                f"{where} missing: an event was deleted or never published",
                position=start,
                expected=f"an event at position {start}",
                actual="nothing",
            )
        for seq, checkpoints in sorted(self.awaiting.items()):
            for checkpoint in checkpoints:
                self.fail(
                    "truncated",
                    self.service,
                    f"a signed checkpoint covers position {seq}, no longer in the log",
                    position=seq,
                    expected=checkpoint.hash,
                    actual="nothing",
                )

    def _make_room(self, position: int) -> None:
        missing = position + 1 - len(self.present)
        if missing > 0:
            grow = max(missing, len(self.present) // 4)  # amortised, as a list grows
            self.present.extend(bytes(grow))
            self.recorded.extend(bytes(grow * HASH_BYTES))

    def _store(self, position: int, recorded: str) -> None:
        try:
            packed = bytes.fromhex(recorded)
        except ValueError:
            packed = b""
        # fromhex allows spaces and capitals: only 64 small hex digits are kept as bytes.
        if len(packed) != HASH_BYTES or len(recorded) != 2 * HASH_BYTES or not _small(recorded):
            self.odd_hashes[position] = recorded
            packed = hashlib.sha256(recorded.encode(errors="replace")).digest()
        start = position * HASH_BYTES
        self.recorded[start : start + HASH_BYTES] = packed

    def hash_at(self, position: int) -> str:
        if self.odd_hashes:
            odd = self.odd_hashes.get(position)
            if odd is not None:
                return odd
        start = position * HASH_BYTES
        return self.recorded[start : start + HASH_BYTES].hex()

    def _fail_at(self, kind: str, message: str, position: int, event: Digest, **more: Any) -> None:
        """A failure of this chain, at an event's position and place in Kafka."""
        self.fail(
            kind, self.service, message, position=position, location=location_of(event), **more
        )

    def _impossible(self, position: int, event: Digest) -> None:
        """A position no chain of this log can have: before the first, or past the number of
        records the log holds (kept, it would cost memory for every position before it)."""
        if position < 1:
            why = "chains start at 1"
        else:
            why = f"the log holds {self.positions} records, so positions before it are missing"
        self._fail_at(
            "impossible position", f"an event claims position {position}: {why}", position, event
        )

    def _again(self, position: int, event: Digest) -> None:
        known, recorded = self.hash_at(position), event[RECORDED]
        if known == recorded and event[RECOMPUTED] is None:
            # The hash covers the whole event, its id too: the same hash is the same event.
            self.summary.exact_duplicates += 1
            return
        message = f"two different events claim position {position}"
        self._fail_at(
            "conflicting events at one position",
            message,
            position,
            event,
            expected=known,
            actual=recorded,
        )

    def _check_link(self, position: int, expected: str, named: str, event: Digest) -> None:
        if named != expected:
            message = "the event does not name its predecessor's hash: changed or reordered"
            self._fail_at("broken link", message, position, event, expected=expected, actual=named)

    def _check_checkpoint(self, checkpoint: Checkpoint, location: Location | None) -> None:
        recorded = self.hash_at(checkpoint.seq)
        if recorded != checkpoint.hash:
            self.fail(
                "checkpoint mismatch",
                self.service,
                "the signed chain head differs from the event at that position",
                position=checkpoint.seq,
                location=location,
                expected=checkpoint.hash,
                actual=recorded,
            )
            return
        self.summary.checkpoints += 1
        self.summary.signed_through = max(self.summary.signed_through, checkpoint.seq)

    def _apply_through(self, through: int | None) -> None:
        """The rules' verdicts on kept events up to ``through`` (None: all), in chain order."""
        if self.rules is None:
            return
        while self.kept and (through is None or self.kept[0][0] <= through):
            position, kind, data, location = heapq.heappop(self.kept)
            verdict = self.rules.apply(kind, data)
            if verdict is None:
                continue
            if verdict.problem is None:
                if verdict.kind == "decision":
                    self.summary.decisions_rederived += 1
                else:
                    self.summary.commitments_rechecked += 1
                continue
            self.fail(
                RULES_NOT_FOLLOWED,
                self.service,
                verdict.problem,
                position=position,
                location=location,
                expected="what the rules and the log before it give",
                actual=str(data.get("outcome") or kind),
            )

    def _gaps(self) -> Iterator[tuple[int, int]]:
        """Runs of missing positions below the highest, as (first, last)."""
        highest = self.summary.highest_position
        start = self.present.find(0, 1, highest + 1)
        while start != -1:
            end = self.present.find(1, start, highest + 1)
            yield start, end - 1
            start = self.present.find(0, end, highest + 1)


def _small(hex_digits: str) -> bool:
    """No capital letters (``str.lower`` would change nothing)."""
    return hex_digits.islower() or hex_digits.isdigit()
