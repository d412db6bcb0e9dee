"""The campaign's oracle must be able to say no: on a small world built by hand (a placement
start commanded once, published, taken by every consumer, answered by feedback's invitation) it
finds nothing wrong, and it names each way that world can be broken."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from faults.client import Sent
from faults.oracle import Oracle, Verdict
from faults.poison import Poisoned
from faults.services import SERVICES
from faults.stores import Stored
from faults.tap import Record
from inclusion_shared.contracts import feedback as feedback_events
from inclusion_shared.contracts import placements as placement_events

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
    ) -> dict[str, Any]:
        stored = self.stored[service]
        seq = len(stored.outbox) + 1
        event = {
            "id": str(uuid4()),
            "type": contract.type,
            "source": f"/inclusion/{DEPLOYMENT}/{service}",
            "subject": subject,
            "chainseq": seq,
            "correlationid": correlation,
            "causationid": cause,
            "data": {},
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

    def publish(self, topic: str, value: bytes) -> Record:
        offset = sum(1 for r in self.records if r.topic == topic)
        record = Record(topic, 0, offset, 0.0, b"key", value, {})
        self.records.append(record)
        return record

    def taken_by_every_consumer(self, event: dict[str, Any]) -> None:
        for service in ("funding", "feedback", "monitoring"):
            self.stored[service].inbox[event["id"]] = {}

    def judge(self) -> Verdict:
        return Oracle(DEPLOYMENT, self.records, self.stored, self.sent, self.poisons, {}).judge()


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
