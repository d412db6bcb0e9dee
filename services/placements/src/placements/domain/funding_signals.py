"""What the funding service needs to know from a placement event.

A placement start that crosses primary to secondary, or pre-16 to post-16, is a phase transfer:
the school re-applies for High Needs Funding. The end of an early years placement makes the
child a leaver: their SENIF award at that setting ends. `transfer_of` names every transfer a
placement start can be, in the words of the placement events.
"""

from enum import StrEnum

from placements.domain.placement import Placement
from placements.domain.setting import ProvisionType, Setting, is_infant_school
from placements.domain.year_groups import Phase, YearGroup, phase_of, year_group_on


class Transfer(StrEnum):
    """The transfers a placement start may be; the values are the events' `transfer` codes."""

    EARLY_YEARS_TO_RECEPTION = "early-years-to-reception"
    INFANT_TO_JUNIOR = "infant-to-junior"
    PRIMARY_TO_SECONDARY = "primary-to-secondary"
    PRE_16_TO_POST_16 = "pre-16-to-post-16"
    POST_16_TO_POST_16 = "post-16-to-post-16"


def _year_on_leaving(previous: Placement) -> YearGroup | None:
    if previous.ended_on is None:
        return None
    return year_group_on(previous.year_group, previous.started_on, previous.ended_on)


def is_phase_transfer(started: Placement, previous: Placement | None) -> bool:
    """True when `started` takes the child from primary to secondary, or from pre-16 to post-16.

    The phases compared are the child's on the last day of `previous` and on the first day of
    `started`. With no previous placement there is nothing to transfer from: False.
    """
    leaving = None if previous is None else _year_on_leaving(previous)
    if leaving is None:
        return False
    before = phase_of(leaving)
    after = phase_of(started.year_group)
    if after is Phase.SECONDARY:
        return before is Phase.PRIMARY
    return after is Phase.POST_16 and before is not Phase.POST_16


def transfer_of(
    started: Placement, previous: Placement | None, previous_setting: Setting | None
) -> Transfer | None:
    """The transfer `started` makes from the child's `previous` (ended) placement, or None for a
    first placement or a move within a phase.

    Early years to Reception; Year 2 at an infant school to Year 3 elsewhere; primary to
    secondary and pre-16 to post-16 (as `is_phase_transfer`); and from one post-16 institution
    to another. `previous_setting` is the setting of `previous`, to tell an infant school.
    """
    leaving = None if previous is None else _year_on_leaving(previous)
    if previous is None or leaving is None:
        return None
    if is_phase_transfer(started, previous):
        if phase_of(started.year_group) is Phase.SECONDARY:
            return Transfer.PRIMARY_TO_SECONDARY
        return Transfer.PRE_16_TO_POST_16
    if leaving is YearGroup.EARLY_YEARS and started.year_group is YearGroup.RECEPTION:
        return Transfer.EARLY_YEARS_TO_RECEPTION
    infant = previous_setting is not None and is_infant_school(previous_setting)
    if infant and leaving is YearGroup.YEAR_2 and started.year_group is YearGroup.YEAR_3:
        return Transfer.INFANT_TO_JUNIOR
    both_post_16 = (
        phase_of(leaving) is Phase.POST_16 and phase_of(started.year_group) is Phase.POST_16
    )
    if both_post_16 and started.setting_id != previous.setting_id:
        return Transfer.POST_16_TO_POST_16
    return None


def is_early_years_leaver(placement: Placement) -> bool:
    """True when the placement ended was at an early years setting, for whatever reason.

    SENIF does not transfer, so a move to another setting is a leaver too. Portage is
    home-visiting, not a setting SENIF pays, so its end is not.
    """
    return placement.ended_on is not None and placement.provision is ProvisionType.EARLY_YEARS
