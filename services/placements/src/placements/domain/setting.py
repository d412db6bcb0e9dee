"""Settings: the kinds of provision, where each setting is, and which children it can take.

An SRP is designated by need types and a year range: there are no SEMH SRPs, and a secondary SRP
takes Years 7-11 only. Special schools are designated by need types too.
"""

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from inclusion_shared.kent import AREA_OF, Area, District
from placements.domain.errors import DecisionRefused, RefusalCode
from placements.domain.values import DomainModel, NeedType, PlaceName, PseudonymousId
from placements.domain.year_groups import YearGroup


class ProvisionType(StrEnum):
    """The kinds of provision a child can be placed in."""

    MAINSTREAM = "mainstream"
    SRP = "srp"
    SPECIAL = "special"
    PRU = "pru"
    EARLY_YEARS = "early-years"
    PORTAGE = "portage"


SPECIALIST = frozenset({ProvisionType.SRP, ProvisionType.SPECIAL, ProvisionType.PRU})
"""Placements that may be decided only once the options before them are exhausted."""

DESIGNATED = frozenset({ProvisionType.SRP, ProvisionType.SPECIAL})
"""Provision designated by need type."""

PRE_SCHOOL = frozenset({ProvisionType.EARLY_YEARS, ProvisionType.PORTAGE})
"""Provision for pre-school children only."""


class Setting(DomainModel):
    """A setting in the registry: its kind, district, Community of Schools and designation.

    `lowest_year` to `highest_year` are the year groups it takes (for an SRP, its designated
    range); `need_types` its designation, empty unless it is an SRP or a special school;
    `name` and `community_name` what people call the setting and its Community of Schools.
    """

    setting_id: PseudonymousId
    provision: ProvisionType
    district: District
    community_id: PseudonymousId
    lowest_year: YearGroup
    highest_year: YearGroup
    need_types: Annotated[tuple[NeedType, ...], Field(max_length=len(NeedType))] = ()
    name: PlaceName | None = None
    community_name: PlaceName | None = None

    @property
    def area(self) -> Area:
        """The Kent area (and Area Board) the setting's district belongs to."""
        return AREA_OF[self.district]

    def takes(self, year_group: YearGroup) -> bool:
        """True when the year group is within the setting's range."""
        return self.lowest_year <= year_group <= self.highest_year


def _check_designation(setting: Setting) -> None:
    if setting.provision not in DESIGNATED:
        if setting.need_types:
            raise DecisionRefused(RefusalCode.DESIGNATION_ON_UNDESIGNATED_PROVISION)
        return
    if not setting.need_types:
        raise DecisionRefused(RefusalCode.DESIGNATION_WITHOUT_NEED_TYPES)
    if len(set(setting.need_types)) != len(setting.need_types):
        raise DecisionRefused(RefusalCode.NEED_TYPE_DESIGNATED_TWICE)
    if setting.provision is ProvisionType.SRP and NeedType.SEMH in setting.need_types:
        raise DecisionRefused(RefusalCode.SEMH_SRP)


def _check_years(setting: Setting) -> None:
    if setting.lowest_year > setting.highest_year:
        raise DecisionRefused(RefusalCode.YEAR_RANGE_REVERSED)
    if setting.provision in PRE_SCHOOL and setting.highest_year > YearGroup.EARLY_YEARS:
        raise DecisionRefused(RefusalCode.PRE_SCHOOL_PROVISION_TAKES_SCHOOL_YEARS)
    # Secondary SRPs take Years 7-11 only; a range reaching Year 7 or beyond counts as secondary.
    secondary = setting.provision is ProvisionType.SRP and setting.highest_year >= YearGroup.YEAR_7
    if secondary and (
        setting.lowest_year < YearGroup.YEAR_7 or setting.highest_year > YearGroup.YEAR_11
    ):
        raise DecisionRefused(
            RefusalCode.SECONDARY_SRP_OUTSIDE_YEARS_7_TO_11,
            (setting.lowest_year.name.lower(), setting.highest_year.name.lower()),
        )


def check_setting(setting: Setting) -> Setting:
    """Refuse a setting whose designation or year range the rules do not allow."""
    _check_years(setting)
    _check_designation(setting)
    return setting


def is_infant_school(setting: Setting) -> bool:
    """True for a mainstream school that takes no one beyond Year 2: its pupils transfer to a
    junior school."""
    return (
        setting.provision is ProvisionType.MAINSTREAM and setting.highest_year <= YearGroup.YEAR_2
    )


def check_suitable(setting: Setting, year_group: YearGroup, need_type: NeedType) -> None:
    """Refuse a setting that cannot take this child: the year group is outside its range, or it
    is designated for other needs."""
    if not setting.takes(year_group):
        raise DecisionRefused(
            RefusalCode.YEAR_GROUP_NOT_TAKEN, (setting.setting_id, year_group.name.lower())
        )
    if setting.provision in DESIGNATED and need_type not in setting.need_types:
        raise DecisionRefused(
            RefusalCode.NEED_NOT_IN_DESIGNATION, (setting.setting_id, need_type.value)
        )
