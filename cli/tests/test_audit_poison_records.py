"""A poison record on a decision topic (bytes no producer of the suite wrote, which consumers
dead-letter) belongs to no chain: the audit names it as a warning and still passes. Garbage in
place of a real event is another matter: the event it replaced is missing, and that fails.

Found by the fault campaign (`make faults`), whose poison messages made every audit fail."""

from __future__ import annotations

from inclusion_cli.audit.verify import LogRecord, Verifier

from .audit_chains import KEYS, funding_chain, signed_log

POISON = b'{"specversion": "1.0", "id": "0f0e", "type": '


def audit(records: list[LogRecord]) -> Verifier:
    verifier = Verifier(KEYS)
    for record in records:
        verifier.read(record)
    verifier.finish()
    return verifier


def test_a_poison_record_among_the_decisions_is_named_but_fails_nothing() -> None:
    log = signed_log(funding_chain())
    topic = log[0].topic
    poisoned = [*log, LogRecord(topic, 0, len(log), POISON)]

    report = audit(poisoned).report

    assert report.passed, report.failures
    assert [(w.kind, w.location.offset if w.location else None) for w in report.warnings] == [
        ("malformed event", len(log))
    ]


def test_garbage_in_place_of_a_decision_still_fails_the_audit() -> None:
    log = signed_log(funding_chain())
    replaced = log[3]
    tampered = [
        *log[:3],
        LogRecord(replaced.topic, replaced.partition, replaced.offset, POISON),
        *log[4:],
    ]

    report = audit(tampered).report

    assert not report.passed
    assert {f.kind for f in report.failures} >= {"gap"}
