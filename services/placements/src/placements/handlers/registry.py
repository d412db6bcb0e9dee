"""The settings registry: registering a setting and recording its places for a year."""

from __future__ import annotations

from inclusion_shared.auth import Principal
from inclusion_shared.contracts.placements import (
    CAPACITY_SET,
    SETTING_REGISTERED,
    CapacitySet,
    SettingRegistered,
    YearGroupPlaces,
)
from inclusion_shared.persistence.unit_of_work import UnitOfWork
from inclusion_shared.web.problems import NotFound
from placements.access import POLICY, of_setting
from placements.adapters import PlacementsStore
from placements.domain.capacity import Capacity, check_capacity
from placements.domain.registry import SettingRegistry, register_setting
from placements.domain.setting import Setting
from placements.handlers.refusals import the_rules


async def register(work: UnitOfWork, who: Principal, setting: Setting) -> Setting:
    """Add a setting in one of the caller's districts to the registry; funding and other
    subscribers learn it from the event."""
    POLICY.check(who, "setting.register", of_setting(setting))
    store = PlacementsStore(work.connection)
    await work.connection.execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))", f"setting:{setting.setting_id}"
    )
    known = await store.settings([setting.setting_id])
    with the_rules():
        register_setting(SettingRegistry(settings=tuple(known)), setting)
    await store.add_setting(setting)
    work.emit(
        SETTING_REGISTERED.type,
        setting.setting_id,
        SettingRegistered(
            setting_id=setting.setting_id,
            setting_type=setting.provision.value,
            district=setting.district,
            area=setting.area,
            community_of_schools=setting.community_id,
            designation=tuple(need.value for need in setting.need_types),
            lowest_year=int(setting.lowest_year),
            highest_year=int(setting.highest_year),
            name=setting.name,
            community_name=setting.community_name,
        ),
    )
    return setting


async def set_capacity(work: UnitOfWork, who: Principal, capacity: Capacity) -> Capacity:
    """Record a setting's places for an academic year, replacing what was recorded before."""
    store = PlacementsStore(work.connection)
    setting = await store.setting(capacity.setting_id)
    if setting is None:
        raise NotFound(f"no setting {capacity.setting_id} in the registry")
    POLICY.check(who, "capacity.set", of_setting(setting))
    with the_rules():
        check_capacity(setting, capacity)
    await store.capacity(capacity.setting_id, capacity.academic_year, for_update=True)
    await store.save_capacity(capacity)
    work.emit(
        CAPACITY_SET.type,
        setting.setting_id,
        CapacitySet(
            setting_id=setting.setting_id,
            setting_type=setting.provision.value,
            district=setting.district,
            area=setting.area,
            academic_year=capacity.academic_year,
            by_year_group=tuple(
                YearGroupPlaces(year_group=int(entry.year_group), places=entry.places)
                for entry in capacity.by_year_group
            ),
            designated_places=capacity.designated_places,
            total_places=capacity.total,
        ),
    )
    return capacity
