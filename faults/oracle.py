"""After the campaign has settled: what was commanded, against what every service stored and what
every topic holds. Nothing answered may be missing, nothing may have taken effect twice, the
first copies of each key's events must be on the wire in commit order, no consumer may have
committed past a record it did not finish (applied, ignored as not its business, or
dead-lettered), no oversized request may have changed anything, and every reaction one service
owes another's event must be there exactly once."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from faults.client import UNANSWERED, Sent
from faults.offsets import handles
from faults.oversized import Oversized
from faults.poison import Poisoned
from faults.stores import HANDLED, Stored, consumed_topics
from faults.tap import Record
from feedback.domain.invitations import FINAL_FUNDING_OUTCOMES
from inclusion_shared.contracts import feedback as feedback_events
from inclusion_shared.contracts import funding as funding_events
from inclusion_shared.contracts import placements as placement_events
from inclusion_shared.contracts import reviews as review_events
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS, DLQ_SUFFIX
from inclusion_shared.events.envelope import CloudEvent
from inclusion_shared.events.registry import CONTRACTS
from inclusion_shared.messaging.consumer import MAX_EVENT_BYTES, consumer_group

MAX_DEAD_LETTER_ATTEMPTS = 3


@dataclass
class Verdict:
    """The oracle's findings: each list names what broke; empty lists mean it held."""

    figures: dict[str, Any] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    missing_reactions: list[str] = field(default_factory=list)
    poison_not_dead_lettered: list[str] = field(default_factory=list)
    offsets_ahead: list[str] = field(default_factory=list)  # sampled while the faults happened
    skipped: list[str] = field(default_factory=list)  # committed past, not finished
    oversized_took_effect: list[str] = field(default_factory=list)
    # What a service did wrong as the faults happened (seen by the injector): not refusing an
    # oversized request, not serving on after them, not ready again after PostgreSQL down.
    during_faults: list[str] = field(default_factory=list)
    not_settled: list[str] = field(default_factory=list)  # what was stuck when judged

    @property
    def failures(self) -> dict[str, list[str]]:
        return {
            name: found
            for name, found in vars(self).items()
            if name != "figures" and isinstance(found, list) and found
        }

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Copy:
    record: Record
    event: dict[str, Any]


