"""The auditor's tool against a tampered decision log: each kind of tampering is caught with
the right diagnosis, and a clean log passes with no false alarms."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from inclusion_cli.audit.verify import LogRecord, verify
from inclusion_shared.audit.checkpoints import audit_public_key, generate_audit_key

from .audit_chains import (
    DECIDED_ON,
    DECISION_RECORDED,
    KEYS,
    POLICY,
    checkpoint,
    daf_decision,
    early_years_chain,
    funding_chain,
    log_of,
    news,
    placements_chain,
    policy_published,
    rechain,
    rehash,
    seal,
    senif_decision,
    signed_log,
)

DECISION = 3
"""Where the HNF decision is in the funding chain (position 4): after policy, budget and the
commitment of its money."""


def first(records: list[LogRecord], keys: dict[str, bytes] = KEYS) -> tuple[str, int | None]:
    report = verify(records, keys)
    assert not report.passed
    assert report.first_divergence is not None
    return report.first_divergence.kind, report.first_divergence.position


def test_a_clean_log_passes_with_no_false_alarms() -> None:
    report = verify(signed_log(funding_chain(), placements_chain()), KEYS)

    assert report.passed, report.failures
    assert report.warnings == []
    funding, placements = report.chains["funding"], report.chains["placements"]
    assert (funding.events, funding.signed_through, funding.decisions_rederived) == (5, 5, 1)
    assert funding.commitments_rechecked == 1
    assert (placements.events, placements.decisions_rederived) == (3, 1)
    assert placements.commitments_rechecked == 1
    assert report.decisions_by_district == {"thanet": 2}


def test_an_exact_redelivery_is_tolerated() -> None:
    events = funding_chain()
    records = log_of(events, checkpoint(events))

    report = verify([*records, records[DECISION]._replace(offset=99)], KEYS)

    assert report.passed
    assert report.chains["funding"].exact_duplicates == 1


def test_a_flipped_byte_in_a_decisions_data_is_a_hash_mismatch() -> None:
    events = funding_chain()
    records = log_of(events, checkpoint(events))
    altered = records[DECISION].value.replace(b'"band":3', b'"band":4', 1)
    assert altered != records[DECISION].value

    tampered = [*records[:DECISION], records[DECISION]._replace(value=altered)]
    assert first([*tampered, *records[DECISION + 1 :]]) == ("hash mismatch", 4)


def test_changed_data_with_a_recomputed_hash_breaks_the_next_link() -> None:
    events = funding_chain()
    signed = checkpoint(events)
    events[1]["data"]["annual_amount_pence"] = 50_000_000
    rehash(events[1])

    assert first(log_of(events, signed)) == ("broken link", 3)


def test_a_deleted_event_leaves_a_gap() -> None:
    events = funding_chain()
    signed = checkpoint(events)
    del events[1]

    assert first(log_of(events, signed)) == ("gap", 2)


def test_reordered_events_break_their_links() -> None:
    events = funding_chain()
    signed = checkpoint(events)
    events[0]["chainseq"], events[1]["chainseq"] = 2, 1
    events[0]["chainprev"], events[1]["chainprev"] = events[1]["chainprev"], events[0]["chainprev"]
    rehash(events[1])
    rehash(events[0])

    assert first(log_of(events, signed))[0] == "broken link"


def test_a_conflicting_duplicate_is_a_fork() -> None:
    events = funding_chain()
    rival = rehash(
        {**events[4], "id": str(uuid4()), "data": {**events[4]["data"], "annual_amount_pence": 1}}
    )

    assert first(log_of([*events, rival], checkpoint(events))) == (
        "conflicting events at one position",
        5,
    )


def test_a_truncated_tail_is_caught_by_the_signed_checkpoint() -> None:
    events = funding_chain()

    assert first(log_of(events[:2], checkpoint(events))) == ("truncated", 5)


def test_a_forged_event_after_the_last_checkpoint_is_an_unsigned_tail_not_verified() -> None:
    events = funding_chain()
    signed = checkpoint(events)
    forged = rehash({
        **events[4], "id": str(uuid4()), "chainseq": 6, "chainprev": events[4]["chainhash"],
    })  # fmt: skip

    report = verify(log_of([*events, forged], signed), KEYS)

    assert report.chains["funding"].signed_through == 5
    assert [(w.kind, w.position) for w in report.warnings] == [("unsigned tail", 6)]


def test_a_forged_event_with_a_checkpoint_signed_by_another_key_fails() -> None:
    events = funding_chain()
    forged = rehash(
        {**events[4], "id": str(uuid4()), "chainseq": 6, "chainprev": events[4]["chainhash"]}
    )

    records = log_of(
        [*events, forged], checkpoint(events), checkpoint([*events, forged], generate_audit_key())
    )

    assert first(records) == ("bad signature", 6)


def test_the_wrong_public_key_fails_every_checkpoint() -> None:
    events = funding_chain()

    wrong = {"funding": audit_public_key(generate_audit_key())}

    assert first(log_of(events, checkpoint(events)), wrong) == ("bad signature", 5)


@pytest.mark.parametrize(
    ("outcome_change", "diagnosis"),
    [
        ({"annual_amount_pence": 1_800_000}, "the recorded outcome is not what the rules give"),
        ({"band": 5}, "the recorded outcome is not what the rules give"),
    ],
)
def test_an_hnf_decision_whose_recorded_outcome_its_rules_do_not_give_fails(
    outcome_change: dict[str, Any], diagnosis: str
) -> None:
    events = funding_chain()
    decision = events[DECISION]["data"]
    decision["record"]["outcome"].update(outcome_change)
    decision.update(outcome_change)
    rechain(events, DECISION)  # a service that re-chained its tampered log, and signed it

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.kind == "decision does not follow from its rules"
    assert diagnosis in report.first_divergence.message
    assert report.first_divergence.position == 4


def test_a_headline_that_differs_from_the_decision_record_fails() -> None:
    events = funding_chain()
    events[DECISION]["data"]["outcome"] = "declined"
    rechain(events, DECISION)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert "headline outcome declined" in report.first_divergence.message


def test_another_deployments_events_are_not_this_audits_log() -> None:
    events = funding_chain()
    stranger = {**events[0], "source": "/inclusion/test-1234/funding", "chainseq": 1}

    report = verify(log_of([*events, stranger], checkpoint(events)), KEYS)

    assert report.passed
    assert report.chains["funding"].events == 5


def test_a_placement_decision_with_its_recusal_hidden_fails() -> None:
    """senco-2 declared an interest in the SRP the panel named: the rules recuse them. A record
    altered to say nobody was recused is not what the rules give."""
    events = placements_chain()
    decided = events[1]["data"]
    decided["record"]["recused_member_ids"] = []
    for member in decided["panel"]:
        member["recused"] = False
    rechain(events, 1)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.kind == "decision does not follow from its rules"
    assert report.first_divergence.position == 2
    assert "recused_member_ids" in report.first_divergence.message


def test_a_placement_decision_carried_without_a_quorum_fails() -> None:
    events = placements_chain()
    decided = events[1]["data"]
    decided["record"]["proposal"]["votes"] = decided["record"]["proposal"]["votes"][:1]
    rechain(events, 1)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.position == 2
    assert "the rules refuse this decision" in report.first_divergence.message


def test_an_offer_beyond_the_settings_capacity_without_an_override_fails() -> None:
    """One Year 7 place at the SRP, two children offered it, no override recorded."""
    events = placements_chain(places=1, children=2)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.kind == "decision does not follow from its rules"
    assert report.first_divergence.position == 5
    assert "capacity rules refuse this offer" in report.first_divergence.message
    assert report.chains["placements"].decisions_rederived == 2


def test_an_approval_whose_money_was_never_committed_fails() -> None:
    events = funding_chain()
    del events[2]  # the commitment
    for seq, event in enumerate(events, start=1):
        event["chainseq"] = seq
    rechain(events, 0)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert "no commitment against the area's budget" in report.first_divergence.message


def test_senif_and_daf_decisions_the_rules_give_pass() -> None:
    events = early_years_chain(
        senif_decision(),
        senif_decision(has_ehcp=True).model_copy(update={"decision_id": "decision-senif-2"}),
        daf_decision("daf-dec-1", "daf-1", "nursery-0311"),
    )

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.passed, report.failures
    assert report.chains["funding"].decisions_rederived == 3


def test_a_senif_award_for_a_child_the_rules_refuse_fails() -> None:
    """The record says the child has an EHCP (so SENIF is not for them) yet was awarded."""
    events = early_years_chain(senif_decision())
    events[1]["data"]["record"]["application"]["has_ehcp"] = True
    rechain(events, 1)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.kind == "decision does not follow from its rules"
    assert report.first_divergence.position == 2
    assert "the recorded outcome is not what the rules give" in report.first_divergence.message
    assert '"outcome": "refused"' in report.first_divergence.message


def test_a_second_daf_claim_for_one_child_in_one_year_fails() -> None:
    """DAF goes to one provider only: a second provider's claim the same year is refused."""
    events = early_years_chain(
        daf_decision("daf-dec-1", "daf-1", "nursery-0311"),
        daf_decision("daf-dec-2", "daf-2", "nursery-0999"),
    )

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.position == 3
    assert "the rules in force refuse this claim" in report.first_divergence.message


def test_a_daf_claim_paid_above_the_policys_amount_fails() -> None:
    events = early_years_chain(daf_decision("daf-dec-1", "daf-1", "nursery-0311"))
    data = events[1]["data"]
    data["record"]["claim"]["amount_pence"] += 10_000
    data["annual_amount_pence"] += 10_000
    rechain(events, 1)

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert "the recorded claim is not what the rules give" in report.first_divergence.message


def test_a_decision_under_a_policy_no_longer_in_force_fails() -> None:
    """A newer policy version took effect before the decision day: the officer's decision
    records the old one, which the service would not have chosen."""
    newer = POLICY.model_copy(update={"version": "kent-2026.2", "effective_from": DECIDED_ON})
    decision = senif_decision()
    events = seal(
        "funding",
        [
            policy_published(),
            policy_published(newer),
            news(DECISION_RECORDED.type, decision.decision_id, decision),
        ],
    )

    report = verify(log_of(events, checkpoint(events)), KEYS)

    assert report.first_divergence is not None
    assert report.first_divergence.position == 3
    assert "but kent-2026.2 was in force" in report.first_divergence.message
