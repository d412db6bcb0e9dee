"""The campaign's oracle must be able to say no: on a small world built by hand (a placement
start commanded once, published, taken by every consumer, answered by feedback's invitation) it
finds nothing wrong, and it names each way that world can be broken: lost, doubled, out of
order, skipped past, an oversized request that took effect."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from uuid import uuid4

from faults.client import Sent, correlation_of
from faults.oracle import Oracle, Verdict
from faults.oversized import TOO_LARGE, Oversized
from faults.poison import Poisoned
from faults.services import SERVICES
from faults.stores import Stored
from faults.tap import Record
from inclusion_shared.contracts import feedback as feedback_events
from inclusion_shared.contracts import placements as placement_events
from inclusion_shared.events.catalogue import DLQ_SUFFIX
from inclusion_shared.messaging.consumer import consumer_group

DEPLOYMENT = "oracle-test"
STARTED = placement_events.PLACEMENT_STARTED
INVITED = feedback_events.INVITATION_ISSUED


class World:
    """Events, what each service stored of them, and the commands that caused them."""

    def __init__(self) -> None:
        self.stored = {name: Stored(name) for name in SERVICES}
        self.records: list[Record] = []
        self.sent: list[Sent] = []
        self.poisons: list[Poisoned] = []
        self.committed: dict[str, dict[tuple[str, int], int]] = {}
        self.oversized: list[Oversized] = []

    def command(self, service: str, key: str, applied: bool = True) -> str:
        correlation = str(uuid4())
        self.sent.append(
            Sent(service, "POST", "/placements", "placement.started", "officer", key,
                 correlation, "done" if applied else "failed", 201 if applied else 409, 1,
                 0.0, 0.0)
        )  # fmt: skip
        if applied:
            self.stored[service].answered[("officer", key)] = 201
        return correlation

    def event(
        self,
        service: str,
        contract: Any,
        subject: str,
        correlation: str,
        cause: str | None = None,
        transaction: float = 1.0,
        publish: bool = True,
        data: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        stored = self.stored[service]
        seq = len(stored.outbox) + 1
        event = {
            "specversion": "1.0",
            "id": str(uuid4()),
            "type": contract.type,
            "source": f"/inclusion/{DEPLOYMENT}/{service}",
            "subject": subject,
            "time": "2026-12-01T09:00:00Z",
            "dataschema": f"https://example.org/{contract.type}",
            "chainseq": seq,
            "chainprev": "0" * 64,
            "chainhash": "1" * 64,
            "actorrole": "officer",
            "actorid": "officer-1",
            "correlationid": correlation,
            "causationid": cause,
            "data": data or {},
        }
        payload = json.dumps(event).encode()
        stored.outbox.append(
            {"seq": seq, "id": event["id"], "type": contract.type, "topic": contract.topic.name,
             "key": subject, "payload": payload, "transaction": transaction,
             "correlation": correlation, "causation": cause, "data": {}}
        )  # fmt: skip
        stored.delivered[seq] = (0, seq - 1)
        if publish:
            self.publish(contract.topic.name, payload)
        return event

    def publish(self, topic: str, value: bytes, headers: dict[str, bytes] | None = None) -> Record:
        offset = sum(1 for r in self.records if r.topic == topic)
        record = Record(topic, 0, offset, 0.0, b"key", value, headers or {})
        self.records.append(record)
        return record

    def dead_letter(self, record: Record, service: str, error: bytes = b"poison") -> None:
        self.publish(
            record.topic + DLQ_SUFFIX,
            record.value,
            {
                "dlq-origin-topic": record.topic.encode(),
                "dlq-origin-partition": str(record.partition).encode(),
                "dlq-origin-offset": str(record.offset).encode(),
                "dlq-consumer": consumer_group(DEPLOYMENT, service).encode(),
                "dlq-attempts": b"1",
                "dlq-error": error,
            },
        )

    def commit_everything(self, service: str) -> None:
        """The service's group has committed past every record of the topic so far."""
        topic = STARTED.topic.name
        self.committed[service] = {(topic, 0): sum(1 for r in self.records if r.topic == topic)}

    def taken_by_every_consumer(self, event: dict[str, Any]) -> None:
        for service in ("funding", "feedback", "monitoring"):
            self.stored[service].inbox[event["id"]] = {}

    def judge(self) -> Verdict:
        return Oracle(
            DEPLOYMENT,
            self.records,
            self.stored,
            self.sent,
            self.poisons,
            self.committed,
            self.oversized,
        ).judge()


def a_placement_and_its_invitation(world: World) -> dict[str, Any]:
    correlation = world.command("placements", "start-1")
    started = world.event("placements", STARTED, "placement-1", correlation)
    world.taken_by_every_consumer(started)
    world.event("feedback", INVITED, "invitation-1", correlation, cause=started["id"])
    return started


def test_a_world_where_everything_happened_once_passes() -> None:
    world = World()
    a_placement_and_its_invitation(world)

    verdict = world.judge()

    assert verdict.passed, verdict.failures
    assert verdict.figures["reactions_checked"] == {f"{STARTED.type} -> {INVITED.type}": 1}


def test_a_command_applied_in_two_transactions_is_doubled() -> None:
    world = World()
    started = a_placement_and_its_invitation(world)
    world.event("placements", STARTED, "placement-1", started["correlationid"], transaction=2.0)

    assert world.judge().doubled


