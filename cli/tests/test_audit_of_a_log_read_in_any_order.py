"""The audit checks each chain as its records arrive, in whatever order Kafka's partitions give
them, keeping a few bytes a position: what it finds must not depend on that order, a cause
must be an event of the log, and a forged position must cost a finding, not the memory for
every position before it."""

from __future__ import annotations

import random
from uuid import uuid4

from inclusion_cli.audit.verify import LogRecord, verify

from .audit_chains import (
    KEYS,
    checkpoint,
    funding_chain,
    log_of,
    placements_chain,
    rechain,
    rehash,
    signed_log,
)


def kinds_and_positions(records: list[LogRecord]) -> list[tuple[str, int | None]]:
    return [(f.kind, f.position) for f in verify(records, KEYS).failures]


def test_a_clean_log_read_backwards_or_shuffled_passes_with_every_decision_rederived() -> None:
    records = signed_log(funding_chain(), placements_chain())
    shuffled = records.copy()
    random.Random(2026).shuffle(shuffled)

    for order in (records, records[::-1], shuffled):
        report = verify(order, KEYS)
        assert report.passed, report.failures
        assert report.chains["funding"].decisions_rederived == 1
        assert report.chains["funding"].commitments_rechecked == 1
        assert report.chains["funding"].signed_through == 5
        assert report.chains["placements"].decisions_rederived == 1


def test_a_changed_link_is_caught_whichever_of_its_two_events_arrives_first() -> None:
    events = funding_chain()
    signed = checkpoint(events)
    events[2]["chainprev"] = "0" * 64
    rehash(events[2])
    records = log_of(events, signed)

    forwards = kinds_and_positions(records)
    backwards = kinds_and_positions(records[::-1])

    assert ("broken link", 3) in forwards
    assert sorted(backwards) == sorted(forwards)


def test_a_run_of_deleted_events_is_one_gap_naming_its_first_and_last_positions() -> None:
    events = funding_chain()
    signed = checkpoint(events)
    del events[1:3]

    report = verify(log_of(events, signed), KEYS)

    gaps = [f for f in report.failures if f.kind == "gap"]
    assert [(gap.position, gap.message.split(" missing")[0]) for gap in gaps] == [
        (2, "positions 2 to 3 are")
    ]


def test_an_event_claiming_a_position_beyond_the_whole_log_is_impossible() -> None:
    events = funding_chain()
    forged = rehash({**events[4], "id": str(uuid4()), "chainseq": 10**12})

    report = verify(log_of([*events, forged]), KEYS)

    assert [(f.kind, f.position) for f in report.failures] == [("impossible position", 10**12)]
    assert report.chains["funding"].highest_position == 5


def test_a_cause_that_is_no_event_of_the_log_is_dangling_and_named_as_written() -> None:
    events = funding_chain()
    missing, unwritten = str(uuid4()), "decision-42"
    events[1]["causationid"] = missing
    events[3]["causationid"] = unwritten
    rechain(events, 1)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    dangling = [(f.kind, f.position, f.expected) for f in report.failures]
    assert dangling == [
        ("dangling causation", 2, f"an event with id {missing}"),
        ("dangling causation", 4, f"an event with id {unwritten}"),
    ]
    assert events[1]["id"] in report.failures[0].message


def test_a_cause_in_another_services_chain_resolves() -> None:
    placements = placements_chain()
    funding = funding_chain()
    funding[4]["causationid"] = placements[0]["id"]
    rechain(funding, 4)

    report = verify(signed_log(funding, placements), KEYS)

    assert report.passed, report.failures
