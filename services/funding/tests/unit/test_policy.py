"""Policy is versioned data: loaded from JSON, selected by date, never overwritten."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from funding.domain.errors import DecisionRefused, RefusalCode
from funding.domain.policy import (
    FundingPolicy,
    add_policy,
    load_policy,
    policy_of_version,
    select_policy,
)


def _version(policy: FundingPolicy, version: str, effective_from: date) -> FundingPolicy:
    return policy.evolve(version=version, effective_from=effective_from)


def test_the_example_policy_ships_as_data_and_says_it_is_an_example(
    policy: FundingPolicy,
) -> None:
    assert policy.version == "kent-example-2026.1"
    assert policy.effective_from == date(2026, 9, 1)
    assert "EXAMPLE" in policy.label
    assert policy.school_met_threshold_pence == 600_000
    assert policy.decision_target_days == 14
    assert policy.staff_training_max_age_years == 2
    assert policy.senif_max_hours_per_week == 30
    assert policy.senif_max_hours_per_week_eligible_two_year_olds == 15
    assert policy.daf_annual_amount_pence == 91_000
    assert [band.band for band in policy.bands] == [1, 2, 3, 4, 5]
    assert all(band.level_of_support for band in policy.bands)


@pytest.mark.parametrize("not_pence", [600_000.0, "600000", -1, True])
def test_money_in_a_policy_must_be_whole_pence(
    policy_data: dict[str, Any], not_pence: object
) -> None:
    with pytest.raises(ValidationError):
        load_policy({**policy_data, "school_met_threshold_pence": not_pence})


def test_band_top_ups_must_rise_with_the_level_of_support(policy_data: dict[str, Any]) -> None:
    bands = policy_data["bands"]
    swapped = [
        {**bands[0], "annual_top_up_pence": bands[1]["annual_top_up_pence"]},
        {**bands[1], "annual_top_up_pence": bands[0]["annual_top_up_pence"]},
        *bands[2:],
    ]
    with pytest.raises(ValidationError, match="fund more than the band below"):
        load_policy({**policy_data, "bands": swapped})


def test_bands_must_be_numbered_from_one_without_gaps(policy_data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="numbered"):
        load_policy({**policy_data, "bands": policy_data["bands"][1:]})


def test_a_policy_cannot_be_changed_in_place(policy: FundingPolicy) -> None:
    with pytest.raises(ValidationError):
        policy.school_met_threshold_pence = 700_000  # type: ignore[misc]


def test_the_policy_in_force_is_the_latest_to_take_effect_on_or_before_the_day(
    policy: FundingPolicy,
) -> None:
    later = _version(policy, "kent-example-2027.1", date(2027, 9, 1))
    history = (later, policy)
    assert select_policy(history, date(2026, 9, 1)) == policy
    assert select_policy(history, date(2027, 8, 31)) == policy
    assert select_policy(history, date(2027, 9, 1)) == later


def test_no_policy_in_force_before_the_first_takes_effect_is_refused(
    policy: FundingPolicy,
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        select_policy((policy,), date(2026, 8, 31))
    assert refused.value.code is RefusalCode.NO_POLICY_IN_FORCE


def test_adding_a_newer_policy_never_overwrites_older_versions(policy: FundingPolicy) -> None:
    newer = _version(policy, "kent-example-2027.1", date(2027, 9, 1)).evolve(
        school_met_threshold_pence=650_000
    )
    history = add_policy(add_policy((), policy), newer)
    assert history == (policy, newer)
    assert policy_of_version(history, "kent-example-2026.1") == policy
    assert select_policy(history, date(2027, 3, 1)).school_met_threshold_pence == 600_000


def test_a_different_policy_under_an_existing_version_is_refused(policy: FundingPolicy) -> None:
    rewritten = policy.evolve(school_met_threshold_pence=500_000)
    with pytest.raises(DecisionRefused) as refused:
        add_policy((policy,), rewritten)
    assert refused.value.code is RefusalCode.POLICY_VERSION_CONFLICT


def test_adding_the_same_version_again_changes_nothing(policy: FundingPolicy) -> None:
    assert add_policy((policy,), load_policy(policy.model_dump())) == (policy,)


def test_two_policies_taking_effect_on_the_same_day_are_refused(policy: FundingPolicy) -> None:
    rival = policy.evolve(version="kent-example-2026.2")
    with pytest.raises(DecisionRefused) as refused:
        add_policy((policy,), rival)
    assert refused.value.code is RefusalCode.AMBIGUOUS_POLICY
    with pytest.raises(DecisionRefused) as ambiguous:
        select_policy((policy, rival), date(2026, 10, 1))
    assert ambiguous.value.code is RefusalCode.AMBIGUOUS_POLICY


def test_an_unknown_policy_version_is_refused(policy: FundingPolicy) -> None:
    with pytest.raises(DecisionRefused) as refused:
        policy_of_version((policy,), "kent-example-1999.1")
    assert refused.value.code is RefusalCode.UNKNOWN_POLICY_VERSION


def test_a_band_missing_from_the_table_is_refused(policy: FundingPolicy) -> None:
    assert policy.band_numbered(5).annual_top_up_pence == 1_800_000
    with pytest.raises(DecisionRefused) as refused:
        policy.band_numbered(6)
    assert refused.value.code is RefusalCode.UNKNOWN_BAND
