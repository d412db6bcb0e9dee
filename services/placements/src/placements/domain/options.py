"""Options exhausted: a specialist placement is decided only after the less specialist options
were each considered and found not enough, each with a reason code saying why."""

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.setting import SPECIALIST, ProvisionType
from placements.domain.values import DomainModel, ReasonCode


class Option(StrEnum):
    """The options considered before a specialist placement, least specialist first."""

    GRADUATED_RESPONSE = "graduated_response"
    LIFT_OR_STLS = "lift_or_stls"
    NEAREST_MAINSTREAM = "nearest_mainstream"
    SRP = "srp"


class OptionConsidered(DomainModel):
    """One option considered, and why it was not enough."""

    option: Option
    not_enough_because: ReasonCode


def options_required(provision: ProvisionType) -> tuple[Option, ...]:
    """The options a placement of this kind must show were considered.

    None for mainstream or pre-school provision. An SRP placement needs every option before an
    SRP; a special school or PRU placement needs all four.
    """
    if provision not in SPECIALIST:
        return ()
    if provision is ProvisionType.SRP:
        return tuple(option for option in Option if option is not Option.SRP)
    return tuple(Option)


def check_options_exhausted(
    provision: ProvisionType, considered: Iterable[OptionConsidered]
) -> None:
    """Refuse a specialist placement without every required option considered, once each."""
    counts = Counter(entry.option for entry in considered)
    twice = tuple(option.value for option, n in counts.items() if n > 1)
    if twice:
        raise DecisionRefused(RefusalCode.OPTION_CONSIDERED_TWICE, twice)
    missing = tuple(option.value for option in options_required(provision) if option not in counts)
    if missing:
        raise DecisionRefused(RefusalCode.OPTIONS_NOT_EXHAUSTED, missing)
