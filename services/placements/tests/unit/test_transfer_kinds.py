"""The transfer a placement start makes, named as placement events name it."""

from datetime import date

import pytest

from inclusion_shared.kent import District
from placements.domain.funding_signals import Transfer, transfer_of
from placements.domain.placement import EndReason, Placement
from placements.domain.setting import ProvisionType, Setting, is_infant_school
from placements.domain.year_groups import YearGroup as Y

M = ProvisionType.MAINSTREAM


def _placement(
    setting_id: str,
    provision: ProvisionType,
    year_group: Y,
    started_on: date,
    ended_on: date | None = None,
) -> Placement:
    return Placement(
        placement_id=f"placement-{setting_id}",
        offer_id=f"offer-{setting_id}",
        child_id="child-4b8669e033ccb7794915",
        setting_id=setting_id,
        provision=provision,
        year_group=year_group,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=None if ended_on is None else EndReason.PHASE_TRANSFER,
    )


def _school(setting_id: str, lowest: Y, highest: Y) -> Setting:
    return Setting(
        setting_id=setting_id,
        provision=M,
        district=District.THANET,
        community_id="cos-17",
        lowest_year=lowest,
        highest_year=highest,
    )


INFANT = _school("infant-1", Y.RECEPTION, Y.YEAR_2)
PRIMARY = _school("primary-1", Y.RECEPTION, Y.YEAR_6)


@pytest.mark.parametrize(
    ("previous", "previous_setting", "started", "transfer"),
    [
        (
            _placement(
                "nursery-1",
                ProvisionType.EARLY_YEARS,
                Y.EARLY_YEARS,
                date(2026, 9, 7),
                date(2027, 7, 21),
            ),
            None,
            _placement("primary-1", M, Y.RECEPTION, date(2027, 9, 6)),
            Transfer.EARLY_YEARS_TO_RECEPTION,
        ),
        (
            _placement("infant-1", M, Y.RECEPTION, date(2024, 9, 4), date(2027, 7, 21)),
            INFANT,
            _placement("junior-1", M, Y.YEAR_3, date(2027, 9, 6)),
            Transfer.INFANT_TO_JUNIOR,
        ),
        (
            _placement("primary-1", M, Y.RECEPTION, date(2024, 9, 4), date(2027, 7, 21)),
            PRIMARY,
            _placement("primary-2", M, Y.YEAR_3, date(2027, 9, 6)),
            None,
        ),
        (
            _placement("primary-1", M, Y.RECEPTION, date(2020, 9, 3), date(2027, 7, 21)),
            PRIMARY,
            _placement("secondary-1", M, Y.YEAR_7, date(2027, 9, 6)),
            Transfer.PRIMARY_TO_SECONDARY,
        ),
        (
            _placement("secondary-1", M, Y.YEAR_7, date(2022, 9, 5), date(2027, 7, 21)),
            None,
            _placement("college-1", M, Y.YEAR_12, date(2027, 9, 6)),
            Transfer.PRE_16_TO_POST_16,
        ),
        (
            _placement("college-1", M, Y.YEAR_12, date(2025, 9, 3), date(2026, 7, 17)),
            None,
            _placement("college-2", M, Y.YEAR_13, date(2026, 9, 7)),
            Transfer.POST_16_TO_POST_16,
        ),
        (
            _placement("secondary-1", M, Y.YEAR_7, date(2022, 9, 5), date(2024, 3, 28)),
            None,
            _placement("pru-1", ProvisionType.PRU, Y.YEAR_8, date(2024, 4, 15)),
            None,
        ),
    ],
    ids=[
        "early_years_to_reception",
        "infant_to_junior",
        "primary_to_primary_after_year_2",
        "primary_to_secondary",
        "pre_16_to_post_16",
        "post_16_to_post_16",
        "a_move_within_secondary",
    ],
)
def test_a_placement_start_names_the_transfer_it_makes(
    previous: Placement, previous_setting: Setting | None, started: Placement, transfer: Transfer
) -> None:
    assert transfer_of(started, previous, previous_setting) is transfer


def test_a_first_placement_makes_no_transfer() -> None:
    assert (
        transfer_of(_placement("primary-1", M, Y.RECEPTION, date(2027, 9, 6)), None, None) is None
    )


def test_staying_on_in_the_same_sixth_form_is_not_a_move_between_post_16_institutions() -> None:
    previous = _placement("college-1", M, Y.YEAR_12, date(2025, 9, 3), date(2026, 7, 17))
    again = _placement("college-1", M, Y.YEAR_13, date(2026, 9, 7))
    assert transfer_of(again, previous, None) is None


def test_the_transfer_codes_are_those_of_the_placement_events() -> None:
    assert {t.value for t in Transfer} == {
        "early-years-to-reception",
        "infant-to-junior",
        "primary-to-secondary",
        "pre-16-to-post-16",
        "post-16-to-post-16",
    }


def test_an_infant_school_takes_no_one_beyond_year_2() -> None:
    assert is_infant_school(INFANT)
    assert not is_infant_school(PRIMARY)
