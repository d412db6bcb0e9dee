"""The registry of settings: SRP designations, year ranges, districts and areas."""

from collections.abc import Callable

import pytest

from inclusion_shared.kent import Area, District
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.registry import SettingRegistry, register_setting
from placements.domain.setting import ProvisionType, Setting, check_suitable
from placements.domain.values import NeedType
from placements.domain.year_groups import YearGroup as Y

MakeSetting = Callable[..., Setting]


def _refusal(setting: Setting) -> DecisionRefused:
    with pytest.raises(DecisionRefused) as refused:
        register_setting(SettingRegistry(), setting)
    return refused.value


def test_a_registered_setting_is_found_by_id_with_its_area_from_its_district(
    make_setting: MakeSetting,
) -> None:
    school = make_setting(
        "mainstream-0900", ProvisionType.MAINSTREAM, Y.RECEPTION, Y.YEAR_6, district=District.DOVER
    )
    registry = register_setting(SettingRegistry(), school)
    assert registry.setting("mainstream-0900") == school
    assert school.area is Area.SOUTH


def test_an_unknown_setting_is_refused(registry: SettingRegistry) -> None:
    with pytest.raises(DecisionRefused) as refused:
        registry.setting("mainstream-9999")
    assert refused.value.code is RefusalCode.UNKNOWN_SETTING


def test_a_setting_is_registered_only_once(
    registry: SettingRegistry, make_setting: MakeSetting
) -> None:
    again = make_setting("mainstream-0101", ProvisionType.MAINSTREAM, Y.RECEPTION, Y.YEAR_6)
    with pytest.raises(DecisionRefused) as refused:
        register_setting(registry, again)
    assert refused.value.code is RefusalCode.SETTING_ALREADY_REGISTERED


def test_an_semh_srp_is_refused(make_setting: MakeSetting) -> None:
    srp = make_setting(
        "srp-0900", ProvisionType.SRP, Y.YEAR_7, Y.YEAR_11, NeedType.ASD, NeedType.SEMH
    )
    assert _refusal(srp).code is RefusalCode.SEMH_SRP


def test_a_special_school_may_be_designated_for_semh(make_setting: MakeSetting) -> None:
    special = make_setting(
        "special-0900", ProvisionType.SPECIAL, Y.YEAR_3, Y.YEAR_11, NeedType.SEMH
    )
    assert register_setting(SettingRegistry(), special).settings == (special,)


@pytest.mark.parametrize(
    ("lowest", "highest"),
    [(Y.YEAR_7, Y.YEAR_12), (Y.YEAR_6, Y.YEAR_9), (Y.YEAR_12, Y.YEAR_13), (Y.RECEPTION, Y.YEAR_11)],
    ids=["into_sixth_form", "from_year_6", "post_16_only", "all_through"],
)
def test_a_secondary_srp_outside_years_7_to_11_is_refused(
    make_setting: MakeSetting, lowest: Y, highest: Y
) -> None:
    srp = make_setting("srp-0900", ProvisionType.SRP, lowest, highest, NeedType.HI)
    assert _refusal(srp).code is RefusalCode.SECONDARY_SRP_OUTSIDE_YEARS_7_TO_11


@pytest.mark.parametrize(
    ("lowest", "highest"),
    [(Y.YEAR_7, Y.YEAR_11), (Y.YEAR_7, Y.YEAR_9), (Y.RECEPTION, Y.YEAR_6), (Y.YEAR_3, Y.YEAR_6)],
    ids=["years_7_to_11", "key_stage_3", "primary", "key_stage_2"],
)
def test_srps_within_their_phase_ranges_are_registered(
    make_setting: MakeSetting, lowest: Y, highest: Y
) -> None:
    srp = make_setting("srp-0900", ProvisionType.SRP, lowest, highest, NeedType.VI)
    assert register_setting(SettingRegistry(), srp).setting("srp-0900") == srp


@pytest.mark.parametrize(
    ("provision", "need_types", "code"),
    [
        (ProvisionType.SRP, (), RefusalCode.DESIGNATION_WITHOUT_NEED_TYPES),
        (ProvisionType.SPECIAL, (), RefusalCode.DESIGNATION_WITHOUT_NEED_TYPES),
        (ProvisionType.SRP, (NeedType.HI, NeedType.HI), RefusalCode.NEED_TYPE_DESIGNATED_TWICE),
        (
            ProvisionType.MAINSTREAM,
            (NeedType.ASD,),
            RefusalCode.DESIGNATION_ON_UNDESIGNATED_PROVISION,
        ),
        (ProvisionType.PRU, (NeedType.SEMH,), RefusalCode.DESIGNATION_ON_UNDESIGNATED_PROVISION),
    ],
    ids=["srp_without_needs", "special_without_needs", "need_twice", "mainstream", "pru"],
)
def test_only_srps_and_special_schools_are_designated_by_need(
    make_setting: MakeSetting,
    provision: ProvisionType,
    need_types: tuple[NeedType, ...],
    code: RefusalCode,
) -> None:
    setting = make_setting("setting-0900", provision, Y.YEAR_7, Y.YEAR_11, *need_types)
    assert _refusal(setting).code is code


def test_a_reversed_year_range_is_refused(make_setting: MakeSetting) -> None:
    school = make_setting("mainstream-0900", ProvisionType.MAINSTREAM, Y.YEAR_6, Y.RECEPTION)
    assert _refusal(school).code is RefusalCode.YEAR_RANGE_REVERSED


@pytest.mark.parametrize("provision", [ProvisionType.EARLY_YEARS, ProvisionType.PORTAGE])
def test_pre_school_provision_takes_no_school_years(
    make_setting: MakeSetting, provision: ProvisionType
) -> None:
    setting = make_setting("setting-0900", provision, Y.EARLY_YEARS, Y.RECEPTION)
    assert _refusal(setting).code is RefusalCode.PRE_SCHOOL_PROVISION_TAKES_SCHOOL_YEARS


@pytest.mark.parametrize("year_group", [Y.YEAR_6, Y.YEAR_12])
def test_a_year_outside_an_srps_range_is_refused(registry: SettingRegistry, year_group: Y) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_suitable(registry.setting("srp-0301"), year_group, NeedType.ASD)
    assert refused.value.code is RefusalCode.YEAR_GROUP_NOT_TAKEN


@pytest.mark.parametrize("year_group", [Y.YEAR_7, Y.YEAR_11])
def test_an_srp_takes_the_first_and_last_years_of_its_range(
    registry: SettingRegistry, year_group: Y
) -> None:
    check_suitable(registry.setting("srp-0301"), year_group, NeedType.ASD)


def test_a_need_outside_the_designation_is_refused(registry: SettingRegistry) -> None:
    with pytest.raises(DecisionRefused) as refused:
        check_suitable(registry.setting("srp-0301"), Y.YEAR_8, NeedType.HI)
    assert refused.value.code is RefusalCode.NEED_NOT_IN_DESIGNATION


def test_a_mainstream_school_takes_any_need_in_its_years(registry: SettingRegistry) -> None:
    check_suitable(registry.setting("mainstream-0201"), Y.YEAR_9, NeedType.PMLD)
