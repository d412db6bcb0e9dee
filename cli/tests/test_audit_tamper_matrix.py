"""The auditor's tool against a tampered decision log: each kind of tampering is caught with
the right diagnosis, and a clean log passes with no false alarms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any
from uuid import uuid4

import pytest

from funding.domain.hnf_application import HighNeedsApplication
from funding.domain.hnf_decision import Proposal, ProposeApproval, decide_hnf
from funding.domain.hnf_eligibility import evaluate_hnf
from funding.domain.panel import Panel, PanelMember, PanelRole, Vote, VoteChoice
from funding.domain.policy import load_policy
from funding.handlers.hnf import auditable_record, rationale_digest
from inclusion_cli.audit.verify import LogRecord, verify
from inclusion_shared.audit.checkpoints import audit_public_key, generate_audit_key, sign
from inclusion_shared.contracts.funding import (
    BUDGET_SET,
    DECISION_RECORDED,
    POLICY_PUBLISHED,
    BudgetSet,
    DecisionRecorded,
    PolicyPublished,
)
from inclusion_shared.events.catalogue import AUDIT_CHECKPOINTS
from inclusion_shared.events.chain import event_hash
from inclusion_shared.events.envelope import GENESIS_HASH, Actor
from inclusion_shared.events.registry import CONTRACTS
from inclusion_shared.persistence.outbox import Cause, NewEvent, Outbox

SIGNING_KEY = generate_audit_key()
KEYS = {"funding": audit_public_key(SIGNING_KEY)}
POLICY = load_policy(
    json.loads(resources.files("funding").joinpath("policies/kent-example-2026.1.json").read_text())
)
DECIDED_ON = date(2026, 10, 5)


def approved_decision() -> DecisionRecorded:
    app = HighNeedsApplication.model_validate(
        {
            "application_id": "hnf-1",
            "child_id": "child-7f3a",
            "setting_id": "school-0042",
            "setting_type": "mainstream",
            "district": "thanet",
            "phase": "primary",
            "has_ehcp": True,
            "sen_support_severe_and_complex": False,
            "on_roll_full_time": True,
            "normally_available_resources_used": True,
            "matches_mainstream_core_standards": True,
            "needs_reports": ["doc-1"],
            "provision_plans": [
                {"document_id": "plan-1", "dated": "2026-01-12"},
                {"document_id": "plan-2", "dated": "2026-05-18"},
            ],
            "staff_trained_on": "2025-06-30",
            "costed_provision_pence": 1_450_000,
            "requested_band": 3,
        }
    )
    members = (
        PanelMember(member_id="officer-1", role=PanelRole.KCC_OFFICER),
        PanelMember(member_id="senco-2", role=PanelRole.SENCO),
        PanelMember(member_id="head-3", role=PanelRole.HEADTEACHER),
    )
    proposal = Proposal(
        decision_id="dec-1",
        outcome=ProposeApproval(band=3, start_on=date(2026, 11, 1), review_on=date(2027, 10, 31)),
        rationale="daily individual support is needed",
        votes=tuple(Vote(member_id=m.member_id, choice=VoteChoice.FOR) for m in members),
    )
    decision = decide_hnf(
        app,
        evaluate_hnf(app, POLICY, DECIDED_ON),
        Panel(panel_id="panel-1", members=members),
        proposal,
        POLICY,
    )
    return DecisionRecorded(
        decision_id="dec-1",
        application_id="hnf-1",
        scheme="hnf",
        child_id=app.child_id,
        setting_id=app.setting_id,
        district=app.district,
        area="east-kent",
        outcome="approved",
        band=3,
        annual_amount_pence=900_000,
        policy_version=POLICY.version,
        decided_on=DECIDED_ON,
        rationale_sha256=rationale_digest(proposal.rationale),
        record=auditable_record(decision),
    )


def chain_of_events() -> list[dict[str, Any]]:
    """The funding service's events as its outbox seals them, as wire dictionaries."""
    outbox = Outbox("funding")
    news = [
        NewEvent(POLICY_PUBLISHED.type, POLICY.version, PolicyPublished(
            version=POLICY.version, effective_from=POLICY.effective_from, label=POLICY.label,
            document=POLICY.model_dump(mode="json"))),
        NewEvent(BUDGET_SET.type, "east-kent:2026-27", BudgetSet(
            area="east-kent", financial_year="2026-27", annual_amount_pence=5_000_000)),
        NewEvent(DECISION_RECORDED.type, "dec-1", approved_decision()),
        NewEvent(BUDGET_SET.type, "east-kent:2026-27", BudgetSet(
            area="east-kent", financial_year="2026-27", annual_amount_pence=6_000_000)),
    ]  # fmt: skip
    events, previous = [], GENESIS_HASH
    cause = Cause(correlation_id=uuid4(), actor=Actor(role="kcc-officer", id="officer-1"))
    for seq, new in enumerate(news, start=1):
        event = outbox.seal(new, cause, seq, previous, datetime.now(UTC), None)
        previous = event.chainhash
        events.append(event.to_wire())
    return events


def checkpoint(events: list[dict[str, Any]], key: bytes = SIGNING_KEY) -> bytes:
    head = events[-1]
    return sign(key, "kent/funding", head["chainseq"], head["chainhash"]).to_bytes()


def log_of(events: list[dict[str, Any]], *checkpoints: bytes) -> list[LogRecord]:
    records = [
        LogRecord(
            CONTRACTS[event["type"]].topic.name,
            0,
            offset,
            json.dumps(event, separators=(",", ":")).encode(),
        )
        for offset, event in enumerate(events)
    ]
    records += [LogRecord(AUDIT_CHECKPOINTS.name, 0, n, raw) for n, raw in enumerate(checkpoints)]
    return records


