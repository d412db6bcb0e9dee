"""Area budgets: commit on approval, release on ending, over-commitment never silent."""

from collections.abc import Callable
from datetime import date

import pytest

from funding.domain.budget import Budget, Commitment, Override, commit, release, view
from funding.domain.dates import financial_year_of
from funding.domain.errors import DecisionRefused, RefusalCode
from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import Area

OFFICER_FINANCE_1 = person_id_for("officer-finance-1")


@pytest.fixture
def budget() -> Budget:
    return Budget(area=Area.EAST, financial_year="2026-27", annual_amount_pence=2_000_000)


def test_committing_within_the_budget_reduces_what_remains(budget: Budget) -> None:
    committed = commit(budget, "decision-1", 900_000)
    seen = view(committed)
    assert (seen.committed_pence, seen.released_pence, seen.remaining_pence) == (
        900_000,
        0,
        1_100_000,
    )
    assert seen.over_committed_pence == 0
    assert seen.overridden == ()


def test_committing_the_last_penny_needs_no_override(budget: Budget) -> None:
    assert view(commit(budget, "decision-1", 2_000_000)).remaining_pence == 0


def test_over_commitment_without_an_override_is_refused(budget: Budget) -> None:
    committed = commit(budget, "decision-1", 1_800_000)
    with pytest.raises(DecisionRefused) as refused:
        commit(committed, "decision-2", 300_000)
    assert refused.value.code is RefusalCode.OVER_COMMITMENT_WITHOUT_OVERRIDE
    assert refused.value.details == ("over_by_100000",)
    assert view(committed).remaining_pence == 200_000


def test_over_commitment_with_an_authorised_override_is_recorded(budget: Budget) -> None:
    override = Override(authorised_by=OFFICER_FINANCE_1, reason="statutory duty to fund")
    committed = commit(commit(budget, "decision-1", 1_800_000), "decision-2", 300_000, override)
    seen = view(committed)
    assert seen.remaining_pence == -100_000
    assert seen.over_committed_pence == 100_000
    assert seen.overridden == (
        Commitment(
            commitment_id="decision-2",
            amount_pence=300_000,
            over_commitment_pence=100_000,
            override=override,
        ),
    )


def test_once_over_committed_every_further_commitment_is_wholly_over(budget: Budget) -> None:
    override = Override(authorised_by=OFFICER_FINANCE_1, reason="statutory duty to fund")
    over = commit(budget, "decision-1", 2_100_000, override)
    with pytest.raises(DecisionRefused):
        commit(over, "decision-2", 1)
    again = commit(over, "decision-2", 50_000, override)
    assert again.commitments[-1].over_commitment_pence == 50_000
    assert view(again).over_committed_pence == 150_000


def test_an_override_without_a_reason_is_refused(budget: Budget) -> None:
    with pytest.raises(DecisionRefused) as refused:
        commit(
            budget, "decision-1", 2_500_000, Override(authorised_by=OFFICER_FINANCE_1, reason=" ")
        )
    assert refused.value.code is RefusalCode.OVERRIDE_WITHOUT_REASON


def test_ending_an_award_releases_its_money(budget: Budget) -> None:
    released = release(commit(budget, "decision-1", 900_000), "decision-1", 375_000)
    seen = view(released)
    assert (seen.committed_pence, seen.released_pence, seen.remaining_pence) == (
        900_000,
        375_000,
        1_475_000,
    )


def test_releasing_more_than_was_committed_is_refused(budget: Budget) -> None:
    partly = release(commit(budget, "decision-1", 900_000), "decision-1", 600_000)
    with pytest.raises(DecisionRefused) as refused:
        release(partly, "decision-1", 300_001)
    assert refused.value.code is RefusalCode.RELEASE_EXCEEDS_COMMITMENT


@pytest.mark.parametrize(
    ("act", "code"),
    [
        (lambda b: release(b, "decision-9", 1), RefusalCode.UNKNOWN_COMMITMENT),
        (lambda b: commit(b, "decision-1", 1), RefusalCode.DUPLICATE_COMMITMENT),
        (lambda b: commit(b, "decision-2", 0), RefusalCode.AMOUNT_NOT_POSITIVE),
        (lambda b: release(b, "decision-1", -5), RefusalCode.AMOUNT_NOT_POSITIVE),
    ],
    ids=["unknown_commitment", "duplicate_commitment", "zero_commitment", "negative_release"],
)
def test_budget_entries_must_make_sense(
    budget: Budget, act: Callable[[Budget], Budget], code: RefusalCode
) -> None:
    committed = commit(budget, "decision-1", 100_000)
    with pytest.raises(DecisionRefused) as refused:
        act(committed)
    assert refused.value.code is code


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 4, 1), "2026-27"),
        (date(2027, 3, 31), "2026-27"),
        (date(2026, 3, 31), "2025-26"),
        (date(2099, 12, 1), "2099-00"),
    ],
)
def test_the_financial_year_runs_april_to_march(day: date, year: str) -> None:
    assert financial_year_of(day) == year
