"""The hash chain catches any edit to the decision log: changed bytes, gaps and reordering."""

from __future__ import annotations

import copy
from typing import Any

from inclusion_shared.events.chain import event_hash, verify_chain
from inclusion_shared.events.envelope import GENESIS_HASH


def chain_of(count: int) -> list[dict[str, Any]]:
    events, previous = [], GENESIS_HASH
    for seq in range(1, count + 1):
        event: dict[str, Any] = {
            "id": f"00000000-0000-0000-0000-{seq:012d}",
            "type": "funding.decision.recorded",
            "data": {"outcome": "approved", "band": 3, "amount_pence": 1_250_000},
            "chainseq": seq,
            "chainprev": previous,
        }
        event["chainhash"] = previous = event_hash(event)
        events.append(event)
    return events


def test_an_untouched_log_verifies() -> None:
    assert verify_chain(chain_of(5)) is None


def test_a_changed_amount_in_a_decision_is_caught_at_that_event() -> None:
    events = chain_of(5)
    events[2]["data"]["amount_pence"] = 9_999_999

    found = verify_chain(events)

    assert found is not None
    assert (found.position, found.problem) == (3, "hash mismatch")


def test_a_changed_decision_with_a_recomputed_hash_breaks_the_next_link() -> None:
    events = chain_of(5)
    events[1]["data"]["outcome"] = "declined"
    events[1]["chainhash"] = event_hash(events[1])

    found = verify_chain(events)

    assert found is not None
    assert (found.position, found.problem) == (3, "broken link")


def test_a_deleted_event_leaves_a_gap() -> None:
    events = chain_of(5)
    del events[3]

    found = verify_chain(events)

    assert found is not None
    assert (found.position, found.problem, found.actual) == (4, "gap or reorder", "5")


def test_reordered_events_are_caught() -> None:
    events = chain_of(4)
    events[1], events[2] = events[2], events[1]

    found = verify_chain(events)

    assert found is not None
    assert found.problem == "gap or reorder"


def test_hash_ignores_key_order_but_not_values() -> None:
    event = chain_of(1)[0]
    reordered = dict(reversed(list(event.items())))
    changed = copy.deepcopy(event)
    changed["data"]["band"] = 4

    assert event_hash(reordered) == event_hash(event)
    assert event_hash(changed) != event_hash(event)