def rehash(event: dict[str, Any]) -> dict[str, Any]:
    event["chainhash"] = event_hash(event)
    return event


def first(records: list[LogRecord], keys: dict[str, bytes] = KEYS) -> tuple[str, int | None]:
    report = verify(records, keys)
    assert not report.passed
    assert report.first_divergence is not None
    return report.first_divergence.kind, report.first_divergence.position


def test_a_clean_log_passes_with_no_false_alarms() -> None:
    events = chain_of_events()

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.passed, report.failures
    assert report.warnings == []
    chain = report.chains["funding"]
    assert (chain.events, chain.signed_through, chain.decisions_rederived) == (4, 4, 1)
    assert report.decisions_by_district == {"thanet": 1}


def test_an_exact_redelivery_is_tolerated() -> None:
    events = chain_of_events()
    records = log_of(events, checkpoint(events))

    report = verify([*records, records[2]._replace(offset=99)], KEYS)

    assert report.passed
    assert report.chains["funding"].exact_duplicates == 1


def test_a_flipped_byte_in_a_decisions_data_is_a_hash_mismatch() -> None:
    events = chain_of_events()
    records = log_of(events, checkpoint(events))
    altered = records[2].value.replace(b'"band":3', b'"band":4', 1)
    assert altered != records[2].value

    assert first([*records[:2], records[2]._replace(value=altered), *records[3:]]) == (
        "hash mismatch",
        3,
    )


def test_changed_data_with_a_recomputed_hash_breaks_the_next_link() -> None:
    events = chain_of_events()
    signed = checkpoint(events)
    events[1]["data"]["annual_amount_pence"] = 50_000_000
    rehash(events[1])

    assert first(log_of(events, signed)) == ("broken link", 3)


def test_a_deleted_event_leaves_a_gap() -> None:
    events = chain_of_events()
    signed = checkpoint(events)
    del events[1]

    assert first(log_of(events, signed)) == ("gap", 2)


def test_reordered_events_break_their_links() -> None:
    events = chain_of_events()
    signed = checkpoint(events)
    events[0]["chainseq"], events[1]["chainseq"] = 2, 1
    events[0]["chainprev"], events[1]["chainprev"] = events[1]["chainprev"], events[0]["chainprev"]
    rehash(events[1])
    rehash(events[0])

    assert first(log_of(events, signed))[0] == "broken link"


def test_a_conflicting_duplicate_is_a_fork() -> None:
    events = chain_of_events()
    rival = rehash(
        {**events[3], "id": str(uuid4()), "data": {**events[3]["data"], "annual_amount_pence": 1}}
    )

    assert first(log_of([*events, rival], checkpoint(events))) == (
        "conflicting events at one position",
        4,
    )


def test_a_truncated_tail_is_caught_by_the_signed_checkpoint() -> None:
    events = chain_of_events()

    assert first(log_of(events[:2], checkpoint(events))) == ("truncated", 4)


def test_a_forged_event_after_the_last_checkpoint_is_an_unsigned_tail_not_verified() -> None:
    events = chain_of_events()
    signed = checkpoint(events)
    forged = rehash({
        **events[3], "id": str(uuid4()), "chainseq": 5, "chainprev": events[3]["chainhash"],
    })  # fmt: skip

    report = verify(log_of([*events, forged], signed), KEYS)

    assert report.chains["funding"].signed_through == 4
    assert [(w.kind, w.position) for w in report.warnings] == [("unsigned tail", 5)]


def test_a_forged_event_with_a_checkpoint_signed_by_another_key_fails() -> None:
    events = chain_of_events()
    forged = rehash(
        {**events[3], "id": str(uuid4()), "chainseq": 5, "chainprev": events[3]["chainhash"]}
    )

    records = log_of(
        [*events, forged], checkpoint(events), checkpoint([*events, forged], generate_audit_key())
    )

    assert first(records) == ("bad signature", 5)


def test_the_wrong_public_key_fails_every_checkpoint() -> None:
    events = chain_of_events()

    wrong = {"funding": audit_public_key(generate_audit_key())}

    assert first(log_of(events, checkpoint(events)), wrong) == ("bad signature", 4)


@pytest.mark.parametrize(
    ("outcome_change", "diagnosis"),
    [
        ({"annual_amount_pence": 1_800_000}, "the recorded outcome is not what the rules give"),
        ({"band": 5}, "the recorded outcome is not what the rules give"),
    ],
)
def test_a_decision_whose_recorded_outcome_its_rules_do_not_give_fails(
    outcome_change: dict[str, Any], diagnosis: str
) -> None:
    events = chain_of_events()
    decision = events[2]["data"]
    decision["record"]["outcome"].update(outcome_change)
    decision.update(outcome_change)
    rehash(events[2])
    for later in events[3:]:  # a service that re-chained its tampered log, and signed it
        later["chainprev"] = events[events.index(later) - 1]["chainhash"]
        rehash(later)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.kind == "decision does not follow from its rules"
    assert diagnosis in report.first_divergence.message
    assert report.first_divergence.position == 3


def test_a_headline_that_differs_from_the_decision_record_fails() -> None:
    events = chain_of_events()
    events[2]["data"]["outcome"] = "declined"
    rehash(events[2])
    events[3]["chainprev"] = events[2]["chainhash"]
    rehash(events[3])

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert "headline outcome declined" in report.first_divergence.message


def test_another_deployments_events_are_not_this_audits_log() -> None:
    events = chain_of_events()
    stranger = {**events[0], "source": "/inclusion/test-1234/funding", "chainseq": 1}

    report = verify(log_of([*events, stranger], checkpoint(events)), KEYS)

    assert report.passed
    assert report.chains["funding"].events == 4
