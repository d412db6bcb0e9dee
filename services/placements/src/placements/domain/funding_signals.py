"""What the funding service needs to know from a placement event.

A placement start that crosses primary to secondary, or pre-16 to post-16, is a phase transfer:
the school re-applies for High Needs Funding. The end of an early years placement makes the
child a leaver: their SENIF award at that setting ends.
"""

from placements.domain.placement import Placement
from placements.domain.setting import ProvisionType
from placements.domain.year_groups import Phase, phase_of, year_group_on


def is_phase_transfer(started: Placement, previous: Placement | None) -> bool:
    """True when `started` takes the child from primary to secondary, or from pre-16 to post-16.

    The phases compared are the child's on the last day of `previous` and on the first day of
    `started`. With no previous placement there is nothing to transfer from: False.
    """
    if previous is None or previous.ended_on is None:
        return False
    before = phase_of(year_group_on(previous.year_group, previous.started_on, previous.ended_on))
    after = phase_of(started.year_group)
    if after is Phase.SECONDARY:
        return before is Phase.PRIMARY
    return after is Phase.POST_16 and before is not Phase.POST_16


def is_early_years_leaver(placement: Placement) -> bool:
    """True when the placement ended was at an early years setting, for whatever reason.

    SENIF does not transfer, so a move to another setting is a leaver too. Portage is
    home-visiting, not a setting SENIF pays, so its end is not.
    """
    return placement.ended_on is not None and placement.provision is ProvisionType.EARLY_YEARS
