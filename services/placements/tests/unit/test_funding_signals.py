"""What funding learns from placement events: phase transfers and early years leavers."""

from datetime import date

import pytest

from placements.domain.funding_signals import is_early_years_leaver, is_phase_transfer
from placements.domain.placement import EndReason, MovePurpose, Placement
from placements.domain.setting import ProvisionType
from placements.domain.year_groups import YearGroup as Y


def _placement(
    provision: ProvisionType,
    year_group: Y,
    started_on: date,
    ended_on: date | None = None,
) -> Placement:
    return Placement(
        placement_id=f"placement-{started_on.isoformat()}",
        offer_id=f"offer-{started_on.isoformat()}",
        child_id="child-4b8669e033ccb7794915",
        setting_id="setting-1",
        provision=provision,
        year_group=year_group,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=None if ended_on is None else EndReason.PHASE_TRANSFER,
    )


M = ProvisionType.MAINSTREAM


@pytest.mark.parametrize(
    ("previous", "started", "transfer"),
    [
        # Entered Reception in 2020-21, so in Year 6 in 2026-27: leaves in July 2027. The phase
        # compared is the child's on leaving, not on entering, the previous placement.
        (
            _placement(M, Y.RECEPTION, date(2020, 9, 3), date(2027, 7, 21)),
            _placement(M, Y.YEAR_7, date(2027, 9, 6)),
            True,
        ),
        (
            _placement(M, Y.YEAR_7, date(2022, 9, 5), date(2027, 7, 21)),
            _placement(M, Y.YEAR_12, date(2027, 9, 6)),
            True,
        ),
        (
            _placement(ProvisionType.SPECIAL, Y.YEAR_3, date(2018, 9, 3), date(2027, 7, 21)),
            _placement(M, Y.YEAR_12, date(2027, 9, 6)),
            True,
        ),
        (
            _placement(M, Y.RECEPTION, date(2020, 9, 3), date(2025, 12, 19)),
            _placement(M, Y.YEAR_5, date(2026, 1, 5)),
            False,
        ),
        (
            _placement(M, Y.YEAR_7, date(2022, 9, 5), date(2024, 3, 28)),
            _placement(ProvisionType.PRU, Y.YEAR_8, date(2024, 4, 15)),
            False,
        ),
        (
            _placement(M, Y.YEAR_12, date(2025, 9, 3), date(2026, 7, 17)),
            _placement(M, Y.YEAR_13, date(2026, 9, 7)),
            False,
        ),
        (
            _placement(
                ProvisionType.EARLY_YEARS, Y.EARLY_YEARS, date(2026, 9, 7), date(2027, 7, 21)
            ),
            _placement(M, Y.RECEPTION, date(2027, 9, 6)),
            False,
        ),
        (
            _placement(ProvisionType.SPECIAL, Y.RECEPTION, date(2018, 9, 3), date(2027, 2, 12)),
            _placement(ProvisionType.SRP, Y.YEAR_8, date(2027, 2, 22)),
            False,
        ),
    ],
    ids=[
        "primary_to_secondary",
        "secondary_to_post_16",
        "special_school_to_post_16_college",
        "primary_to_primary",
        "secondary_to_pru",
        "post_16_to_post_16",
        "early_years_to_reception",
        "all_through_special_school_left_in_year_8",
    ],
)
def test_a_placement_start_is_a_phase_transfer_only_across_primary_secondary_or_post_16(
    previous: Placement, started: Placement, transfer: bool
) -> None:
    assert is_phase_transfer(started, previous) is transfer


def test_a_first_placement_is_not_a_phase_transfer() -> None:
    assert not is_phase_transfer(_placement(M, Y.YEAR_7, date(2027, 9, 6)), None)


@pytest.mark.parametrize(
    ("provision", "leaver"),
    [
        (ProvisionType.EARLY_YEARS, True),
        (ProvisionType.PORTAGE, False),
        (ProvisionType.MAINSTREAM, False),
    ],
)
def test_the_end_of_an_early_years_placement_is_a_leaver(
    provision: ProvisionType, leaver: bool
) -> None:
    ended = _placement(provision, Y.EARLY_YEARS, date(2026, 9, 7), date(2027, 7, 21))
    assert is_early_years_leaver(ended) is leaver


def test_a_move_between_early_years_settings_is_a_leaver_too() -> None:
    moved = _placement(ProvisionType.EARLY_YEARS, Y.EARLY_YEARS, date(2026, 9, 7)).evolve(
        ended_on=date(2027, 1, 15),
        end_reason=EndReason.MOVED_PROVISION,
        move_purpose=MovePurpose.NEARER_HOME,
    )
    assert is_early_years_leaver(moved)


def test_an_early_years_placement_still_running_is_no_leaver() -> None:
    running = _placement(ProvisionType.EARLY_YEARS, Y.EARLY_YEARS, date(2026, 9, 7))
    assert not is_early_years_leaver(running)
