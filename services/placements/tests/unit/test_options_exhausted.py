"""A specialist placement is decided only once every option before it was considered."""

import pytest

from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.options import (
    Option,
    OptionConsidered,
    check_options_exhausted,
    options_required,
)
from placements.domain.setting import ProvisionType

ALL = tuple(
    OptionConsidered(option=option, not_enough_because=f"{option.value}_not_enough")
    for option in Option
)


def _without(option: Option) -> tuple[OptionConsidered, ...]:
    return tuple(entry for entry in ALL if entry.option is not option)


@pytest.mark.parametrize("provision", [ProvisionType.SPECIAL, ProvisionType.PRU])
@pytest.mark.parametrize("missing", list(Option))
def test_a_special_school_or_pru_placement_is_refused_without_each_option_considered(
    provision: ProvisionType, missing: Option
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_options_exhausted(provision, _without(missing))
    assert refused.value.code is RefusalCode.OPTIONS_NOT_EXHAUSTED
    assert refused.value.details == (missing.value,)


@pytest.mark.parametrize(
    "missing", [Option.GRADUATED_RESPONSE, Option.LIFT_OR_STLS, Option.NEAREST_MAINSTREAM]
)
def test_an_srp_placement_is_refused_without_each_option_before_an_srp(missing: Option) -> None:
    considered = tuple(e for e in _without(missing) if e.option is not Option.SRP)
    with pytest.raises(DecisionRefused) as refused:
        check_options_exhausted(ProvisionType.SRP, considered)
    assert refused.value.details == (missing.value,)


def test_an_srp_placement_need_not_consider_an_srp() -> None:
    check_options_exhausted(ProvisionType.SRP, _without(Option.SRP))
    assert Option.SRP not in options_required(ProvisionType.SRP)


@pytest.mark.parametrize("provision", [ProvisionType.SPECIAL, ProvisionType.PRU])
def test_a_specialist_placement_with_every_option_considered_is_allowed(
    provision: ProvisionType,
) -> None:
    check_options_exhausted(provision, ALL)


def test_a_specialist_placement_is_refused_with_nothing_considered() -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_options_exhausted(ProvisionType.SPECIAL, ())
    assert refused.value.details == tuple(option.value for option in Option)


@pytest.mark.parametrize(
    "provision", [ProvisionType.MAINSTREAM, ProvisionType.EARLY_YEARS, ProvisionType.PORTAGE]
)
def test_a_non_specialist_placement_needs_no_options_considered(provision: ProvisionType) -> None:
    check_options_exhausted(provision, ())
    assert options_required(provision) == ()


def test_an_option_is_considered_once() -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_options_exhausted(ProvisionType.SPECIAL, (*ALL, ALL[0]))
    assert refused.value.code is RefusalCode.OPTION_CONSIDERED_TWICE