def test_an_answered_command_the_service_never_stored_is_lost() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    world.stored["placements"].answered.clear()

    assert world.judge().lost


def test_an_event_stored_but_never_published_is_caught() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    world.event("placements", STARTED, "placement-2", world.command("placements", "k2"),
                publish=False)  # fmt: skip

    assert world.judge().unpublished


def test_a_missing_invitation_is_a_missing_reaction() -> None:
    world = World()
    correlation = world.command("placements", "start-1")
    started = world.event("placements", STARTED, "placement-1", correlation)
    world.taken_by_every_consumer(started)

    assert world.judge().missing_reactions


def test_an_event_a_consumer_never_took_is_lost() -> None:
    world = World()
    started = a_placement_and_its_invitation(world)
    del world.stored["funding"].inbox[started["id"]]

    assert world.judge().lost


def test_an_event_its_consumer_dead_lettered_is_lost_and_says_why() -> None:
    world = World()
    started = a_placement_and_its_invitation(world)
    del world.stored["monitoring"].inbox[started["id"]]
    record = next(
        r for r in world.records if r.value == world.stored["placements"].outbox[0]["payload"]
    )
    world.dead_letter(record, "monitoring", error=b"QueryCanceledError('statement timeout')")

    lost = world.judge().lost

    assert lost == [
        f"monitoring never took {STARTED.type} {started['id']} "
        "(dead-lettered: QueryCanceledError('statement timeout'))"
    ]


def test_an_aggregate_published_out_of_chain_order_is_caught() -> None:
    world = World()
    correlation = world.command("placements", "start-1")
    first = world.event("placements", STARTED, "placement-1", correlation, publish=False)
    second = world.event("placements", STARTED, "placement-1", correlation)
    world.publish(STARTED.topic.name, world.stored["placements"].outbox[0]["payload"])
    for event in (first, second):
        world.taken_by_every_consumer(event)

    assert world.judge().out_of_order


def test_a_poison_message_nobody_dead_lettered_is_caught() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    poison = world.publish(STARTED.topic.name, b"{not json")
    world.poisons.append(Poisoned("malformed-json", poison.topic, 0, poison.offset, 0.0))

    assert world.judge().poison_not_dead_lettered


def test_a_copy_published_again_later_is_not_out_of_order() -> None:
    world = World()
    started = a_placement_and_its_invitation(world)
    second = world.event("placements", STARTED, "placement-1", started["correlationid"],
                         transaction=2.0)  # fmt: skip
    world.taken_by_every_consumer(second)
    world.sent.append(replace(world.sent[0], key="start-2", correlation=second["correlationid"]))
    world.publish(STARTED.topic.name, world.stored["placements"].outbox[0]["payload"])

    verdict = world.judge()

    assert not verdict.out_of_order, verdict.out_of_order


def test_an_event_committed_past_that_its_consumer_never_took_is_skipped() -> None:
    world = World()
    started = a_placement_and_its_invitation(world)
    world.commit_everything("funding")
    del world.stored["funding"].inbox[started["id"]]

    assert world.judge().skipped


def test_a_poison_committed_past_without_a_dead_letter_is_skipped() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    poison = world.publish(STARTED.topic.name, b"{not json")
    world.dead_letter(poison, "feedback")  # another consumer's dead letter does not count
    world.commit_everything("funding")

    assert world.judge().skipped


def test_records_committed_past_once_applied_ignored_or_dead_lettered_are_not_skipped() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    declined = {"offer_id": "o-1", "request_id": "r-1", "child_id": "child-4b8669e033ccb7794915",
                "setting_id": "s-1", "declined_on": "2026-12-01",
                "reason": "family-preference"}  # fmt: skip
    ignored = world.command("placements", "decline-1")
    world.event("placements", placement_events.OFFER_DECLINED, "r-1", ignored, data=declined)
    poison = world.publish(STARTED.topic.name, b"{not json")
    world.poisons.append(Poisoned("malformed-json", poison.topic, 0, poison.offset, 0.0))
    for service in ("funding", "feedback", "monitoring"):
        world.dead_letter(poison, service)
        world.commit_everything(service)

    verdict = world.judge()

    assert not verdict.skipped, verdict.skipped
    assert verdict.figures["records_checked_below_committed_offsets"] == {
        "funding": 3,
        "feedback": 3,
        "monitoring": 3,
    }


def oversized(world: World, status: int) -> Oversized:
    key = f"{DEPLOYMENT}:oversized-1"
    request = Oversized("placements", "POST", "/settings", True, "officer", key,
                        str(correlation_of(key)), status, TOO_LARGE if status == 413 else None,
                        0.0, 0.1)  # fmt: skip
    world.oversized.append(request)
    return request


def test_an_oversized_request_refused_and_without_effect_passes() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    oversized(world, 413)

    verdict = world.judge()

    assert verdict.passed, verdict.failures
    assert verdict.figures["oversized_requests_refused"] == 1


def test_an_oversized_request_that_took_effect_is_caught() -> None:
    world = World()
    a_placement_and_its_invitation(world)
    request = oversized(world, 201)
    world.stored["placements"].answered[(request.subject, request.key)] = 201
    world.event("placements", placement_events.SETTING_REGISTERED, "setting-9",
                request.correlation)  # fmt: skip

    assert len(world.judge().oversized_took_effect) == 2