class Oracle:
    def __init__(
        self,
        deployment: str,
        records: Iterable[Record],
        stored: Mapping[str, Stored],
        sent: list[Sent],
        poisons: list[Poisoned],
        committed: Mapping[str, Mapping[tuple[str, int], int]],
        oversized: Sequence[Oversized] = (),
    ) -> None:
        self.deployment = deployment
        self.oversized = oversized
        self.source_prefix = f"/inclusion/{deployment}/"
        self.stored = stored
        self.sent = sent
        self.poisons = poisons
        self.committed = committed
        self.verdict = Verdict()
        self.stalls: list[dict[str, Any]] = []  # per poison and consumer: when it moved on
        self.events: list[Copy] = []  # the suite's events of this deployment, log order
        self.dead_letters: list[Record] = []
        self.records = sorted(records, key=lambda r: (r.topic, r.partition, r.offset))
        for record in self.records:
            if record.topic.endswith(DLQ_SUFFIX):
                self.dead_letters.append(record)
            elif record.topic != AUDIT_CHECKPOINTS.name:
                event = record.event()
                source = str(event.get("source", "")) if event else ""
                if event is not None and source.startswith(self.source_prefix):
                    self.events.append(Copy(record, event))
        self.copies: dict[str, list[Copy]] = defaultdict(list)
        for copy in self.events:
            self.copies[str(copy.event["id"])].append(copy)

    def judge(self) -> Verdict:
        self._published_as_stored()
        self._commands()
        self._consumed_once()
        self._reactions()
        self._order()
        self._skipped()
        self._poisons()
        self._oversized()
        return self.verdict

    # --- stored against published ------------------------------------------------------------

    def _published_as_stored(self) -> None:
        outbox_ids: set[str] = set()
        for service, stored in self.stored.items():
            for row in stored.outbox:
                outbox_ids.add(row["id"])
                copies = self.copies.get(row["id"], [])
                if not copies:
                    self.verdict.unpublished.append(f"{service} #{row['seq']} {row['type']}")
                elif any(copy.record.value != row["payload"] for copy in copies):
                    self.verdict.unpublished.append(f"{service} #{row['seq']}: altered on the wire")
                if row["seq"] not in stored.delivered:
                    self.verdict.unpublished.append(f"{service} #{row['seq']}: not recorded")
        phantoms = [event_id for event_id in self.copies if event_id not in outbox_ids]
        self.verdict.unpublished += [
            f"{event_id}: on the wire, in no outbox" for event_id in phantoms
        ]
        figures = self.verdict.figures
        figures["events_stored"] = len(outbox_ids)
        figures["events_published"] = len(self.copies)
        figures["records_on_the_wire"] = len(self.events)
        figures["duplicates_on_the_wire"] = len(self.events) - len(self.copies)

    # --- commands ------------------------------------------------------------------------------

    def _commands(self) -> None:
        by_correlation: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for service, stored in self.stored.items():
            for row in stored.outbox:
                if row["causation"] is None and row["correlation"]:
                    by_correlation[(service, row["correlation"])].append(row)
        statuses = Counter(command.status for command in self.sent)
        silent: Counter[str] = Counter()
        for command in self.sent:
            name = f"{command.method} {command.path} ({command.kind})"
            events = by_correlation.get((command.service, command.correlation), [])
            transactions = {row["transaction"] for row in events}
            answered = self.stored[command.service].answered.get((command.subject, command.key))
            if command.applied:
                if answered is None:
                    self.verdict.lost.append(f"{name}: answered {command.http_status}, not stored")
                elif not events:
                    silent[command.kind] += 1
                if len(transactions) > 1:
                    self.verdict.doubled.append(f"{name}: applied {len(transactions)} times")
            elif command.status != UNANSWERED and (events or answered is not None):
                self.verdict.doubled.append(f"{name}: refused ({command.status}) yet took effect")
        # A kind of command that emits events when applied, applied once without any: its
        # events were lost (kinds that only change state, like a survey's draft, emit none).
        emitting = Counter(c.kind for c in self.sent if c.applied) - silent
        for kind, count in silent.items():
            if emitting[kind]:
                self.verdict.lost.append(f"{count} of {kind} applied without their events")
        figures = self.verdict.figures
        figures["commands_sent"] = len(self.sent)
        figures["commands_by_outcome"] = dict(statuses)
        figures["commands_unanswered"] = statuses[UNANSWERED]
        refused = Counter(
            f"{c.kind} {c.http_status} {c.problem}" for c in self.sent if not c.applied
        )
        figures["commands_not_applied"] = dict(refused.most_common(15))
        figures["commands_resent"] = sum(command.attempts - 1 for command in self.sent)
        figures["commands_answered_5xx_then_resent"] = sum(c.server_errors for c in self.sent)
        figures["commands_applied_without_events_by_kind"] = dict(silent)
        figures["commands_by_service"] = dict(Counter(command.service for command in self.sent))

    # --- consumed events: each in the inbox once, its effects in one transaction -------------

    def _consumed_once(self) -> None:
        absorbed = 0
        letters = self.letters()
        for service in HANDLED:
            stored = self.stored[service]
            group = consumer_group(self.deployment, service)
            for event_id, copies in self.copies.items():
                if not handles(service, self.deployment, copies[0].record):
                    continue
                absorbed += len(copies) - 1
                if event_id not in stored.inbox:
                    why = [
                        letter.headers.get("dlq-error", b"").decode(errors="replace")
                        for c in copies
                        for letter in letters.get(
                            (c.record.topic, c.record.partition, c.record.offset, group), []
                        )
                    ]
                    self.verdict.lost.append(
                        f"{service} never took {copies[0].event['type']} {event_id}"
                        + (f" (dead-lettered: {why[0][:200]})" if why else "")
                    )
            reactions: dict[str, set[float]] = defaultdict(set)
            for row in stored.outbox:
                if row["causation"]:
                    reactions[row["causation"]].add(row["transaction"])
            for cause, transactions in reactions.items():
                if len(transactions) > 1:
                    self.verdict.doubled.append(
                        f"{service} reacted to {cause} in {len(transactions)} transactions"
                    )
        self.verdict.figures["wire_duplicates_absorbed_by_inboxes"] = absorbed

    # --- the reactions each service owes another's events ------------------------------------

    def _reactions(self) -> None:
        first = {event_id: copies[0].event for event_id, copies in self.copies.items()}
        caused: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for event in first.values():
            if event.get("causationid"):
                caused[(str(event["causationid"]), str(event["type"]))].append(event)
        awards: dict[tuple[str, str], set[str]] = defaultdict(set)
        for event in first.values():
            data = event.get("data") or {}
            if (
                event["type"] == funding_events.DECISION_RECORDED.type
                and data.get("outcome") == "awarded"
            ):
                awards[(data["child_id"], data["setting_id"])].add(data["decision_id"])
        checked: Counter[str] = Counter()
        invitation = feedback_events.INVITATION_ISSUED.type
        for event_id, event in first.items():
            kind, data = event["type"], event.get("data") or {}
            expected: tuple[str, int] | None = None
            if kind in (
                placement_events.PLACEMENT_STARTED.type,
                review_events.FOLLOW_UP_COMPLETED.type,
            ):
                expected = (invitation, 1)
            elif kind == funding_events.DECISION_RECORDED.type:
                expected = (invitation, int(data.get("outcome") in FINAL_FUNDING_OUTCOMES))
            elif kind == placement_events.PLACEMENT_ENDED.type and data.get("left_early_years"):
                owed = len(awards.get((data["child_id"], data["setting_id"]), ()))
                expected = (funding_events.AWARD_ENDED.type, owed)
            if expected is None:
                continue
            reaction, times = expected
            found = caused.get((event_id, reaction), [])
            checked[f"{kind} -> {reaction}"] += 1
            if len(found) != times:
                self.verdict.missing_reactions.append(
                    f"{kind} {event_id}: {len(found)} of {reaction}, expected {times}"
                )
        self.verdict.figures["reactions_checked"] = dict(checked)

    # --- per-key order on the wire ----------------------------------------------------------

    def _order(self) -> None:
        """The first copy of each event comes after the first copies of the events committed
        before it with the same key (a chain's position is its commit order); later copies,
        re-published after a failure, are what inboxes absorb."""
        seen: set[str] = set()
        last: dict[tuple[str, bytes | None, str], int] = {}
        for copy in self.events:
            event_id = str(copy.event["id"])
            if event_id in seen:
                continue
            seen.add(event_id)
            key = (copy.record.topic, copy.record.key, str(copy.event.get("source")))
            position = int(copy.event["chainseq"])
            if position <= last.get(key, 0):
                self.verdict.out_of_order.append(
                    f"{key[0]} key {key[1]!r} ({copy.event.get('subject')}): #{position} "
                    f"after #{last[key]}"
                )
            last[key] = max(position, last.get(key, 0))
        self.verdict.figures["keys_checked_for_order"] = len(last)

    # --- committed offsets, as they stand at the end ----------------------------------------

    def _skipped(self) -> None:
        """Every record of a consumed topic below its consumer group's committed offset was
        finished by that consumer: its event in the inbox, a well-formed event it may ignore
        (not its business, or another deployment's), or a dead letter it wrote."""
        dead_lettered = set(self.letters())
        checked: Counter[str] = Counter()
        for service, offsets in self.committed.items():
            group = consumer_group(self.deployment, service)
            inbox = self.stored[service].inbox
            topics = consumed_topics(service)
            for record in self.records:
                where = (record.topic, record.partition, record.offset)
                if record.topic not in topics or record.offset >= offsets.get(where[:2], 0):
                    continue
                checked[service] += 1
                if (*where, group) in dead_lettered:
                    continue
                if handles(service, self.deployment, record):
                    event = record.event()
                    if event is not None and str(event["id"]) in inbox:
                        continue
                elif _takes_as_an_event(record.value):
                    continue  # parsed, and ignored: finished
                self.verdict.skipped.append(
                    f"{group} committed {record.topic}[{record.partition}]@"
                    f"{offsets[where[:2]]} past offset {record.offset}, which it never finished"
                )
        self.verdict.figures["records_checked_below_committed_offsets"] = dict(checked)

    # --- poison messages ---------------------------------------------------------------------

    def poisons_outstanding(self) -> bool:
        """Some poison is not yet dead-lettered by some consumer of its topic."""
        self._poisons()
        return bool(self.verdict.poison_not_dead_lettered)

    def letters(self) -> dict[tuple[str, int, int, str], list[Record]]:
        """The dead letters by origin: (topic, partition, offset, consumer group)."""
        letters: dict[tuple[str, int, int, str], list[Record]] = defaultdict(list)
        for letter in self.dead_letters:
            h = letter.headers
            try:
                origin = (
                    h["dlq-origin-topic"].decode(),
                    int(h["dlq-origin-partition"]),
                    int(h["dlq-origin-offset"]),
                    h["dlq-consumer"].decode(),
                )
            except (KeyError, ValueError):
                continue
            letters[origin].append(letter)
        return letters

    def _poisons(self) -> None:
        self.verdict.poison_not_dead_lettered = []
        letters = self.letters()
        stalls: list[dict[str, Any]] = []
        for poison in self.poisons:
            for service in HANDLED:
                if poison.topic not in consumed_topics(service):
                    continue
                group = consumer_group(self.deployment, service)
                found = letters.get((poison.topic, poison.partition, poison.offset, group), [])
                name = f"{poison.kind} {poison.topic}[{poison.partition}]@{poison.offset} ({group})"
                if not found:
                    self.verdict.poison_not_dead_lettered.append(f"{name}: not dead-lettered")
                    continue
                attempts = min(int(letter.headers.get("dlq-attempts", b"99")) for letter in found)
                if attempts > MAX_DEAD_LETTER_ATTEMPTS:
                    self.verdict.poison_not_dead_lettered.append(f"{name}: {attempts} attempts")
                stalls.append(
                    {
                        "poison": name,
                        "service": service,
                        "produced_at": poison.produced_at,
                        "dead_lettered_at": min(letter.timestamp for letter in found),
                        "attempts": attempts,
                    }
                )
        figures = self.verdict.figures
        figures["poison_messages"] = dict(Counter(p.kind for p in self.poisons))
        figures["dead_letters"] = len(self.dead_letters)
        self.stalls = stalls

    # --- oversized requests ------------------------------------------------------------------

    def _oversized(self) -> None:
        """No oversized request took effect: its Idempotency-Key was never answered, and no
        event carries its correlation."""
        correlations = {
            (service, row["correlation"])
            for service, stored in self.stored.items()
            for row in stored.outbox
        }
        for request in self.oversized:
            stored = self.stored.get(request.service)
            if stored is None:
                continue
            name = (
                f"{request.method} {request.path} to {request.service} "
                f"({'streamed' if request.streamed else 'announced'}, answered {request.status})"
            )
            if (request.subject, request.key) in stored.answered:
                self.verdict.oversized_took_effect.append(f"{name}: its key was answered")
            if (request.service, request.correlation) in correlations:
                self.verdict.oversized_took_effect.append(f"{name}: its events are in the outbox")
        figures = self.verdict.figures
        figures["oversized_requests"] = len(self.oversized)
        figures["oversized_requests_refused"] = sum(r.refused for r in self.oversized)


def _takes_as_an_event(value: bytes) -> bool:
    """The consumers would parse the record as an event (not too large, a CloudEvent of a type
    a contract declares, its data as the contract says), so they may ignore it."""
    if len(value) > MAX_EVENT_BYTES:
        return False
    try:
        event = CloudEvent.from_bytes(value)
        if event.type not in CONTRACTS:
            return False
        CONTRACTS[event.type].data_model.model_validate(event.data)
    except ValidationError:
        return False
    return True
